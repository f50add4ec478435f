/**
 * `DescribeImportImageTasks`: the request, its filters, and the tasks it returns.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { importTaskMembers } from './ImportImage.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

const FilterShape = S.struct(
  'Filter',
  {
    Name: S.member(S.string),
    Values: S.member(S.list(S.string, 'item', 'ValueStringList'), { locationName: 'Value' }),
  },
  { strict: true },
)
/**
 * A filter: `task-state` (`active`, `completed`, `deleting`, `deleted`) or `tag:<key>`, with the values to match.
 *
 * @public
 * @since 0.1.0
 */
export interface Filter extends t.TypeOf<typeof FilterShape> {}
/**
 * The codec of `Filter`.
 *
 * @public
 * @since 0.1.0
 */
export const Filter: S.Shape<Filter> = FilterShape

const DescribeImportImageTasksRequestShape = S.struct(
  'DescribeImportImageTasksRequest',
  {
    DryRun: S.member(S.boolean),
    Filters: S.member(S.list(Filter, 'Filter', 'FilterList')),
    ImportTaskIds: S.member(S.list(S.string, 'ImportTaskId', 'ImportTaskIdList'), { locationName: 'ImportTaskId' }),
    MaxResults: S.member(S.integer),
    NextToken: S.member(S.string),
  },
  { strict: true },
)
/**
 * The input of `DescribeImportImageTasks`. The service keeps tasks visible while active and for 7 days after they
 * end.
 *
 * @public
 * @since 0.1.0
 */
export interface DescribeImportImageTasksRequest extends t.TypeOf<typeof DescribeImportImageTasksRequestShape> {}
/**
 * The codec of `DescribeImportImageTasksRequest`.
 *
 * @public
 * @since 0.1.0
 */
export const DescribeImportImageTasksRequest: S.Shape<DescribeImportImageTasksRequest> =
  DescribeImportImageTasksRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

const ImportImageTaskShape = S.struct('ImportImageTask', {
  ...importTaskMembers,
  BootMode: S.member(S.openEnumeration('BootModeValues', ['legacy-bios', 'uefi', 'uefi-preferred'] as const), {
    locationName: 'bootMode',
  }),
})
/**
 * An import task as `DescribeImportImageTasks` reports it: what `ImportImage` returned, plus `BootMode`.
 * `Progress` is a string percentage, present while the task is active.
 *
 * @public
 * @since 0.1.0
 */
export interface ImportImageTask extends t.TypeOf<typeof ImportImageTaskShape> {}
/**
 * The codec of `ImportImageTask`.
 *
 * @public
 * @since 0.1.0
 */
export const ImportImageTask: S.Shape<ImportImageTask> = ImportImageTaskShape

const DescribeImportImageTasksResultShape = S.struct('DescribeImportImageTasksResult', {
  ImportImageTasks: S.member(S.list(ImportImageTask, 'item', 'ImportImageTaskList'), {
    locationName: 'importImageTaskSet',
  }),
  NextToken: S.member(S.string, { locationName: 'nextToken' }),
})
/**
 * The output of `DescribeImportImageTasks`: a page of tasks and the token of the next page, if any.
 *
 * @public
 * @since 0.1.0
 */
export interface DescribeImportImageTasksResult extends t.TypeOf<typeof DescribeImportImageTasksResultShape> {}
/**
 * The codec of `DescribeImportImageTasksResult`.
 *
 * @public
 * @since 0.1.0
 */
export const DescribeImportImageTasksResult: S.Shape<DescribeImportImageTasksResult> =
  DescribeImportImageTasksResultShape
