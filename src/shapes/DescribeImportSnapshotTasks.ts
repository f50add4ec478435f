/**
 * `DescribeImportSnapshotTasks`: the request, and the snapshot import tasks it returns.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { Filter } from './DescribeImportImageTasks.js'
import { importSnapshotTaskMembers } from './ImportSnapshot.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

// `DescribeImportSnapshotTasksRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const DescribeImportSnapshotTasksRequestShape = S.struct(
  'DescribeImportSnapshotTasksRequest',
  {
    DryRun: S.member(S.boolean),
    Filters: S.member(S.list(Filter, 'Filter', 'FilterList')),
    ImportTaskIds: S.member(S.list(S.string, 'ImportTaskId', 'ImportSnapshotTaskIdList'), {
      locationName: 'ImportTaskId',
    }),
    MaxResults: S.member(S.integer),
    NextToken: S.member(S.string),
  },
  { strict: true },
)
/**
 * The input of `DescribeImportSnapshotTasks`. Filters as for image imports (`task-state`, `tag:<key>`); the service
 * keeps tasks visible while active and for 7 days after they end.
 *
 * @public
 * @since 0.2.0
 */
export interface DescribeImportSnapshotTasksRequest extends t.TypeOf<typeof DescribeImportSnapshotTasksRequestShape> {}
/**
 * The input of `DescribeImportSnapshotTasks`. Filters as for image imports (`task-state`, `tag:<key>`); the service
 * keeps tasks visible while active and for 7 days after they end.
 *
 * @public
 * @since 0.2.0
 */
export const DescribeImportSnapshotTasksRequest: S.Shape<DescribeImportSnapshotTasksRequest> =
  DescribeImportSnapshotTasksRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `ImportSnapshotTask`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImportSnapshotTaskShape = S.struct('ImportSnapshotTask', importSnapshotTaskMembers)
/**
 * A snapshot import task as `DescribeImportSnapshotTasks` reports it: what `ImportSnapshot` returned, with its
 * progress in `SnapshotTaskDetail`.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportSnapshotTask extends t.TypeOf<typeof ImportSnapshotTaskShape> {}
/**
 * A snapshot import task as `DescribeImportSnapshotTasks` reports it: what `ImportSnapshot` returned, with its
 * progress in `SnapshotTaskDetail`.
 *
 * @public
 * @since 0.2.0
 */
export const ImportSnapshotTask: S.Shape<ImportSnapshotTask> = ImportSnapshotTaskShape

// `DescribeImportSnapshotTasksResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const DescribeImportSnapshotTasksResultShape = S.struct('DescribeImportSnapshotTasksResult', {
  ImportSnapshotTasks: S.member(S.list(ImportSnapshotTask, 'item', 'ImportSnapshotTaskList'), {
    locationName: 'importSnapshotTaskSet',
  }),
  NextToken: S.member(S.string, { locationName: 'nextToken' }),
})
/**
 * The output of `DescribeImportSnapshotTasks`: a page of tasks and the token of the next page, if any.
 *
 * @public
 * @since 0.2.0
 */
export interface DescribeImportSnapshotTasksResult extends t.TypeOf<typeof DescribeImportSnapshotTasksResultShape> {}
/**
 * The output of `DescribeImportSnapshotTasks`: a page of tasks and the token of the next page, if any.
 *
 * @public
 * @since 0.2.0
 */
export const DescribeImportSnapshotTasksResult: S.Shape<DescribeImportSnapshotTasksResult> =
  DescribeImportSnapshotTasksResultShape
