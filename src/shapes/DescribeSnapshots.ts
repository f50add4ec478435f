/**
 * `DescribeSnapshots`: the request (ids, owners, filters) and the EBS snapshots it returns.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { Filter } from './DescribeImportImageTasks.js'
import { Tag } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

// `DescribeSnapshotsRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const DescribeSnapshotsRequestShape = S.struct(
  'DescribeSnapshotsRequest',
  {
    MaxResults: S.member(S.integer),
    NextToken: S.member(S.string),
    OwnerIds: S.member(S.list(S.string, 'Owner', 'OwnerStringList'), { locationName: 'Owner' }),
    RestorableByUserIds: S.member(S.list(S.string, 'member', 'RestorableByStringList'), { locationName: 'RestorableBy' }),
    SnapshotIds: S.member(S.list(S.string, 'SnapshotId', 'SnapshotIdStringList'), { locationName: 'SnapshotId' }),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
    Filters: S.member(S.list(Filter, 'Filter', 'FilterList'), { locationName: 'Filter' }),
  },
  { strict: true },
)
/**
 * The input of `DescribeSnapshots`. Filters such as `snapshot-id`, `status`, `tag:<key>`; `OwnerIds: ['self']`
 * for your own snapshots.
 *
 * @public
 * @since 0.2.0
 */
export interface DescribeSnapshotsRequest extends t.TypeOf<typeof DescribeSnapshotsRequestShape> {}
/**
 * The input of `DescribeSnapshots`. Filters such as `snapshot-id`, `status`, `tag:<key>`; `OwnerIds: ['self']`
 * for your own snapshots.
 *
 * @public
 * @since 0.2.0
 */
export const DescribeSnapshotsRequest: S.Shape<DescribeSnapshotsRequest> = DescribeSnapshotsRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `Snapshot`: its members and wire names, declared once (the interface and the codec below are named after it).
const SnapshotShape = S.struct('Snapshot', {
  OwnerAlias: S.member(S.string, { locationName: 'ownerAlias' }),
  OutpostArn: S.member(S.string, { locationName: 'outpostArn' }),
  Tags: S.member(S.list(Tag, 'item', 'TagList'), { locationName: 'tagSet' }),
  StorageTier: S.member(S.openEnumeration('StorageTier', ['archive', 'standard'] as const), { locationName: 'storageTier' }),
  RestoreExpiryTime: S.member(S.timestamp(), { locationName: 'restoreExpiryTime' }),
  SseType: S.member(S.openEnumeration('SSEType', ['sse-ebs', 'sse-kms', 'none'] as const), { locationName: 'sseType' }),
  AvailabilityZone: S.member(S.string, { locationName: 'availabilityZone' }),
  TransferType: S.member(S.openEnumeration('TransferType', ['time-based', 'standard'] as const), {
    locationName: 'transferType',
  }),
  CompletionDurationMinutes: S.member(S.integer, { locationName: 'completionDurationMinutes' }),
  CompletionTime: S.member(S.timestamp(), { locationName: 'completionTime' }),
  FullSnapshotSizeInBytes: S.member(S.long, { locationName: 'fullSnapshotSizeInBytes' }),
  SnapshotId: S.member(S.string, { locationName: 'snapshotId' }),
  VolumeId: S.member(S.string, { locationName: 'volumeId' }),
  State: S.member(
    S.openEnumeration('SnapshotState', ['pending', 'completed', 'error', 'recoverable', 'recovering'] as const),
    { locationName: 'status' },
  ),
  StateMessage: S.member(S.string, { locationName: 'statusMessage' }),
  StartTime: S.member(S.timestamp(), { locationName: 'startTime' }),
  Progress: S.member(S.string, { locationName: 'progress' }),
  OwnerId: S.member(S.string, { locationName: 'ownerId' }),
  Description: S.member(S.string, { locationName: 'description' }),
  VolumeSize: S.member(S.integer, { locationName: 'volumeSize' }),
  Encrypted: S.member(S.boolean, { locationName: 'encrypted' }),
  KmsKeyId: S.member(S.string, { locationName: 'kmsKeyId' }),
  DataEncryptionKeyId: S.member(S.string, { locationName: 'dataEncryptionKeyId' }),
})
/**
 * An EBS snapshot, as `DescribeSnapshots` reports it. `State` moves `pending` → `completed` (or `error`).
 *
 * @public
 * @since 0.2.0
 */
export interface Snapshot extends t.TypeOf<typeof SnapshotShape> {}
/**
 * An EBS snapshot, as `DescribeSnapshots` reports it. `State` moves `pending` → `completed` (or `error`).
 *
 * @public
 * @since 0.2.0
 */
export const Snapshot: S.Shape<Snapshot> = SnapshotShape

// `DescribeSnapshotsResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const DescribeSnapshotsResultShape = S.struct('DescribeSnapshotsResult', {
  NextToken: S.member(S.string, { locationName: 'nextToken' }),
  Snapshots: S.member(S.list(Snapshot, 'item', 'SnapshotList'), { locationName: 'snapshotSet' }),
})
/**
 * The output of `DescribeSnapshots`: a page of snapshots and the token of the next page, if any.
 *
 * @public
 * @since 0.2.0
 */
export interface DescribeSnapshotsResult extends t.TypeOf<typeof DescribeSnapshotsResultShape> {}
/**
 * The output of `DescribeSnapshots`: a page of snapshots and the token of the next page, if any.
 *
 * @public
 * @since 0.2.0
 */
export const DescribeSnapshotsResult: S.Shape<DescribeSnapshotsResult> = DescribeSnapshotsResultShape
