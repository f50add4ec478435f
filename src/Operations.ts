/**
 * Every operation the client speaks, in one table: its action name and the shapes of its request and result.
 * The client, the emulator and the tests take their operations from here.
 *
 * @since 0.2.0
 */
import { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'
import { DescribeImportImageTasksRequest, DescribeImportImageTasksResult } from './shapes/DescribeImportImageTasks.js'
import { ImportImageRequest, ImportImageResult } from './shapes/ImportImage.js'
import { operation, type Operation } from './internal/protocol/Operation.js'

// -------------------------------------------------------------------------------------------------
// EC2: VM Import
// -------------------------------------------------------------------------------------------------

/** @internal */
export const ImportImage: Operation<ImportImageRequest, ImportImageResult> = operation('ImportImage', ImportImageRequest, ImportImageResult)

/** @internal */
export const DescribeImportImageTasks: Operation<DescribeImportImageTasksRequest, DescribeImportImageTasksResult> = operation(
  'DescribeImportImageTasks',
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
)

/** @internal */
export const CancelImportTask: Operation<CancelImportTaskRequest, CancelImportTaskResult> = operation(
  'CancelImportTask',
  CancelImportTaskRequest,
  CancelImportTaskResult,
)
