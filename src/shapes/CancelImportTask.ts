/**
 * `CancelImportTask`: cancel an active import task.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

/**
 * The input of `CancelImportTask`.
 *
 * @public
 * @since 0.1.0
 */
export const CancelImportTaskRequest = S.struct(
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
 * @public
 * @since 0.1.0
 */
export interface CancelImportTaskRequest extends t.TypeOf<typeof CancelImportTaskRequest> {}

/**
 * The output of `CancelImportTask`: the task's state before and after (`active` → `deleting`).
 *
 * @public
 * @since 0.1.0
 */
export const CancelImportTaskResult = S.struct('CancelImportTaskResult', {
  ImportTaskId: S.member(S.string, { locationName: 'importTaskId' }),
  PreviousState: S.member(S.string, { locationName: 'previousState' }),
  State: S.member(S.string, { locationName: 'state' }),
})
/**
 * @public
 * @since 0.1.0
 */
export interface CancelImportTaskResult extends t.TypeOf<typeof CancelImportTaskResult> {}
