/**
 * `ec2-import-image`: a strongly typed, focused client for Amazon EC2's VM Import API.
 *
 * This file is the whole public surface: every export is named here, none is re-exported wholesale. What is here is
 * what a user can call, pass or match on; the declaration combinators, the protocol engine and the pipeline stay
 * internal, so they can change without a major release.
 *
 * @packageDocumentation
 */

// shapes and codecs: each codec has the name of its type, and its type is `Shape<X>` or `Enumeration<X>`
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
  type DiskSource,
  type ImportEncryption,
  type ImportLicensing,
} from './shapes/ImportImage.js'
export {
  ImageTagSpecification,
  ImportImageResourceType,
  ImportImageTagSpecification,
  ImportSnapshotTagSpecification,
  ResourceType,
  Tag,
  TagSpecification,
} from './shapes/Tag.js'
export {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  Filter,
  ImportImageTask,
} from './shapes/DescribeImportImageTasks.js'
export { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'

// the snapshot path and the AMI calls around an import
export {
  ImportSnapshotRequest,
  ImportSnapshotResult,
  SnapshotDiskContainer,
  SnapshotDiskImageFormat,
  SnapshotTaskDetail,
  type ImportSnapshotRequestMembers,
  type SnapshotDiskContainerMembers,
  type SnapshotDiskSource,
} from './shapes/ImportSnapshot.js'
export {
  DescribeImportSnapshotTasksRequest,
  DescribeImportSnapshotTasksResult,
  ImportSnapshotTask,
} from './shapes/DescribeImportSnapshotTasks.js'
export {
  AccountId,
  ArchitectureValues,
  AttributeValue,
  BlockDeviceMapping,
  EbsBlockDevice,
  Image,
  ImageBlockDeviceMapping,
  ImageDescription,
  ImageEbsBlockDevice,
  ImageLaunchPermission,
  ImageName,
  ImageUefiData,
  ImdsSupportValues,
  LaunchPermission,
  OperationType,
  OrganizationArn,
  OrganizationalUnitArn,
  PermissionGroup,
  ProductCode,
  StateReason,
  TpmSupportValues,
  VolumeType,
  type BlockDeviceMappingMembers,
  type BlockDeviceTarget,
  type EbsBlockDeviceMembers,
  type EbsVolumePerformance,
  type LaunchPermissionMembers,
} from './shapes/Image.js'
export { RegisterImageRequest, RegisterImageResult, type RegisterImageRequestMembers, type RootDevice } from './shapes/RegisterImage.js'
export { DescribeImagesRequest, DescribeImagesResult } from './shapes/DescribeImages.js'
export { DeleteSnapshotReturnCode, DeregisterImageRequest, DeregisterImageResult } from './shapes/DeregisterImage.js'
export { CreateTagsRequest, CreateTagsResult } from './shapes/CreateTags.js'
export { CopyImageClientToken, CopyImageRequest, CopyImageResult, type CopyImageRequestMembers } from './shapes/CopyImage.js'
export {
  LaunchPermissionModifications,
  ModifyImageAttributeRequest,
  ModifyImageAttributeResult,
} from './shapes/ModifyImageAttribute.js'
export { DescribeImageAttributeRequest, ImageAttribute, ImageAttributeName } from './shapes/DescribeImageAttribute.js'
export {
  CreateVolumePermission,
  CreateVolumePermissionModifications,
  ModifySnapshotAttributeRequest,
  ModifySnapshotAttributeResult,
  SnapshotAttributeName,
  type CreateVolumePermissionMembers,
} from './shapes/ModifySnapshotAttribute.js'
export { DeleteSnapshotRequest, DeleteSnapshotResult } from './shapes/DeleteSnapshot.js'
export { DescribeSnapshotsRequest, DescribeSnapshotsResult, Snapshot } from './shapes/DescribeSnapshots.js'
export type { Enumeration, Shape } from './internal/schema/Schema.js'

// errors
export {
  MAX_KEPT_BODY,
  RESOURCE_COUNT_LIMIT_HINT,
  THROTTLING_CODES,
  isDryRunOperation,
  isResourceCountLimitExceeded,
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
  type ImageWaitError,
  type ImageWaitErrorReason,
  type ImportImageWaitError,
  type ImportSnapshotWaitError,
  type ImportTaskWaitErrorReason,
} from './Ec2ImportError.js'

// the client
export { createClient, type Ec2ImportClient } from './Client.js'
export type { CallOptions, DryRunOutcome, ResponseMetadata, Runtime, WithMetadata } from './Call.js'
export { defaultEnvironment, type ClientConfig, type ServiceId } from './ClientConfig.js'
export type { Logger } from './Logger.js'
export type { ProviderEnvironment } from './internal/config/SharedConfigFiles.js'
export type { RetryPolicy } from './internal/http/Retry.js'

// credentials: the provider type, the cache, and the sources of the default chain, each usable on its own
export {
  CredentialsProviderError,
  isCredentialsProviderError,
  memoizeCredentials,
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  type CredentialsProviderErrorOptions,
  type MemoizeCredentialsOptions,
  type RefreshableCredentialsProvider,
} from './Credentials.js'
export {
  defaultCredentialChain,
  fromEnv,
  fromIni,
  fromWebIdentityTokenFile,
  type DefaultCredentialChainOptions,
  type FromEnvOptions,
  type FromIniOptions,
  type FromWebIdentityTokenFileOptions,
} from './internal/credentials/CredentialProviders.js'
export {
  fromContainerMetadata,
  type ContainerMetadataOptions,
  type FromContainerMetadataOptions,
} from './internal/credentials/ContainerMetadata.js'
export {
  fromInstanceMetadata,
  type FromInstanceMetadataOptions,
  type InstanceMetadataOptions,
} from './internal/credentials/InstanceMetadata.js'
export {
  createStsClient,
  type AssumeRoleInput,
  type AssumeRoleWithWebIdentityInput,
  type StsClient,
  type StsClientOptions,
} from './internal/credentials/Sts.js'

// waiting and paging
export {
  WAIT_DEFAULTS,
  type AvailableImage,
  type CompletedImportSnapshotTask,
  type CompletedSnapshotTaskDetail,
  type DiskProgress,
  type ImageProgress,
  type ImageWaitOptions,
  type ImportProgress,
  type ImportSnapshotProgress,
  type ImportSnapshotWaitOptions,
  type ImportTaskWaitOptions,
  type WaitOptions,
  type WaitOptionsBase,
  type WaiterError,
} from './Waiter.js'
export { classifyImportFailure, type ImportFailure, type ImportFailureReason } from './ImportTaskFailure.js'

// the whole import in one call
export {
  WORKFLOW_TAGS,
  importDiskImage,
  type CopyTarget,
  type DiskImageSource,
  type ImportDiskImageOptions,
  type ImportDiskImageProgress,
  type ImportDiskImageResult,
  type ImportMethod,
  type ImportPhase,
  type ImportResources,
  type ImportWorkflowError,
  type RegionImage,
  type ShareWith,
} from './ImportDiskImage.js'

// before the import: the service role, checked and made
export {
  preflightImport,
  type PreflightCheck,
  type PreflightCheckId,
  type PreflightImportOptions,
  type PreflightReport,
  type PreflightStatus,
} from './PreflightImport.js'
export {
  ensureVmImportRole,
  type EnsureVmImportRoleOptions,
  type EnsureVmImportRoleResult,
  type VmImportRoleChange,
} from './VmImportRole.js'
export type { OneOrMore, PolicyCondition, PolicyDocument, PolicyPrincipal, PolicyStatement } from './internal/iam/PolicyDocument.js'

// before the import: the disk image's format, and the upload to S3
export { detectDiskImageFormat, type DetectedDiskImage, type DiskImageFormatError } from './DetectDiskImageFormat.js'
export {
  uploadDiskImage,
  type ObjectChecksum,
  type UploadChecksum,
  type UploadDiskImageOptions,
  type UploadDiskImageResult,
  type UploadError,
  type UploadProgress,
} from './UploadDiskImage.js'
