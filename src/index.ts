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
  ImageDiskContainerStruct,
  ImportArchitecture,
  ImportHypervisor,
  ImportImageLicenseConfigurationRequest,
  ImportImageLicenseConfigurationResponse,
  ImportImageRequest,
  ImportImageRequestStruct,
  ImportImageResult,
  ImportLicenseType,
  ImportPlatform,
  ImportTaskStatus,
  SnapshotDetail,
  UserBucket,
  UserBucketDetails,
  type DiskSource,
  type ImportEncryption,
  type ImportImageRequestMembers,
  type ImportLicensing,
} from './shapes/ImportImage.js'
export { ResourceType, Tag, TagSpecification } from './shapes/Tag.js'
export {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  Filter,
  ImportImageTask,
} from './shapes/DescribeImportImageTasks.js'
export { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'

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
  type NumberOutput,
  type OptionalKeys,
  type RequiredKeys,
  narrow,
  type RuleViolation,
  type ScalarKind,
  type StructOf,
  type StructOptions,
  type StructOutputOf,
  type TimestampFormat,
  type WireCodec,
  redact,
} from './internal/schema/Schema.js'

// operations

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
  type PaginationError,
  type TransportErrorReason,
  type ValidationError,
  type WaitError,
  type WaitErrorReason,
} from './Ec2ImportError.js'

// the client
export {
  createClient,
  dryRunOutcome,
  type CallOptions,
  type DryRunOutcome,
  type Ec2ImportClient,
  type ResponseMetadata,
  type Runtime,
  type WithMetadata,
} from './Client.js'
export type { ClientConfig, Logger } from './ClientConfig.js'
export {
  CredentialsProviderError,
  memoizeCredentials,
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  type CredentialsProviderErrorOptions,
  type MemoizeCredentialsOptions,
  type RefreshableCredentialsProvider,
} from './Credentials.js'
export type { ProviderEnvironment } from './internal/config/SharedConfigFiles.js'
export type { RetryPolicy } from './internal/http/Retry.js'

// waiting and paging
export { WAIT_DEFAULTS, type DiskProgress, type ImportProgress, type WaitOptions } from './Waiter.js'
export { classifyImportFailure, type ImportFailure, type ImportFailureReason } from './ImportTaskFailure.js'
