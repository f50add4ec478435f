/**
 * Every operation the client speaks, in one table: its action name and the shapes of its request and result.
 * The client, the emulator and the tests take their operations from here.
 *
 * @since 0.2.0
 */
import { CancelImportTaskRequest, CancelImportTaskResult } from '../shapes/CancelImportTask.js'
import { DescribeImportImageTasksRequest, DescribeImportImageTasksResult } from '../shapes/DescribeImportImageTasks.js'
import { ImportImageRequest, ImportImageResult } from '../shapes/ImportImage.js'
import { CopyImageRequest, CopyImageResult } from '../shapes/CopyImage.js'
import { CreateTagsRequest, CreateTagsResult } from '../shapes/CreateTags.js'
import { DeleteSnapshotRequest, DeleteSnapshotResult } from '../shapes/DeleteSnapshot.js'
import { DeregisterImageRequest, DeregisterImageResult } from '../shapes/DeregisterImage.js'
import { DescribeImageAttributeRequest, ImageAttribute } from '../shapes/DescribeImageAttribute.js'
import { DescribeImagesRequest, DescribeImagesResult } from '../shapes/DescribeImages.js'
import { DescribeImportSnapshotTasksRequest, DescribeImportSnapshotTasksResult } from '../shapes/DescribeImportSnapshotTasks.js'
import { DescribeSnapshotsRequest, DescribeSnapshotsResult } from '../shapes/DescribeSnapshots.js'
import { ImportSnapshotRequest, ImportSnapshotResult } from '../shapes/ImportSnapshot.js'
import { ModifyImageAttributeRequest, ModifyImageAttributeResult } from '../shapes/ModifyImageAttribute.js'
import { ModifySnapshotAttributeRequest, ModifySnapshotAttributeResult } from '../shapes/ModifySnapshotAttribute.js'
import { RegisterImageRequest, RegisterImageResult } from '../shapes/RegisterImage.js'
import type { Service } from '../ServiceCaller.js'
import { ec2Query } from '../internal/protocol/Ec2Query.js'
import { operation, type Operation } from '../internal/protocol/Operation.js'

export type { Operation } from '../internal/protocol/Operation.js'

// -------------------------------------------------------------------------------------------------
// services
// -------------------------------------------------------------------------------------------------

/**
 * EC2: EC2 Query, signed as `ec2`.
 *
 * @internal
 */
export const EC2: Service = { id: 'ec2', signingName: 'ec2', protocol: ec2Query }

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

// -------------------------------------------------------------------------------------------------
// EC2: the snapshot path (ImportSnapshot → RegisterImage) and the AMI calls around an import
// -------------------------------------------------------------------------------------------------

/** @internal */
export const ImportSnapshot: Operation<ImportSnapshotRequest, ImportSnapshotResult> = operation(
  'ImportSnapshot',
  ImportSnapshotRequest,
  ImportSnapshotResult,
  { idempotent: true }, // its ClientToken, always sent
)

/** @internal */
export const DescribeImportSnapshotTasks: Operation<DescribeImportSnapshotTasksRequest, DescribeImportSnapshotTasksResult> =
  operation('DescribeImportSnapshotTasks', DescribeImportSnapshotTasksRequest, DescribeImportSnapshotTasksResult, {
    idempotent: true,
  })

/** @internal */
export const RegisterImage: Operation<RegisterImageRequest, RegisterImageResult> = operation(
  'RegisterImage',
  RegisterImageRequest,
  RegisterImageResult,
  // no ClientToken in the model: a repeat that reached the service registers a second AMI or fails on the name
  { idempotent: false },
)

/** @internal */
export const DescribeImages: Operation<DescribeImagesRequest, DescribeImagesResult> = operation(
  'DescribeImages',
  DescribeImagesRequest,
  DescribeImagesResult,
  { idempotent: true },
)

/** @internal */
export const DeregisterImage: Operation<DeregisterImageRequest, DeregisterImageResult> = operation(
  'DeregisterImage',
  DeregisterImageRequest,
  DeregisterImageResult,
  // a repeat of one that succeeded fails (the AMI is gone), which would hide the success
  { idempotent: false },
)

/**
 * The model declares no output: `CreateTagsResult` is an empty structure.
 *
 * @internal
 */
export const CreateTags: Operation<CreateTagsRequest, CreateTagsResult> = operation(
  'CreateTags',
  CreateTagsRequest,
  CreateTagsResult,
  { idempotent: true }, // setting the same tags again leaves the same tags
)

/** @internal */
export const CopyImage: Operation<CopyImageRequest, CopyImageResult> = operation('CopyImage', CopyImageRequest, CopyImageResult, {
  idempotent: true, // its ClientToken, always sent
})

/**
 * The model declares no output: `ModifyImageAttributeResult` is an empty structure.
 *
 * @internal
 */
export const ModifyImageAttribute: Operation<ModifyImageAttributeRequest, ModifyImageAttributeResult> = operation(
  'ModifyImageAttribute',
  ModifyImageAttributeRequest,
  ModifyImageAttributeResult,
  { idempotent: true }, // adding or removing the same permission again leaves the same permissions
)

/** @internal */
export const DescribeImageAttribute: Operation<DescribeImageAttributeRequest, ImageAttribute> = operation(
  'DescribeImageAttribute',
  DescribeImageAttributeRequest,
  ImageAttribute,
  { idempotent: true },
)

/**
 * The model declares no output: `ModifySnapshotAttributeResult` is an empty structure.
 *
 * @internal
 */
export const ModifySnapshotAttribute: Operation<ModifySnapshotAttributeRequest, ModifySnapshotAttributeResult> = operation(
  'ModifySnapshotAttribute',
  ModifySnapshotAttributeRequest,
  ModifySnapshotAttributeResult,
  { idempotent: true }, // adding or removing the same permission again leaves the same permissions
)

/**
 * The model declares no output: `DeleteSnapshotResult` is an empty structure.
 *
 * @internal
 */
export const DeleteSnapshot: Operation<DeleteSnapshotRequest, DeleteSnapshotResult> = operation(
  'DeleteSnapshot',
  DeleteSnapshotRequest,
  DeleteSnapshotResult,
  // a repeat of one that succeeded fails (the snapshot is gone), which would hide the success
  { idempotent: false },
)

/** @internal */
export const DescribeSnapshots: Operation<DescribeSnapshotsRequest, DescribeSnapshotsResult> = operation(
  'DescribeSnapshots',
  DescribeSnapshotsRequest,
  DescribeSnapshotsResult,
  { idempotent: true },
)
