/**
 * `DeregisterImage`: remove an AMI, optionally with the snapshots behind it.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

// `DeregisterImageRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const DeregisterImageRequestShape = S.struct(
  'DeregisterImageRequest',
  {
    ImageId: S.member(S.string, { required: true }),
    DeleteAssociatedSnapshots: S.member(S.boolean),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
  },
  { strict: true },
)
/**
 * The input of `DeregisterImage`. `DeleteAssociatedSnapshots: true` also deletes the AMI's snapshots (each one's
 * outcome is in the result).
 *
 * @public
 * @since 0.2.0
 */
export interface DeregisterImageRequest extends t.TypeOf<typeof DeregisterImageRequestShape> {}
/**
 * The input of `DeregisterImage`. `DeleteAssociatedSnapshots: true` also deletes the AMI's snapshots (each one's
 * outcome is in the result).
 *
 * @public
 * @since 0.2.0
 */
export const DeregisterImageRequest: S.Shape<DeregisterImageRequest> = DeregisterImageRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `DeleteSnapshotReturnCode`: its members and wire names, declared once (the interface and the codec below are named after it).
const DeleteSnapshotReturnCodeShape = S.struct('DeleteSnapshotReturnCode', {
  SnapshotId: S.member(S.string, { locationName: 'snapshotId' }),
  ReturnCode: S.member(
    S.openEnumeration('SnapshotReturnCodes', [
      'success',
      'skipped',
      'missing-permissions',
      'internal-error',
      'client-error',
    ] as const),
    { locationName: 'returnCode' },
  ),
})
/**
 * What became of one snapshot `DeregisterImage` was asked to delete: `success`, `skipped`,
 * `missing-permissions`, … (open: a code added later decodes as a plain string).
 *
 * @public
 * @since 0.2.0
 */
export interface DeleteSnapshotReturnCode extends t.TypeOf<typeof DeleteSnapshotReturnCodeShape> {}
/**
 * What became of one snapshot `DeregisterImage` was asked to delete: `success`, `skipped`,
 * `missing-permissions`, … (open: a code added later decodes as a plain string).
 *
 * @public
 * @since 0.2.0
 */
export const DeleteSnapshotReturnCode: S.Shape<DeleteSnapshotReturnCode> = DeleteSnapshotReturnCodeShape

// `DeregisterImageResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const DeregisterImageResultShape = S.struct('DeregisterImageResult', {
  Return: S.member(S.boolean, { locationName: 'return' }),
  DeleteSnapshotResults: S.member(S.list(DeleteSnapshotReturnCode, 'item', 'DeleteSnapshotResultSet'), {
    locationName: 'deleteSnapshotResultSet',
  }),
})
/**
 * The output of `DeregisterImage`: whether it succeeded, and the fate of each associated snapshot.
 *
 * @public
 * @since 0.2.0
 */
export interface DeregisterImageResult extends t.TypeOf<typeof DeregisterImageResultShape> {}
/**
 * The output of `DeregisterImage`: whether it succeeded, and the fate of each associated snapshot.
 *
 * @public
 * @since 0.2.0
 */
export const DeregisterImageResult: S.Shape<DeregisterImageResult> = DeregisterImageResultShape
