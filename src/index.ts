/**
 * `ec2-import-image`: a strongly typed, focused client for Amazon EC2's VM Import API.
 *
 * This file is the whole public surface: every export is named here, none is re-exported wholesale.
 *
 * @packageDocumentation
 */

// shapes and codecs
export {
  BootModeValues,
  ClientData,
  ClientToken,
  DiskImageFormat,
  ImageDiskContainer,
  ImportArchitecture,
  ImportHypervisor,
  ImportImageLicenseConfigurationRequest,
  ImportImageLicenseConfigurationResponse,
  ImportImageRequest,
  ImportImageResult,
  ImportLicenseType,
  ImportPlatform,
  ImportTaskStatus,
  SnapshotDetail,
  UserBucket,
  UserBucketDetails,
} from './ImportImage.js'
export { ResourceType, Tag, TagSpecification } from './Tag.js'
export {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  Filter,
  ImportImageTask,
} from './DescribeImportImageTasks.js'
export { CancelImportTaskRequest, CancelImportTaskResult } from './CancelImportTask.js'

// the declaration combinators the codecs are built with
export {
  ListType,
  MapType,
  ScalarType,
  StructType,
  type Member,
  type MemberOptions,
  type MemberSpec,
  type Members,
  type RuleViolation,
  type ScalarKind,
  type StructOf,
  type StructOptions,
  type StructOutputOf,
  type TimestampFormat,
  type WireCodec,
} from './Schema.js'

// operations
export { CancelImportTask, DescribeImportImageTasks, EC2_API_VERSION, ImportImage, type Operation } from './Operation.js'

// errors
export {
  MAX_KEPT_BODY,
  THROTTLING_CODES,
  isDryRunOperation,
  isServiceError,
  isUnauthorizedOperation,
  type ConfigError,
  type CredentialsError,
  type DecodeError,
  type Ec2ImportError,
  type FieldError,
  type ServiceError,
  type TransportError,
  type TransportErrorReason,
  type ValidationError,
} from './Ec2ImportError.js'
