/**
 * Every operation the client speaks, in one table: its action name and the shapes of its request and result.
 * The client, the emulator and the tests take their operations from here.
 *
 * @since 0.2.0
 */
import { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'
import { DescribeImportImageTasksRequest, DescribeImportImageTasksResult } from './shapes/DescribeImportImageTasks.js'
import { ImportImageRequest, ImportImageResult } from './shapes/ImportImage.js'
import type { ServiceDescription } from './internal/http/Pipeline.js'
import { ec2Query } from './internal/protocol/Ec2Query.js'
import { operation, type Operation } from './internal/protocol/Operation.js'

export type { Operation } from './internal/protocol/Operation.js'

// -------------------------------------------------------------------------------------------------
// services
// -------------------------------------------------------------------------------------------------

/**
 * EC2: EC2 Query, signed as `ec2`.
 *
 * @internal
 */
export const EC2: ServiceDescription = { signingName: 'ec2', protocol: ec2Query }

// -------------------------------------------------------------------------------------------------
// EC2: VM Import
// -------------------------------------------------------------------------------------------------

/** @internal */
export const ImportImage: Operation<ImportImageRequest, ImportImageResult> = operation('ImportImage', ImportImageRequest, ImportImageResult, {
  idempotent: true, // its ClientToken
})

/** @internal */
export const DescribeImportImageTasks: Operation<DescribeImportImageTasksRequest, DescribeImportImageTasksResult> = operation(
  'DescribeImportImageTasks',
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  { idempotent: true },
)

/** @internal */
export const CancelImportTask: Operation<CancelImportTaskRequest, CancelImportTaskResult> = operation(
  'CancelImportTask',
  CancelImportTaskRequest,
  CancelImportTaskResult,
  { idempotent: false },
)
