/**
 * `ImportImage`: its request and result shapes, and the rules a request must meet before it is sent.
 *
 * Member names, wire names and types follow the EC2 model (botocore `ec2/2016-11-15/service-2.json`); the test
 * `test/model.test.ts` checks every declaration here against it.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { Tag, TagSpecification } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

/**
 * The S3 object holding a disk image.
 *
 * @public
 * @since 0.1.0
 */
export const UserBucket = S.struct(
  'UserBucket',
  {
    S3Bucket: S.member(S.string),
    S3Key: S.member(S.string),
  },
  { strict: true },
)
/**
 * @public
 * @since 0.1.0
 */
export interface UserBucket extends t.TypeOf<typeof UserBucket> {}

/**
 * The disk image formats VM Import reads. The service compares them without regard to case.
 *
 * @public
 * @since 0.1.0
 */
export const DiskImageFormat = S.caseInsensitiveEnumeration('DiskImageFormat', [
  'OVA',
  'VHD',
  'VHDX',
  'VMDK',
  'RAW',
] as const)

/**
 * One disk of the image: where it comes from (exactly one of `Url`, `UserBucket`, `SnapshotId`) and its format.
 *
 * @public
 * @since 0.1.0
 */
/**
 * `ImageDiskContainer` before narrowing: the members as the model has them, all optional. Use
 * `ImageDiskContainer`, whose type also says "exactly one source".
 *
 * @public
 * @since 0.1.0
 */
export const ImageDiskContainerStruct = S.struct(
  'ImageDiskContainer',
  {
    Description: S.member(S.string),
    DeviceName: S.member(S.string),
    Format: S.member(DiskImageFormat),
    SnapshotId: S.member(S.string),
    Url: S.member(S.sensitiveString, { sensitive: true }),
    UserBucket: S.member(UserBucket),
  },
  {
    strict: true,
    rules: (c) => {
      const sources = (['Url', 'UserBucket', 'SnapshotId'] as const).filter((k) => c[k] !== undefined)
      return sources.length === 1
        ? []
        : [
            {
              path: sources.length === 0 ? [] : [sources[1]!],
              message:
                sources.length === 0
                  ? 'a disk container needs exactly one source: Url, UserBucket or SnapshotId (none given)'
                  : `a disk container needs exactly one source: Url, UserBucket or SnapshotId (${sources.join(' and ')} given)`,
            },
          ]
    },
  },
)

/**
 * Where a disk image comes from: exactly one of a URL (`https://` or `s3://`), an S3 object, or an EBS snapshot.
 *
 * @public
 * @since 0.1.0
 */
export type DiskSource =
  | { Url: string; UserBucket?: never; SnapshotId?: never }
  | { UserBucket: UserBucket; Url?: never; SnapshotId?: never }
  | { SnapshotId: string; Url?: never; UserBucket?: never }

/**
 * One disk of the image. The type says what the codec checks: exactly one source.
 *
 * @public
 * @since 0.1.0
 */
export type ImageDiskContainer = Omit<t.TypeOf<typeof ImageDiskContainerStruct>, 'Url' | 'UserBucket' | 'SnapshotId'> &
  DiskSource

/**
 * The codec of `ImageDiskContainer` type.
 *
 * @public
 * @since 0.1.0
 */
export const ImageDiskContainer = S.narrow<ImageDiskContainer>()(ImageDiskContainerStruct)

/**
 * What the client knows about the upload of the disk image, kept with the task.
 *
 * @public
 * @since 0.1.0
 */
export const ClientData = S.struct(
  'ClientData',
  {
    Comment: S.member(S.string),
    UploadEnd: S.member(S.timestamp()),
    UploadSize: S.member(S.double),
    UploadStart: S.member(S.timestamp()),
  },
  { strict: true },
)
/**
 * @public
 * @since 0.1.0
 */
export interface ClientData extends t.TypeOf<typeof ClientData> {}

/**
 * A License Manager configuration to associate with the AMI.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageLicenseConfigurationRequest = S.struct(
  'ImportImageLicenseConfigurationRequest',
  {
    LicenseConfigurationArn: S.member(S.string),
  },
  { strict: true },
)
/**
 * @public
 * @since 0.1.0
 */
export interface ImportImageLicenseConfigurationRequest
  extends t.TypeOf<typeof ImportImageLicenseConfigurationRequest> {}

/**
 * The architectures ImportImage accepts. `arm64` is listed for tasks but rejected by ImportImage ("has an invalid
 * format"); arm64 images are imported with ImportSnapshot and RegisterImage instead.
 *
 * @public
 * @since 0.1.0
 */
export const ImportArchitecture = S.enumeration('ImportArchitecture', ['i386', 'x86_64'] as const)

/**
 * The boot modes of the model. `uefi-preferred` is in the enum but the service does not support it for imports: the
 * request's rules reject it with the documentation's words.
 *
 * @public
 * @since 0.1.0
 */
export const BootModeValues = S.enumeration('BootModeValues', ['legacy-bios', 'uefi', 'uefi-preferred'] as const)
/**
 * @public
 * @since 0.1.0
 */
export type BootModeValues = t.TypeOf<typeof BootModeValues>

/**
 * The operating systems ImportImage knows.
 *
 * @public
 * @since 0.1.0
 */
export const ImportPlatform = S.enumeration('ImportPlatform', ['Windows', 'Linux'] as const)

/**
 * The license types: `AWS` (license included) or `BYOL`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportLicenseType = S.enumeration('ImportLicenseType', ['AWS', 'BYOL'] as const)

/**
 * The only target hypervisor.
 *
 * @public
 * @since 0.1.0
 */
export const ImportHypervisor = S.enumeration('ImportHypervisor', ['xen'] as const)

/**
 * `ClientToken`: at most 64 ASCII characters.
 *
 * @public
 * @since 0.1.0
 */
export const ClientToken = S.constrainedString(
  'ClientToken',
  // eslint-disable-next-line no-control-regex
  (s) => s.length <= 64 && /^[\x00-\x7f]*$/.test(s),
  'ClientToken must be at most 64 ASCII characters',
)

const awsPrefix = /^aws:/i

const importImageRules = (r: {
  DiskContainers?: ReadonlyArray<t.TypeOf<typeof ImageDiskContainerStruct>>
  KmsKeyId?: string
  Encrypted?: boolean
  LicenseType?: string
  UsageOperation?: string
  BootMode?: string
  Platform?: string
  TagSpecifications?: ReadonlyArray<TagSpecification>
}): Array<S.RuleViolation> => {
  const out: Array<S.RuleViolation> = []
  if (r.KmsKeyId !== undefined && r.Encrypted !== true) {
    out.push({ path: ['KmsKeyId'], message: 'KmsKeyId may only be given with Encrypted: true' })
  }
  if (r.LicenseType !== undefined && r.UsageOperation !== undefined) {
    out.push({
      path: ['UsageOperation'],
      message: 'LicenseType and UsageOperation are mutually exclusive: "Specifying a value for both parameters will return an error."',
    })
  }
  if (r.DiskContainers !== undefined && r.DiskContainers.length === 0) {
    out.push({ path: ['DiskContainers'], message: 'at least one disk container is needed' })
  }
  if (r.BootMode === 'uefi-preferred') {
    out.push({
      path: ['BootMode'],
      message: `BootMode 'uefi-preferred' is not supported: "The uefi-preferred boot mode isn't supported for importing images."`,
    })
  }
  if (
    r.BootMode === 'uefi' &&
    r.Platform === undefined &&
    (r.DiskContainers ?? []).some((c) => c.SnapshotId !== undefined)
  ) {
    out.push({
      path: ['Platform'],
      message:
        'Platform is required for a UEFI import from an EBS snapshot: "If you import a VM that is compatible with Unified Extensible Firmware Interface (UEFI) using an EBS snapshot, you must specify a value for the platform."',
    })
  }
  ;(r.TagSpecifications ?? []).forEach((spec, i) => {
    if (spec.ResourceType === undefined) {
      out.push({
        path: ['TagSpecifications', i, 'ResourceType'],
        message: "tags on an ImportImage request need ResourceType: 'import-image-task'",
      })
    }
    ;(spec.Tags ?? []).forEach((tag, j) => {
      const key = tag.Key
      if (key === undefined || key.length < 1 || key.length > 128) {
        out.push({ path: ['TagSpecifications', i, 'Tags', j, 'Key'], message: 'a tag key has 1 to 128 characters' })
      } else if (awsPrefix.test(key)) {
        out.push({
          path: ['TagSpecifications', i, 'Tags', j, 'Key'],
          message: "a tag key may not start with 'aws:' (reserved for AWS)",
        })
      }
      if (tag.Value !== undefined && tag.Value.length > 256) {
        out.push({
          path: ['TagSpecifications', i, 'Tags', j, 'Value'],
          message: 'a tag value has at most 256 characters',
        })
      }
    })
  })
  return out
}

/**
 * The input of `ImportImage`. Besides the member types, decoding checks the rules the API documents (see
 * `DESIGN.md`): a request that breaks one is a `Left` naming the member, and nothing is sent.
 *
 * `ClientToken` is generated when absent (see `Operation`), so every call is idempotent across retries.
 *
 * @public
 * @since 0.1.0
 */
/**
 * `ImportImageRequest` before narrowing: the members as the model has them. Use `ImportImageRequest`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageRequestStruct = S.struct(
  'ImportImageRequest',
  {
    Architecture: S.member(ImportArchitecture),
    ClientData: S.member(ClientData),
    ClientToken: S.member(ClientToken, { idempotencyToken: true }),
    Description: S.member(S.string),
    DiskContainers: S.member(S.list(ImageDiskContainer, 'item', 'ImageDiskContainerList'), {
      locationName: 'DiskContainer',
      required: true,
    }),
    DryRun: S.member(S.boolean),
    Encrypted: S.member(S.boolean),
    Hypervisor: S.member(ImportHypervisor),
    KmsKeyId: S.member(S.string),
    LicenseType: S.member(ImportLicenseType),
    Platform: S.member(ImportPlatform),
    RoleName: S.member(S.string),
    LicenseSpecifications: S.member(
      S.list(ImportImageLicenseConfigurationRequest, 'item', 'ImportImageLicenseSpecificationListRequest'),
    ),
    TagSpecifications: S.member(S.list(TagSpecification, 'item', 'TagSpecificationList'), {
      locationName: 'TagSpecification',
    }),
    UsageOperation: S.member(S.string),
    BootMode: S.member(BootModeValues),
  },
  { strict: true, rules: importImageRules },
)

/**
 * The members of `ImportImageRequest`, before the rules narrow them.
 *
 * @public
 * @since 0.1.0
 */
export type ImportImageRequestMembers = t.TypeOf<typeof ImportImageRequestStruct>

/**
 * Encryption: `KmsKeyId` only with `Encrypted: true`.
 *
 * @public
 * @since 0.1.0
 */
export type ImportEncryption =
  | { Encrypted?: boolean; KmsKeyId?: never }
  | { Encrypted: true; KmsKeyId: string }

/**
 * Licensing: `LicenseType` or `UsageOperation`, not both ("Specifying a value for both parameters will return an
 * error").
 *
 * @public
 * @since 0.1.0
 */
export type ImportLicensing =
  | { LicenseType?: NonNullable<ImportImageRequestMembers['LicenseType']>; UsageOperation?: never }
  | { UsageOperation: string; LicenseType?: never }

/**
 * The input of `ImportImage`. The type says what the codec checks, where TypeScript can: disk containers present,
 * each with exactly one source; `KmsKeyId` only with `Encrypted: true`; `LicenseType` or
 * `UsageOperation`, not both; no `uefi-preferred` boot mode. Decoding also checks what a type cannot (at least one disk,
 * tag lengths, the `aws:` prefix, `ClientToken` length, `Platform` for UEFI from a snapshot).
 *
 * @public
 * @since 0.1.0
 */
export type ImportImageRequest = Omit<
  ImportImageRequestMembers,
  'DiskContainers' | 'Encrypted' | 'KmsKeyId' | 'LicenseType' | 'UsageOperation' | 'BootMode'
> & {
  // Required, and non-empty at run time. Not a non-empty tuple type: `const r = { DiskContainers: [d] }` widens to
  // an array, and requests built the ordinary way would stop compiling.
  DiskContainers: Array<ImageDiskContainer>
  BootMode?: Exclude<BootModeValues, 'uefi-preferred'>
} & ImportEncryption &
  ImportLicensing

/**
 * The codec of `ImportImageRequest` type: its members, and every documented rule.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageRequest = S.narrow<ImportImageRequest>()(ImportImageRequestStruct)

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

/**
 * The S3 object a disk was read from, as the service reports it.
 *
 * @public
 * @since 0.1.0
 */
export const UserBucketDetails = S.struct('UserBucketDetails', {
  S3Bucket: S.member(S.string, { locationName: 's3Bucket' }),
  S3Key: S.member(S.string, { locationName: 's3Key' }),
})
/**
 * @public
 * @since 0.1.0
 */
export interface UserBucketDetails extends t.TypeOf<typeof UserBucketDetails> {}

/**
 * The progress of one disk of an import. Its `Status` moves on its own: a disk can be `completed` while the task is
 * still `active`.
 *
 * @public
 * @since 0.1.0
 */
export const SnapshotDetail = S.struct('SnapshotDetail', {
  Description: S.member(S.string, { locationName: 'description' }),
  DeviceName: S.member(S.string, { locationName: 'deviceName' }),
  DiskImageSize: S.member(S.double, { locationName: 'diskImageSize' }),
  Format: S.member(S.string, { locationName: 'format' }),
  Progress: S.member(S.string, { locationName: 'progress' }),
  SnapshotId: S.member(S.string, { locationName: 'snapshotId' }),
  Status: S.member(S.string, { locationName: 'status' }),
  StatusMessage: S.member(S.string, { locationName: 'statusMessage' }),
  Url: S.member(S.sensitiveString, { locationName: 'url', sensitive: true }),
  UserBucket: S.member(UserBucketDetails, { locationName: 'userBucket' }),
})
/**
 * @public
 * @since 0.1.0
 */
export interface SnapshotDetail extends t.TypeOf<typeof SnapshotDetail> {}

/**
 * A License Manager configuration associated with the AMI.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageLicenseConfigurationResponse = S.struct('ImportImageLicenseConfigurationResponse', {
  LicenseConfigurationArn: S.member(S.string, { locationName: 'licenseConfigurationArn' }),
})
/**
 * @public
 * @since 0.1.0
 */
export interface ImportImageLicenseConfigurationResponse
  extends t.TypeOf<typeof ImportImageLicenseConfigurationResponse> {}

/**
 * The task states (`Status`) of an import. Open: a state added later decodes as a plain string.
 *
 * @public
 * @since 0.1.0
 */
export const ImportTaskStatus = S.openEnumeration('ImportTaskStatus', [
  'active',
  'completed',
  'deleting',
  'deleted',
] as const)

/**
 * The members an `ImportImage` result and an `ImportImageTask` share.
 *
 * @internal
 */
export const importTaskMembers = {
  Architecture: S.member(S.openEnumeration('Architecture', ['i386', 'x86_64', 'arm64'] as const), {
    locationName: 'architecture',
  }),
  Description: S.member(S.string, { locationName: 'description' }),
  Encrypted: S.member(S.boolean, { locationName: 'encrypted' }),
  Hypervisor: S.member(S.openEnumeration('Hypervisor', ['xen'] as const), { locationName: 'hypervisor' }),
  ImageId: S.member(S.string, { locationName: 'imageId' }),
  // Optional in the model, but EC2 always returns a task's id: typed as present, and checked when decoding.
  ImportTaskId: S.member(S.string, { locationName: 'importTaskId', required: true }),
  KmsKeyId: S.member(S.string, { locationName: 'kmsKeyId' }),
  LicenseType: S.member(S.openEnumeration('LicenseType', ['AWS', 'BYOL'] as const), { locationName: 'licenseType' }),
  Platform: S.member(S.openEnumeration('Platform', ['Windows', 'Linux'] as const), { locationName: 'platform' }),
  Progress: S.member(S.string, { locationName: 'progress' }),
  SnapshotDetails: S.member(S.list(SnapshotDetail, 'item', 'SnapshotDetailList'), {
    locationName: 'snapshotDetailSet',
  }),
  Status: S.member(ImportTaskStatus, { locationName: 'status' }),
  StatusMessage: S.member(S.string, { locationName: 'statusMessage' }),
  LicenseSpecifications: S.member(
    S.list(ImportImageLicenseConfigurationResponse, 'item', 'ImportImageLicenseSpecificationListResponse'),
    { locationName: 'licenseSpecifications' },
  ),
  Tags: S.member(S.list(Tag, 'item', 'TagList'), { locationName: 'tagSet' }),
  UsageOperation: S.member(S.string, { locationName: 'usageOperation' }),
} as const

/**
 * The output of `ImportImage`: the new task, usually `active` with `StatusMessage: 'pending'`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageResult = S.struct('ImportImageResult', importTaskMembers)
/**
 * @public
 * @since 0.1.0
 */
export interface ImportImageResult extends t.TypeOf<typeof ImportImageResult> {}
