/**
 * `ImportImage`: its request and result shapes, and the rules a request must meet before it is sent.
 *
 * Member names, wire names and types follow the EC2 model (botocore `ec2/2016-11-15/service-2.json`); the test
 * `test/shapes/model.test.ts` checks every declaration here against it.
 *
 * Each structure is declared once, as `XShape`; its type is named after it (`interface X`) and its codec exported
 * under the same name with that type (`X: Shape<X>`), so the emitted declarations refer to nested shapes by name.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { ImportImageTagSpecification, Tag, tagRules } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

const UserBucketShape = S.struct(
  'UserBucket',
  {
    S3Bucket: S.member(S.string),
    S3Key: S.member(S.string),
  },
  { strict: true },
)
/**
 * The S3 object holding a disk image.
 *
 * @public
 * @since 0.1.0
 */
export interface UserBucket extends t.TypeOf<typeof UserBucketShape> {}
/**
 * The codec of `UserBucket`.
 *
 * @public
 * @since 0.1.0
 */
export const UserBucket: S.Shape<UserBucket> = UserBucketShape

/**
 * The disk image formats VM Import reads. The service compares them without regard to case.
 *
 * @public
 * @since 0.2.0
 */
export type DiskImageFormat = 'OVA' | 'VHD' | 'VHDX' | 'VMDK' | 'RAW' | 'ova' | 'vhd' | 'vhdx' | 'vmdk' | 'raw'
/**
 * The codec of `DiskImageFormat`.
 *
 * @public
 * @since 0.1.0
 */
export const DiskImageFormat: S.Enumeration<DiskImageFormat> = S.caseInsensitiveEnumeration('DiskImageFormat', [
  'OVA',
  'VHD',
  'VHDX',
  'VMDK',
  'RAW',
] as const)

const ImageDiskContainerShape = S.struct(
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
 * The members of `ImageDiskContainer` as the model has them, all optional: what the codec's members accept before
 * its rule narrows them to one source. For the type tests.
 *
 * @internal
 */
export type ImageDiskContainerMembers = t.TypeOf<typeof ImageDiskContainerShape>

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
 * One disk of the image: where it comes from and its format. The type says what the codec checks: exactly one
 * source (`Url`, `UserBucket` or `SnapshotId`).
 *
 * @public
 * @since 0.1.0
 */
export type ImageDiskContainer = Omit<t.TypeOf<typeof ImageDiskContainerShape>, keyof DiskSource> & DiskSource
/**
 * The codec of `ImageDiskContainer`: its members, and the one-source rule.
 *
 * @public
 * @since 0.1.0
 */
export const ImageDiskContainer: S.Shape<ImageDiskContainer> = S.narrow<ImageDiskContainer>()(ImageDiskContainerShape)

const ClientDataShape = S.struct(
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
 * What the client knows about the upload of the disk image, kept with the task.
 *
 * @public
 * @since 0.1.0
 */
export interface ClientData extends t.TypeOf<typeof ClientDataShape> {}
/**
 * The codec of `ClientData`.
 *
 * @public
 * @since 0.1.0
 */
export const ClientData: S.Shape<ClientData> = ClientDataShape

const ImportImageLicenseConfigurationRequestShape = S.struct(
  'ImportImageLicenseConfigurationRequest',
  {
    LicenseConfigurationArn: S.member(S.string),
  },
  { strict: true },
)
/**
 * A License Manager configuration to associate with the AMI.
 *
 * @public
 * @since 0.1.0
 */
export interface ImportImageLicenseConfigurationRequest
  extends t.TypeOf<typeof ImportImageLicenseConfigurationRequestShape> {}
/**
 * The codec of `ImportImageLicenseConfigurationRequest`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageLicenseConfigurationRequest: S.Shape<ImportImageLicenseConfigurationRequest> =
  ImportImageLicenseConfigurationRequestShape

/**
 * The architectures ImportImage accepts. `arm64` is listed for tasks but rejected by ImportImage ("has an invalid
 * format"); arm64 images are imported with ImportSnapshot and RegisterImage instead.
 *
 * @public
 * @since 0.2.0
 */
export type ImportArchitecture = 'i386' | 'x86_64'
/**
 * The codec of `ImportArchitecture`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportArchitecture: S.Enumeration<ImportArchitecture> = S.enumeration('ImportArchitecture', [
  'i386',
  'x86_64',
] as const)

/**
 * The boot modes of the model. `uefi-preferred` is in the enum but the service does not support it for imports: the
 * request's rules reject it with the documentation's words.
 *
 * @public
 * @since 0.1.0
 */
export type BootModeValues = 'legacy-bios' | 'uefi' | 'uefi-preferred'
/**
 * The codec of `BootModeValues`.
 *
 * @public
 * @since 0.1.0
 */
export const BootModeValues: S.Enumeration<BootModeValues> = S.enumeration('BootModeValues', [
  'legacy-bios',
  'uefi',
  'uefi-preferred',
] as const)

/**
 * The operating systems ImportImage knows.
 *
 * @public
 * @since 0.2.0
 */
export type ImportPlatform = 'Windows' | 'Linux'
/**
 * The codec of `ImportPlatform`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportPlatform: S.Enumeration<ImportPlatform> = S.enumeration('ImportPlatform', ['Windows', 'Linux'] as const)

/**
 * The license types: `AWS` (license included) or `BYOL`.
 *
 * @public
 * @since 0.2.0
 */
export type ImportLicenseType = 'AWS' | 'BYOL'
/**
 * The codec of `ImportLicenseType`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportLicenseType: S.Enumeration<ImportLicenseType> = S.enumeration('ImportLicenseType', ['AWS', 'BYOL'] as const)

/**
 * The only target hypervisor.
 *
 * @public
 * @since 0.2.0
 */
export type ImportHypervisor = 'xen'
/**
 * The codec of `ImportHypervisor`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportHypervisor: S.Enumeration<ImportHypervisor> = S.enumeration('ImportHypervisor', ['xen'] as const)

/**
 * The codec of `ClientToken`: a string of at most 64 ASCII characters.
 *
 * @public
 * @since 0.1.0
 */
export const ClientToken: t.Type<string, string, unknown> = S.constrainedString(
  'ClientToken',
  // eslint-disable-next-line no-control-regex
  (s) => s.length <= 64 && /^[\x00-\x7f]*$/.test(s),
  'ClientToken must be at most 64 ASCII characters',
)

const importImageRules = (r: {
  readonly DiskContainers?: ReadonlyArray<ImageDiskContainerMembers>
  readonly KmsKeyId?: string
  readonly Encrypted?: boolean
  readonly LicenseType?: string
  readonly UsageOperation?: string
  readonly BootMode?: string
  readonly Platform?: string
  readonly TagSpecifications?: ReadonlyArray<ImportImageTagSpecification>
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
    out.push(...tagRules(spec.Tags ?? [], ['TagSpecifications', i, 'Tags']))
  })
  return out
}

const ImportImageRequestShape = S.struct(
  'ImportImageRequest',
  {
    Architecture: S.member(ImportArchitecture),
    ClientData: S.member(ClientData),
    ClientToken: S.member(ClientToken, { idempotencyToken: true }),
    Description: S.member(S.string),
    // Required, and non-empty at run time (a rule). Not a non-empty tuple type: `const r = { DiskContainers: [d] }`
    // widens to an array, and requests built the ordinary way would stop compiling.
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
    TagSpecifications: S.member(S.list(ImportImageTagSpecification, 'item', 'TagSpecificationList'), {
      locationName: 'TagSpecification',
    }),
    UsageOperation: S.member(S.string),
    BootMode: S.member(BootModeValues),
  },
  { strict: true, rules: importImageRules },
)

/**
 * The members of `ImportImageRequest` as the model has them, before the rules narrow them. For the type tests.
 *
 * @internal
 */
export type ImportImageRequestMembers = t.TypeOf<typeof ImportImageRequestShape>

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
  | { LicenseType?: ImportLicenseType; UsageOperation?: never }
  | { UsageOperation: string; LicenseType?: never }

/**
 * The input of `ImportImage`. The type says what the codec checks, where TypeScript can: disk containers present,
 * each with exactly one source; `KmsKeyId` only with `Encrypted: true`; `LicenseType` or `UsageOperation`, not
 * both; no `uefi-preferred` boot mode. Decoding also checks what a type cannot (at least one disk, tag lengths, the
 * `aws:` prefix, `ClientToken` length, `Platform` for UEFI from a snapshot): a request that breaks a rule is a
 * `Left` naming the member, and nothing is sent.
 *
 * `ClientToken` is generated when absent, so every call is idempotent across retries.
 *
 * @public
 * @since 0.1.0
 */
export type ImportImageRequest = Omit<
  t.TypeOf<typeof ImportImageRequestShape>,
  keyof ImportEncryption | keyof ImportLicensing | 'BootMode'
> & { BootMode?: Exclude<BootModeValues, 'uefi-preferred'> } & ImportEncryption &
  ImportLicensing
/**
 * The codec of `ImportImageRequest`: its members, and every documented rule.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageRequest: S.Shape<ImportImageRequest> = S.narrow<ImportImageRequest>()(ImportImageRequestShape)

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

const UserBucketDetailsShape = S.struct('UserBucketDetails', {
  S3Bucket: S.member(S.string, { locationName: 's3Bucket' }),
  S3Key: S.member(S.string, { locationName: 's3Key' }),
})
/**
 * The S3 object a disk was read from, as the service reports it.
 *
 * @public
 * @since 0.1.0
 */
export interface UserBucketDetails extends t.TypeOf<typeof UserBucketDetailsShape> {}
/**
 * The codec of `UserBucketDetails`.
 *
 * @public
 * @since 0.1.0
 */
export const UserBucketDetails: S.Shape<UserBucketDetails> = UserBucketDetailsShape

const SnapshotDetailShape = S.struct('SnapshotDetail', {
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
 * The progress of one disk of an import. Its `Status` moves on its own: a disk can be `completed` while the task is
 * still `active`.
 *
 * @public
 * @since 0.1.0
 */
export interface SnapshotDetail extends t.TypeOf<typeof SnapshotDetailShape> {}
/**
 * The codec of `SnapshotDetail`.
 *
 * @public
 * @since 0.1.0
 */
export const SnapshotDetail: S.Shape<SnapshotDetail> = SnapshotDetailShape

const ImportImageLicenseConfigurationResponseShape = S.struct('ImportImageLicenseConfigurationResponse', {
  LicenseConfigurationArn: S.member(S.string, { locationName: 'licenseConfigurationArn' }),
})
/**
 * A License Manager configuration associated with the AMI.
 *
 * @public
 * @since 0.1.0
 */
export interface ImportImageLicenseConfigurationResponse
  extends t.TypeOf<typeof ImportImageLicenseConfigurationResponseShape> {}
/**
 * The codec of `ImportImageLicenseConfigurationResponse`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageLicenseConfigurationResponse: S.Shape<ImportImageLicenseConfigurationResponse> =
  ImportImageLicenseConfigurationResponseShape

/**
 * The task states (`Status`) of an import. Open: a state added later decodes as a plain string.
 *
 * @public
 * @since 0.2.0
 */
export type ImportTaskStatus = 'active' | 'completed' | 'deleting' | 'deleted' | (string & {})
/**
 * The codec of `ImportTaskStatus`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportTaskStatus: S.Enumeration<ImportTaskStatus> = S.openEnumeration('ImportTaskStatus', [
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

const ImportImageResultShape = S.struct('ImportImageResult', importTaskMembers)
/**
 * The output of `ImportImage`: the new task, usually `active` with `StatusMessage: 'pending'`.
 *
 * @public
 * @since 0.1.0
 */
export interface ImportImageResult extends t.TypeOf<typeof ImportImageResultShape> {}
/**
 * The codec of `ImportImageResult`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageResult: S.Shape<ImportImageResult> = ImportImageResultShape
