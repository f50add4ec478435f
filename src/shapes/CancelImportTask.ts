/**
 * `CancelImportTask`: cancel an active import task.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

const CancelImportTaskRequestShape = S.struct(
  'CancelImportTaskRequest',
  {
    CancelReason: S.member(S.string),
    DryRun: S.member(S.boolean),
    // Optional in the model, but there is nothing to cancel without it: required here, so it is caught early.
    ImportTaskId: S.member(S.string, { required: true }),
  },
  { strict: true },
)
/**
 * The input of `CancelImportTask`.
 *
 * @public
 * @since 0.1.0
 */
export interface CancelImportTaskRequest extends t.TypeOf<typeof CancelImportTaskRequestShape> {}
/**
 * The codec of `CancelImportTaskRequest`.
 *
 * @public
 * @since 0.1.0
 */
export const CancelImportTaskRequest: S.Shape<CancelImportTaskRequest> = CancelImportTaskRequestShape

const CancelImportTaskResultShape = S.struct('CancelImportTaskResult', {
  ImportTaskId: S.member(S.string, { locationName: 'importTaskId' }),
  PreviousState: S.member(S.string, { locationName: 'previousState' }),
  State: S.member(S.string, { locationName: 'state' }),
})
/**
 * The output of `CancelImportTask`: the task's state before and after (`active` → `deleting`).
 *
 * @public
 * @since 0.1.0
 */
export interface CancelImportTaskResult extends t.TypeOf<typeof CancelImportTaskResultShape> {}
/**
 * The codec of `CancelImportTaskResult`.
 *
 * @public
 * @since 0.1.0
 */
export const CancelImportTaskResult: S.Shape<CancelImportTaskResult> = CancelImportTaskResultShape
