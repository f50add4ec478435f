/**
 * `ImportSnapshot`: its request and result shapes, and the rules a request must meet before it is sent.
 *
 * The snapshot path imports one disk as an EBS snapshot, untouched (no driver or boot loader changes, unlike
 * `ImportImage`); `RegisterImage` then makes the AMI. Member names, wire names and types follow the EC2 model
 * (`test/fixtures/ec2-image-pipeline-model.json`); `test/shapes/snapshot-path-model.test.ts` checks every
 * declaration here against it.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { ClientData, ClientToken, ImportTaskStatus, UserBucket, UserBucketDetails, type ImportEncryption } from './ImportImage.js'
import { ImportSnapshotTagSpecification, Tag } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

/**
 * The disk image formats ImportSnapshot reads: "Valid values: VHD | VMDK | RAW", compared without regard to case.
 *
 * @public
 * @since 0.2.0
 */
export type SnapshotDiskImageFormat = 'VHD' | 'VMDK' | 'RAW' | 'vhd' | 'vmdk' | 'raw'
/**
 * The codec of `SnapshotDiskImageFormat`.
 *
 * @public
 * @since 0.2.0
 */
export const SnapshotDiskImageFormat: S.Enumeration<SnapshotDiskImageFormat> = S.caseInsensitiveEnumeration('SnapshotDiskImageFormat', [
  'VHD',
  'VMDK',
  'RAW',
] as const)

const SNAPSHOT_SOURCES = ['Url', 'UserBucket'] as const

// `SnapshotDiskContainer`: its members and wire names, declared once (the interface and the codec below are named after it).
const SnapshotDiskContainerShape = S.struct(
  'SnapshotDiskContainer',
  {
    Description: S.member(S.string),
    Format: S.member(SnapshotDiskImageFormat),
    Url: S.member(S.sensitiveString, { sensitive: true }),
    UserBucket: S.member(UserBucket),
  },
  {
    strict: true,
    rules: (c) => {
      const sources = SNAPSHOT_SOURCES.filter((k) => c[k] !== undefined)
      return sources.length === 1
        ? []
        : [
            {
              path: sources.length === 0 ? [] : [sources[1]!],
              message: `a snapshot disk container needs exactly one source: Url or UserBucket (${sources.length === 0 ? 'none' : sources.join(' and ')} given)`,
            },
          ]
    },
  },
)
/**
 * The members of `SnapshotDiskContainer`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface SnapshotDiskContainerMembers extends t.TypeOf<typeof SnapshotDiskContainerShape> {}

/**
 * Where a snapshot's disk image comes from: exactly one of a URL (`https://` or `s3://`) or an S3 object.
 *
 * @public
 * @since 0.2.0
 */
export type SnapshotDiskSource = { Url: string; UserBucket?: never } | { UserBucket: UserBucket; Url?: never }

/**
 * The disk ImportSnapshot imports. The type says what the codec checks: exactly one source.
 *
 * @public
 * @since 0.2.0
 */
export type SnapshotDiskContainer = Omit<SnapshotDiskContainerMembers, 'Url' | 'UserBucket'> & SnapshotDiskSource

/**
 * The codec of `SnapshotDiskContainer`: its members and its rules.
 *
 * @public
 * @since 0.2.0
 */
export const SnapshotDiskContainer: S.Shape<SnapshotDiskContainer> =
  S.narrow<SnapshotDiskContainer>()(SnapshotDiskContainerShape)

// `ImportSnapshotRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImportSnapshotRequestShape = S.struct(
  'ImportSnapshotRequest',
  {
    ClientData: S.member(ClientData),
    ClientToken: S.member(ClientToken, { idempotencyToken: true }),
    Description: S.member(S.string),
    // Optional in the model, but there is nothing to import without it: required here, so it is caught early.
    DiskContainer: S.member(SnapshotDiskContainer, { required: true }),
    DryRun: S.member(S.boolean),
    Encrypted: S.member(S.boolean),
    KmsKeyId: S.member(S.string),
    RoleName: S.member(S.string),
    TagSpecifications: S.member(S.list(ImportSnapshotTagSpecification, 'item', 'TagSpecificationList'), {
      locationName: 'TagSpecification',
    }),
  },
  {
    strict: true,
    rules: (r) =>
      r.KmsKeyId !== undefined && r.Encrypted !== true
        ? [{ path: ['KmsKeyId'], message: 'KmsKeyId may only be given with Encrypted: true' }]
        : [],
  },
)
/**
 * The members of `ImportSnapshotRequest`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportSnapshotRequestMembers extends t.TypeOf<typeof ImportSnapshotRequestShape> {}

/**
 * The input of `ImportSnapshot`. The type says what the codec checks, where TypeScript can: one disk container with
 * exactly one source; `KmsKeyId` only with `Encrypted: true`; tags only on the `import-snapshot-task`. Decoding also
 * checks what a type cannot (the format's case, tag lengths, the `aws:` prefix, `ClientToken` length).
 *
 * `ClientToken` is generated when absent (see `Operation`), so every call is idempotent across retries.
 *
 * @public
 * @since 0.2.0
 */
export type ImportSnapshotRequest = Omit<ImportSnapshotRequestMembers, 'Encrypted' | 'KmsKeyId'> & ImportEncryption

/**
 * The codec of `ImportSnapshotRequest`: its members, and every documented rule.
 *
 * @public
 * @since 0.2.0
 */
export const ImportSnapshotRequest: S.Shape<ImportSnapshotRequest> =
  S.narrow<ImportSnapshotRequest>()(ImportSnapshotRequestShape)

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `SnapshotTaskDetail`: its members and wire names, declared once (the interface and the codec below are named after it).
const SnapshotTaskDetailShape = S.struct('SnapshotTaskDetail', {
  Description: S.member(S.string, { locationName: 'description' }),
  DiskImageSize: S.member(S.double, { locationName: 'diskImageSize' }),
  Encrypted: S.member(S.boolean, { locationName: 'encrypted' }),
  Format: S.member(S.string, { locationName: 'format' }),
  KmsKeyId: S.member(S.string, { locationName: 'kmsKeyId' }),
  Progress: S.member(S.string, { locationName: 'progress' }),
  SnapshotId: S.member(S.string, { locationName: 'snapshotId' }),
  Status: S.member(ImportTaskStatus, { locationName: 'status' }),
  StatusMessage: S.member(S.string, { locationName: 'statusMessage' }),
  Url: S.member(S.sensitiveString, { locationName: 'url', sensitive: true }),
  UserBucket: S.member(UserBucketDetails, { locationName: 'userBucket' }),
})
/**
 * The progress of a snapshot import. `Status` is the task's (`active`, `completed`, `deleting`, `deleted`),
 * `StatusMessage` the step (`pending`, `converting`, …) or the reason it failed; `SnapshotId` is there once the
 * snapshot exists.
 *
 * @public
 * @since 0.2.0
 */
export interface SnapshotTaskDetail extends t.TypeOf<typeof SnapshotTaskDetailShape> {}
/**
 * The progress of a snapshot import. `Status` is the task's (`active`, `completed`, `deleting`, `deleted`),
 * `StatusMessage` the step (`pending`, `converting`, …) or the reason it failed; `SnapshotId` is there once the
 * snapshot exists.
 *
 * @public
 * @since 0.2.0
 */
export const SnapshotTaskDetail: S.Shape<SnapshotTaskDetail> = SnapshotTaskDetailShape

/**
 * The members an `ImportSnapshot` result and an `ImportSnapshotTask` share.
 *
 * @internal
 */
export const importSnapshotTaskMembers = {
  Description: S.member(S.string, { locationName: 'description' }),
  // Optional in the model, but EC2 always returns a task's id: typed as present, and checked when decoding.
  ImportTaskId: S.member(S.string, { locationName: 'importTaskId', required: true }),
  SnapshotTaskDetail: S.member(SnapshotTaskDetail, { locationName: 'snapshotTaskDetail' }),
  Tags: S.member(S.list(Tag, 'item', 'TagList'), { locationName: 'tagSet' }),
} as const

// `ImportSnapshotResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImportSnapshotResultShape = S.struct('ImportSnapshotResult', importSnapshotTaskMembers)
/**
 * The output of `ImportSnapshot`: the new task, usually `active` with `StatusMessage: 'pending'`.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportSnapshotResult extends t.TypeOf<typeof ImportSnapshotResultShape> {}
/**
 * The output of `ImportSnapshot`: the new task, usually `active` with `StatusMessage: 'pending'`.
 *
 * @public
 * @since 0.2.0
 */
export const ImportSnapshotResult: S.Shape<ImportSnapshotResult> = ImportSnapshotResultShape
