/**
 * `DeleteSnapshot`: delete an EBS snapshot (one no registered AMI uses).
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

// `DeleteSnapshotRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const DeleteSnapshotRequestShape = S.struct(
  'DeleteSnapshotRequest',
  {
    SnapshotId: S.member(S.string, { required: true }),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
  },
  { strict: true },
)
/**
 * The input of `DeleteSnapshot`.
 *
 * @public
 * @since 0.2.0
 */
export interface DeleteSnapshotRequest extends t.TypeOf<typeof DeleteSnapshotRequestShape> {}
/**
 * The input of `DeleteSnapshot`.
 *
 * @public
 * @since 0.2.0
 */
export const DeleteSnapshotRequest: S.Shape<DeleteSnapshotRequest> = DeleteSnapshotRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `DeleteSnapshotResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const DeleteSnapshotResultShape = S.struct('DeleteSnapshotResult', {})
/**
 * The output of `DeleteSnapshot`: empty. The model declares no output (EC2 answers `<return>true</return>`, which
 * the model does not name); this empty structure lets the call decode its response like every other call.
 *
 * @public
 * @since 0.2.0
 */
export interface DeleteSnapshotResult extends t.TypeOf<typeof DeleteSnapshotResultShape> {}
/**
 * The output of `DeleteSnapshot`: empty. The model declares no output (EC2 answers `<return>true</return>`, which
 * the model does not name); this empty structure lets the call decode its response like every other call.
 *
 * @public
 * @since 0.2.0
 */
export const DeleteSnapshotResult: S.Shape<DeleteSnapshotResult> = DeleteSnapshotResultShape
