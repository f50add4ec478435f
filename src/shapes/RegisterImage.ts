/**
 * `RegisterImage`: make an AMI from an imported snapshot (the second step of the snapshot path), with the rules a
 * request must meet before it is sent.
 *
 * Member names, wire names and types follow the EC2 model; `test/shapes/snapshot-path-model.test.ts` checks them.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { BootModeValues } from './ImportImage.js'
import {
  ArchitectureValues,
  BlockDeviceMapping,
  ImageDescription,
  ImageName,
  ImageUefiData,
  ImdsSupportValues,
  TpmSupportValues,
} from './Image.js'
import { ImageTagSpecification } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

const registerImageRules = (r: {
  RootDeviceName?: string
  BlockDeviceMappings?: ReadonlyArray<BlockDeviceMapping>
}): Array<S.RuleViolation> => {
  const out: Array<S.RuleViolation> = []
  const mappings = r.BlockDeviceMappings ?? []
  if (mappings.length > 0) {
    if (r.RootDeviceName === undefined) {
      out.push({ path: ['RootDeviceName'], message: 'RootDeviceName is required when BlockDeviceMappings are given' })
    } else if (!mappings.some((m) => m.DeviceName === r.RootDeviceName)) {
      out.push({
        path: ['BlockDeviceMappings'],
        message: `no block device mapping for the root device ${r.RootDeviceName} (a mapping with that DeviceName is needed)`,
      })
    }
  }
  mappings.forEach((m, i) => {
    if (m.Ebs?.SnapshotId !== undefined && m.Ebs.Encrypted !== undefined) {
      out.push({
        path: ['BlockDeviceMappings', i, 'Ebs', 'Encrypted'],
        message:
          "a volume from a snapshot takes the snapshot's encryption: \"If you specify an Amazon EBS volume using the ID of an Amazon EBS snapshot, you can't specify the encryption state of the volume.\"",
      })
    }
  })
  return out
}

// `RegisterImageRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const RegisterImageRequestShape = S.struct(
  'RegisterImageRequest',
  {
    ImageLocation: S.member(S.string),
    BillingProducts: S.member(S.list(S.string, 'item', 'BillingProductList'), { locationName: 'BillingProduct' }),
    BootMode: S.member(BootModeValues),
    TpmSupport: S.member(TpmSupportValues),
    UefiData: S.member(ImageUefiData),
    ImdsSupport: S.member(ImdsSupportValues),
    TagSpecifications: S.member(S.list(ImageTagSpecification, 'item', 'TagSpecificationList'), {
      locationName: 'TagSpecification',
    }),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
    Name: S.member(ImageName, { locationName: 'name', required: true }),
    Description: S.member(ImageDescription, { locationName: 'description' }),
    Architecture: S.member(ArchitectureValues, { locationName: 'architecture' }),
    KernelId: S.member(S.string, { locationName: 'kernelId' }),
    RamdiskId: S.member(S.string, { locationName: 'ramdiskId' }),
    RootDeviceName: S.member(S.string, { locationName: 'rootDeviceName' }),
    BlockDeviceMappings: S.member(S.list(BlockDeviceMapping, 'BlockDeviceMapping', 'BlockDeviceMappingRequestList'), {
      locationName: 'BlockDeviceMapping',
    }),
    VirtualizationType: S.member(S.string, { locationName: 'virtualizationType' }),
    SriovNetSupport: S.member(S.string, { locationName: 'sriovNetSupport' }),
    EnaSupport: S.member(S.boolean, { locationName: 'enaSupport' }),
  },
  { strict: true, rules: registerImageRules },
)
/**
 * The members of `RegisterImageRequest`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface RegisterImageRequestMembers extends t.TypeOf<typeof RegisterImageRequestShape> {}

/**
 * The root device of an AMI: `RootDeviceName` is required when `BlockDeviceMappings` are given (and one of them
 * must be for it: checked when decoding).
 *
 * @public
 * @since 0.2.0
 */
export type RootDevice =
  | { BlockDeviceMappings: Array<BlockDeviceMapping>; RootDeviceName: string }
  | { BlockDeviceMappings?: never; RootDeviceName?: string }

/**
 * The input of `RegisterImage`. The type says what the codec checks, where TypeScript can: `Name` present; the
 * model's architectures (`arm64` included), boot modes, `v2.0` IMDS and TPM support; tags only on the `image` or
 * its `snapshot`s; `RootDeviceName` with `BlockDeviceMappings`; each mapping with exactly one target; `Iops` and
 * `Throughput` only for the volume types that take them. Decoding also checks what a type cannot (the name's
 * characters and length, a mapping for the root device, tag lengths and the `aws:` prefix).
 *
 * @public
 * @since 0.2.0
 */
export type RegisterImageRequest = Omit<RegisterImageRequestMembers, 'BlockDeviceMappings' | 'RootDeviceName'> & RootDevice

/**
 * The codec of `RegisterImageRequest`: its members, and every documented rule.
 *
 * @public
 * @since 0.2.0
 */
export const RegisterImageRequest: S.Shape<RegisterImageRequest> =
  S.narrow<RegisterImageRequest>()(RegisterImageRequestShape)

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `RegisterImageResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const RegisterImageResultShape = S.struct('RegisterImageResult', {
  ImageId: S.member(S.string, { locationName: 'imageId' }),
})
/**
 * The output of `RegisterImage`: the new AMI's id (the image is `pending` until its snapshots are ready).
 *
 * @public
 * @since 0.2.0
 */
export interface RegisterImageResult extends t.TypeOf<typeof RegisterImageResultShape> {}
/**
 * The output of `RegisterImage`: the new AMI's id (the image is `pending` until its snapshots are ready).
 *
 * @public
 * @since 0.2.0
 */
export const RegisterImageResult: S.Shape<RegisterImageResult> = RegisterImageResultShape
