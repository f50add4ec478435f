/**
 * S3's shapes for what the upload and the preflight need: `PutObject`, `HeadObject`, `DeleteObject`, the multipart
 * upload (`CreateMultipartUpload`, `UploadPart`, `CompleteMultipartUpload`, `AbortMultipartUpload`, `ListParts`,
 * `ListMultipartUploads`), and the bucket's location, policy and lifecycle rules; plus `CreateBucket`, which only tests
 * and tools that set up a bucket call.
 *
 * Member names, wire names (the `location` each member travels in, its header or query name, the XML element),
 * types and enums follow the S3 model (`test/fixtures/s3-upload-model.json`, botocore's `s3/2006-03-01`), which
 * `test/shapes/s3-model.test.ts` checks every declaration against; the members are AWS SDK v3's
 * (`@aws-sdk/client-s3`), so values move between the two without renaming. The declarations were written out from the
 * model mechanically, in its member order, which is the order the REST-XML serializer writes headers and query
 * parameters in. Request enums are closed (a value S3 does not know is refused before anything is sent), result enums
 * open.
 *
 * These are a service's internals, used by the upload and the preflight, not the package's headline surface: one
 * file for them all.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// enums
// -------------------------------------------------------------------------------------------------

/**
 * The values of the model's `ArchiveStatus`.
 *
 * @public
 * @since 0.2.0
 */
export type ArchiveStatus = 'ARCHIVE_ACCESS' | 'DEEP_ARCHIVE_ACCESS'
const ARCHIVESTATUS_VALUES: ReadonlyArray<ArchiveStatus> = ['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']
// open in results: a value S3 adds later must not fail the whole response
const ArchiveStatusOpen = S.openEnumeration('ArchiveStatus', ARCHIVESTATUS_VALUES)

/**
 * The values of the model's `BucketLocationConstraint`.
 *
 * @public
 * @since 0.2.0
 */
export type BucketLocationConstraint = 'af-south-1' | 'ap-east-1' | 'ap-east-2' | 'ap-northeast-1' | 'ap-northeast-2' | 'ap-northeast-3' | 'ap-south-1' | 'ap-south-2' | 'ap-southeast-1' | 'ap-southeast-2' | 'ap-southeast-3' | 'ap-southeast-4' | 'ap-southeast-5' | 'ap-southeast-6' | 'ap-southeast-7' | 'ca-central-1' | 'ca-west-1' | 'cn-north-1' | 'cn-northwest-1' | 'EU' | 'eu-central-1' | 'eu-central-2' | 'eu-north-1' | 'eu-south-1' | 'eu-south-2' | 'eu-west-1' | 'eu-west-2' | 'eu-west-3' | 'il-central-1' | 'me-central-1' | 'me-south-1' | 'mx-central-1' | 'sa-east-1' | 'us-east-2' | 'us-gov-east-1' | 'us-gov-west-1' | 'us-west-1' | 'us-west-2'
const BUCKETLOCATIONCONSTRAINT_VALUES: ReadonlyArray<BucketLocationConstraint> = ['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'EU', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-2', 'us-gov-east-1', 'us-gov-west-1', 'us-west-1', 'us-west-2']
// open in results: a value S3 adds later must not fail the whole response
const BucketLocationConstraintOpen = S.openEnumeration('BucketLocationConstraint', BUCKETLOCATIONCONSTRAINT_VALUES)

/**
 * The values of the model's `ChecksumAlgorithm`.
 *
 * @public
 * @since 0.2.0
 */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME' | 'SHA512' | 'MD5' | 'XXHASH64' | 'XXHASH3' | 'XXHASH128'
const CHECKSUMALGORITHM_VALUES: ReadonlyArray<ChecksumAlgorithm> = ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME', 'SHA512', 'MD5', 'XXHASH64', 'XXHASH3', 'XXHASH128']
/**
 * The codec of `ChecksumAlgorithm`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const ChecksumAlgorithm: S.Enumeration<ChecksumAlgorithm> = S.enumeration('ChecksumAlgorithm', CHECKSUMALGORITHM_VALUES)
// open in results: a value S3 adds later must not fail the whole response
const ChecksumAlgorithmOpen = S.openEnumeration('ChecksumAlgorithm', CHECKSUMALGORITHM_VALUES)

/**
 * The values of the model's `ChecksumMode`.
 *
 * @public
 * @since 0.2.0
 */
export type ChecksumMode = 'ENABLED'
const CHECKSUMMODE_VALUES: ReadonlyArray<ChecksumMode> = ['ENABLED']
/**
 * The codec of `ChecksumMode`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const ChecksumMode: S.Enumeration<ChecksumMode> = S.enumeration('ChecksumMode', CHECKSUMMODE_VALUES)

/**
 * The values of the model's `ChecksumType`.
 *
 * @public
 * @since 0.2.0
 */
export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT'
const CHECKSUMTYPE_VALUES: ReadonlyArray<ChecksumType> = ['COMPOSITE', 'FULL_OBJECT']
/**
 * The codec of `ChecksumType`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const ChecksumType: S.Enumeration<ChecksumType> = S.enumeration('ChecksumType', CHECKSUMTYPE_VALUES)
// open in results: a value S3 adds later must not fail the whole response
const ChecksumTypeOpen = S.openEnumeration('ChecksumType', CHECKSUMTYPE_VALUES)

/**
 * The values of the model's `EncodingType`.
 *
 * @public
 * @since 0.2.0
 */
export type EncodingType = 'url'
const ENCODINGTYPE_VALUES: ReadonlyArray<EncodingType> = ['url']
/**
 * The codec of `EncodingType`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const EncodingType: S.Enumeration<EncodingType> = S.enumeration('EncodingType', ENCODINGTYPE_VALUES)
// open in results: a value S3 adds later must not fail the whole response
const EncodingTypeOpen = S.openEnumeration('EncodingType', ENCODINGTYPE_VALUES)

/**
 * The values of the model's `ExpirationStatus`.
 *
 * @public
 * @since 0.2.0
 */
export type ExpirationStatus = 'Enabled' | 'Disabled'
const EXPIRATIONSTATUS_VALUES: ReadonlyArray<ExpirationStatus> = ['Enabled', 'Disabled']
// open in results: a value S3 adds later must not fail the whole response
const ExpirationStatusOpen = S.openEnumeration('ExpirationStatus', EXPIRATIONSTATUS_VALUES)

/**
 * The values of the model's `ObjectCannedACL`.
 *
 * @public
 * @since 0.2.0
 */
export type ObjectCannedACL = 'private' | 'public-read' | 'public-read-write' | 'authenticated-read' | 'aws-exec-read' | 'bucket-owner-read' | 'bucket-owner-full-control'
const OBJECTCANNEDACL_VALUES: ReadonlyArray<ObjectCannedACL> = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control']
/**
 * The codec of `ObjectCannedACL`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const ObjectCannedACL: S.Enumeration<ObjectCannedACL> = S.enumeration('ObjectCannedACL', OBJECTCANNEDACL_VALUES)

/**
 * The values of the model's `ObjectLockLegalHoldStatus`.
 *
 * @public
 * @since 0.2.0
 */
export type ObjectLockLegalHoldStatus = 'ON' | 'OFF'
const OBJECTLOCKLEGALHOLDSTATUS_VALUES: ReadonlyArray<ObjectLockLegalHoldStatus> = ['ON', 'OFF']
/**
 * The codec of `ObjectLockLegalHoldStatus`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const ObjectLockLegalHoldStatus: S.Enumeration<ObjectLockLegalHoldStatus> = S.enumeration('ObjectLockLegalHoldStatus', OBJECTLOCKLEGALHOLDSTATUS_VALUES)
// open in results: a value S3 adds later must not fail the whole response
const ObjectLockLegalHoldStatusOpen = S.openEnumeration('ObjectLockLegalHoldStatus', OBJECTLOCKLEGALHOLDSTATUS_VALUES)

/**
 * The values of the model's `ObjectLockMode`.
 *
 * @public
 * @since 0.2.0
 */
export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE'
const OBJECTLOCKMODE_VALUES: ReadonlyArray<ObjectLockMode> = ['GOVERNANCE', 'COMPLIANCE']
/**
 * The codec of `ObjectLockMode`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const ObjectLockMode: S.Enumeration<ObjectLockMode> = S.enumeration('ObjectLockMode', OBJECTLOCKMODE_VALUES)
// open in results: a value S3 adds later must not fail the whole response
const ObjectLockModeOpen = S.openEnumeration('ObjectLockMode', OBJECTLOCKMODE_VALUES)

/**
 * The values of the model's `ReplicationStatus`.
 *
 * @public
 * @since 0.2.0
 */
export type ReplicationStatus = 'COMPLETE' | 'PENDING' | 'FAILED' | 'REPLICA' | 'COMPLETED'
const REPLICATIONSTATUS_VALUES: ReadonlyArray<ReplicationStatus> = ['COMPLETE', 'PENDING', 'FAILED', 'REPLICA', 'COMPLETED']
// open in results: a value S3 adds later must not fail the whole response
const ReplicationStatusOpen = S.openEnumeration('ReplicationStatus', REPLICATIONSTATUS_VALUES)

/**
 * The values of the model's `RequestCharged`.
 *
 * @public
 * @since 0.2.0
 */
export type RequestCharged = 'requester'
const REQUESTCHARGED_VALUES: ReadonlyArray<RequestCharged> = ['requester']
// open in results: a value S3 adds later must not fail the whole response
const RequestChargedOpen = S.openEnumeration('RequestCharged', REQUESTCHARGED_VALUES)

/**
 * The values of the model's `RequestPayer`.
 *
 * @public
 * @since 0.2.0
 */
export type RequestPayer = 'requester'
const REQUESTPAYER_VALUES: ReadonlyArray<RequestPayer> = ['requester']
/**
 * The codec of `RequestPayer`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const RequestPayer: S.Enumeration<RequestPayer> = S.enumeration('RequestPayer', REQUESTPAYER_VALUES)

/**
 * The values of the model's `ServerSideEncryption`.
 *
 * @public
 * @since 0.2.0
 */
export type ServerSideEncryption = 'AES256' | 'aws:fsx' | 'aws:kms' | 'aws:kms:dsse'
const SERVERSIDEENCRYPTION_VALUES: ReadonlyArray<ServerSideEncryption> = ['AES256', 'aws:fsx', 'aws:kms', 'aws:kms:dsse']
/**
 * The codec of `ServerSideEncryption`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const ServerSideEncryption: S.Enumeration<ServerSideEncryption> = S.enumeration('ServerSideEncryption', SERVERSIDEENCRYPTION_VALUES)
// open in results: a value S3 adds later must not fail the whole response
const ServerSideEncryptionOpen = S.openEnumeration('ServerSideEncryption', SERVERSIDEENCRYPTION_VALUES)

/**
 * The values of the model's `StorageClass`.
 *
 * @public
 * @since 0.2.0
 */
export type StorageClass = 'STANDARD' | 'REDUCED_REDUNDANCY' | 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'GLACIER' | 'DEEP_ARCHIVE' | 'OUTPOSTS' | 'GLACIER_IR' | 'SNOW' | 'EXPRESS_ONEZONE' | 'FSX_OPENZFS' | 'FSX_ONTAP'
const STORAGECLASS_VALUES: ReadonlyArray<StorageClass> = ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE', 'FSX_OPENZFS', 'FSX_ONTAP']
/**
 * The codec of `StorageClass`, closed: a request with another value is refused before it is sent.
 *
 * @public
 * @since 0.2.0
 */
export const StorageClass: S.Enumeration<StorageClass> = S.enumeration('StorageClass', STORAGECLASS_VALUES)
// open in results: a value S3 adds later must not fail the whole response
const StorageClassOpen = S.openEnumeration('StorageClass', STORAGECLASS_VALUES)

/**
 * The values of the model's `TransitionDefaultMinimumObjectSize`.
 *
 * @public
 * @since 0.2.0
 */
export type TransitionDefaultMinimumObjectSize = 'varies_by_storage_class' | 'all_storage_classes_128K'
const TRANSITIONDEFAULTMINIMUMOBJECTSIZE_VALUES: ReadonlyArray<TransitionDefaultMinimumObjectSize> = ['varies_by_storage_class', 'all_storage_classes_128K']
// open in results: a value S3 adds later must not fail the whole response
const TransitionDefaultMinimumObjectSizeOpen = S.openEnumeration('TransitionDefaultMinimumObjectSize', TRANSITIONDEFAULTMINIMUMOBJECTSIZE_VALUES)

/**
 * The values of the model's `TransitionStorageClass`.
 *
 * @public
 * @since 0.2.0
 */
export type TransitionStorageClass = 'GLACIER' | 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'DEEP_ARCHIVE' | 'GLACIER_IR'
const TRANSITIONSTORAGECLASS_VALUES: ReadonlyArray<TransitionStorageClass> = ['GLACIER', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'DEEP_ARCHIVE', 'GLACIER_IR']
// open in results: a value S3 adds later must not fail the whole response
const TransitionStorageClassOpen = S.openEnumeration('TransitionStorageClass', TRANSITIONSTORAGECLASS_VALUES)


// -------------------------------------------------------------------------------------------------
// shapes
// -------------------------------------------------------------------------------------------------


// The checksums S3 verifies, as every shape that carries them has them (the model repeats the same ten members): as
// `x-amz-checksum-…` headers of a request or result, and as members of a part's XML.
const checksumHeaders = {
  ChecksumCRC32: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-crc32' }),
  ChecksumCRC32C: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-crc32c' }),
  ChecksumCRC64NVME: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-crc64nvme' }),
  ChecksumSHA1: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-sha1' }),
  ChecksumSHA256: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-sha256' }),
  ChecksumSHA512: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-sha512' }),
  ChecksumMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-md5' }),
  ChecksumXXHASH64: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-xxhash64' }),
  ChecksumXXHASH3: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-xxhash3' }),
  ChecksumXXHASH128: S.member(S.string, { location: 'header', locationName: 'x-amz-checksum-xxhash128' }),
}
const checksumMembers = {
  ChecksumCRC32: S.member(S.string),
  ChecksumCRC32C: S.member(S.string),
  ChecksumCRC64NVME: S.member(S.string),
  ChecksumSHA1: S.member(S.string),
  ChecksumSHA256: S.member(S.string),
  ChecksumSHA512: S.member(S.string),
  ChecksumMD5: S.member(S.string),
  ChecksumXXHASH64: S.member(S.string),
  ChecksumXXHASH3: S.member(S.string),
  ChecksumXXHASH128: S.member(S.string),
}

const PutObjectRequestShape = S.struct(
  'PutObjectRequest',
  {
    ACL: S.member(ObjectCannedACL, { location: 'header', locationName: 'x-amz-acl' }),
    Body: S.member(S.streamingBlob, { payload: true }),
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    CacheControl: S.member(S.string, { location: 'header', locationName: 'Cache-Control' }),
    ContentDisposition: S.member(S.string, { location: 'header', locationName: 'Content-Disposition' }),
    ContentEncoding: S.member(S.string, { location: 'header', locationName: 'Content-Encoding' }),
    ContentLanguage: S.member(S.string, { location: 'header', locationName: 'Content-Language' }),
    ContentLength: S.member(S.long, { location: 'header', locationName: 'Content-Length' }),
    ContentMD5: S.member(S.string, { location: 'header', locationName: 'Content-MD5' }),
    ContentType: S.member(S.string, { location: 'header', locationName: 'Content-Type' }),
    ChecksumAlgorithm: S.member(ChecksumAlgorithm, { location: 'header', locationName: 'x-amz-sdk-checksum-algorithm' }),
    ...checksumHeaders,
    Expires: S.member(S.string, { location: 'header', locationName: 'Expires' }),
    IfMatch: S.member(S.string, { location: 'header', locationName: 'If-Match' }),
    IfNoneMatch: S.member(S.string, { location: 'header', locationName: 'If-None-Match' }),
    GrantFullControl: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-full-control' }),
    GrantRead: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-read' }),
    GrantReadACP: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-read-acp' }),
    GrantWriteACP: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-write-acp' }),
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    WriteOffsetBytes: S.member(S.long, { location: 'header', locationName: 'x-amz-write-offset-bytes' }),
    Metadata: S.member(S.map(S.string, 'key', 'value', 'Metadata'), { location: 'headers', locationName: 'x-amz-meta-' }),
    ServerSideEncryption: S.member(ServerSideEncryption, { location: 'header', locationName: 'x-amz-server-side-encryption' }),
    StorageClass: S.member(StorageClass, { location: 'header', locationName: 'x-amz-storage-class' }),
    WebsiteRedirectLocation: S.member(S.string, { location: 'header', locationName: 'x-amz-website-redirect-location' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKey: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key', sensitive: true }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    SSEKMSKeyId: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-aws-kms-key-id', sensitive: true }),
    SSEKMSEncryptionContext: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-context', sensitive: true }),
    BucketKeyEnabled: S.member(S.boolean, { location: 'header', locationName: 'x-amz-server-side-encryption-bucket-key-enabled' }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    Tagging: S.member(S.string, { location: 'header', locationName: 'x-amz-tagging' }),
    ObjectLockMode: S.member(ObjectLockMode, { location: 'header', locationName: 'x-amz-object-lock-mode' }),
    ObjectLockRetainUntilDate: S.member(S.timestamp('iso8601'), { location: 'header', locationName: 'x-amz-object-lock-retain-until-date' }),
    ObjectLockLegalHoldStatus: S.member(ObjectLockLegalHoldStatus, { location: 'header', locationName: 'x-amz-object-lock-legal-hold' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
  },
  { strict: true },
)
/**
 * The model's `PutObjectRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface PutObjectRequest extends t.TypeOf<typeof PutObjectRequestShape> {}
/**
 * The codec of `PutObjectRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const PutObjectRequest: S.Shape<PutObjectRequest> = PutObjectRequestShape

const PutObjectOutputShape = S.struct(
  'PutObjectOutput',
  {
    Expiration: S.member(S.string, { location: 'header', locationName: 'x-amz-expiration' }),
    ETag: S.member(S.string, { location: 'header', locationName: 'ETag' }),
    ...checksumHeaders,
    ChecksumType: S.member(ChecksumTypeOpen, { location: 'header', locationName: 'x-amz-checksum-type' }),
    ServerSideEncryption: S.member(ServerSideEncryptionOpen, { location: 'header', locationName: 'x-amz-server-side-encryption' }),
    VersionId: S.member(S.string, { location: 'header', locationName: 'x-amz-version-id' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    SSEKMSKeyId: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-aws-kms-key-id', sensitive: true }),
    SSEKMSEncryptionContext: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-context', sensitive: true }),
    BucketKeyEnabled: S.member(S.boolean, { location: 'header', locationName: 'x-amz-server-side-encryption-bucket-key-enabled' }),
    Size: S.member(S.long, { location: 'header', locationName: 'x-amz-object-size' }),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
  },
)
/**
 * The model's `PutObjectOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface PutObjectOutput extends t.TypeOf<typeof PutObjectOutputShape> {}
/**
 * The codec of `PutObjectOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const PutObjectOutput: S.Shape<PutObjectOutput> = PutObjectOutputShape

const HeadObjectRequestShape = S.struct(
  'HeadObjectRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    IfMatch: S.member(S.string, { location: 'header', locationName: 'If-Match' }),
    IfModifiedSince: S.member(S.timestamp(), { location: 'header', locationName: 'If-Modified-Since' }),
    IfNoneMatch: S.member(S.string, { location: 'header', locationName: 'If-None-Match' }),
    IfUnmodifiedSince: S.member(S.timestamp(), { location: 'header', locationName: 'If-Unmodified-Since' }),
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    Range: S.member(S.string, { location: 'header', locationName: 'Range' }),
    ResponseCacheControl: S.member(S.string, { location: 'querystring', locationName: 'response-cache-control' }),
    ResponseContentDisposition: S.member(S.string, { location: 'querystring', locationName: 'response-content-disposition' }),
    ResponseContentEncoding: S.member(S.string, { location: 'querystring', locationName: 'response-content-encoding' }),
    ResponseContentLanguage: S.member(S.string, { location: 'querystring', locationName: 'response-content-language' }),
    ResponseContentType: S.member(S.string, { location: 'querystring', locationName: 'response-content-type' }),
    ResponseExpires: S.member(S.timestamp('rfc822'), { location: 'querystring', locationName: 'response-expires' }),
    VersionId: S.member(S.string, { location: 'querystring', locationName: 'versionId' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKey: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key', sensitive: true }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    PartNumber: S.member(S.integer, { location: 'querystring', locationName: 'partNumber' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
    ChecksumMode: S.member(ChecksumMode, { location: 'header', locationName: 'x-amz-checksum-mode' }),
  },
  { strict: true },
)
/**
 * The model's `HeadObjectRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface HeadObjectRequest extends t.TypeOf<typeof HeadObjectRequestShape> {}
/**
 * The codec of `HeadObjectRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const HeadObjectRequest: S.Shape<HeadObjectRequest> = HeadObjectRequestShape

const HeadObjectOutputShape = S.struct(
  'HeadObjectOutput',
  {
    DeleteMarker: S.member(S.boolean, { location: 'header', locationName: 'x-amz-delete-marker' }),
    AcceptRanges: S.member(S.string, { location: 'header', locationName: 'accept-ranges' }),
    Expiration: S.member(S.string, { location: 'header', locationName: 'x-amz-expiration' }),
    Restore: S.member(S.string, { location: 'header', locationName: 'x-amz-restore' }),
    ArchiveStatus: S.member(ArchiveStatusOpen, { location: 'header', locationName: 'x-amz-archive-status' }),
    LastModified: S.member(S.timestamp(), { location: 'header', locationName: 'Last-Modified' }),
    ContentLength: S.member(S.long, { location: 'header', locationName: 'Content-Length' }),
    ...checksumHeaders,
    ChecksumType: S.member(ChecksumTypeOpen, { location: 'header', locationName: 'x-amz-checksum-type' }),
    ETag: S.member(S.string, { location: 'header', locationName: 'ETag' }),
    MissingMeta: S.member(S.integer, { location: 'header', locationName: 'x-amz-missing-meta' }),
    VersionId: S.member(S.string, { location: 'header', locationName: 'x-amz-version-id' }),
    CacheControl: S.member(S.string, { location: 'header', locationName: 'Cache-Control' }),
    ContentDisposition: S.member(S.string, { location: 'header', locationName: 'Content-Disposition' }),
    ContentEncoding: S.member(S.string, { location: 'header', locationName: 'Content-Encoding' }),
    ContentLanguage: S.member(S.string, { location: 'header', locationName: 'Content-Language' }),
    ContentType: S.member(S.string, { location: 'header', locationName: 'Content-Type' }),
    ContentRange: S.member(S.string, { location: 'header', locationName: 'Content-Range' }),
    Expires: S.member(S.string, { location: 'header', locationName: 'Expires' }),
    WebsiteRedirectLocation: S.member(S.string, { location: 'header', locationName: 'x-amz-website-redirect-location' }),
    ServerSideEncryption: S.member(ServerSideEncryptionOpen, { location: 'header', locationName: 'x-amz-server-side-encryption' }),
    Metadata: S.member(S.map(S.string, 'key', 'value', 'Metadata'), { location: 'headers', locationName: 'x-amz-meta-' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    SSEKMSKeyId: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-aws-kms-key-id', sensitive: true }),
    BucketKeyEnabled: S.member(S.boolean, { location: 'header', locationName: 'x-amz-server-side-encryption-bucket-key-enabled' }),
    StorageClass: S.member(StorageClassOpen, { location: 'header', locationName: 'x-amz-storage-class' }),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
    ReplicationStatus: S.member(ReplicationStatusOpen, { location: 'header', locationName: 'x-amz-replication-status' }),
    PartsCount: S.member(S.integer, { location: 'header', locationName: 'x-amz-mp-parts-count' }),
    TagCount: S.member(S.integer, { location: 'header', locationName: 'x-amz-tagging-count' }),
    ObjectLockMode: S.member(ObjectLockModeOpen, { location: 'header', locationName: 'x-amz-object-lock-mode' }),
    ObjectLockRetainUntilDate: S.member(S.timestamp('iso8601'), { location: 'header', locationName: 'x-amz-object-lock-retain-until-date' }),
    ObjectLockLegalHoldStatus: S.member(ObjectLockLegalHoldStatusOpen, { location: 'header', locationName: 'x-amz-object-lock-legal-hold' }),
  },
)
/**
 * The model's `HeadObjectOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface HeadObjectOutput extends t.TypeOf<typeof HeadObjectOutputShape> {}
/**
 * The codec of `HeadObjectOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const HeadObjectOutput: S.Shape<HeadObjectOutput> = HeadObjectOutputShape

const DeleteObjectRequestShape = S.struct(
  'DeleteObjectRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    MFA: S.member(S.string, { location: 'header', locationName: 'x-amz-mfa' }),
    VersionId: S.member(S.string, { location: 'querystring', locationName: 'versionId' }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    BypassGovernanceRetention: S.member(S.boolean, { location: 'header', locationName: 'x-amz-bypass-governance-retention' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
    IfMatch: S.member(S.string, { location: 'header', locationName: 'If-Match' }),
    IfMatchLastModifiedTime: S.member(S.timestamp('rfc822'), { location: 'header', locationName: 'x-amz-if-match-last-modified-time' }),
    IfMatchSize: S.member(S.long, { location: 'header', locationName: 'x-amz-if-match-size' }),
  },
  { strict: true },
)
/**
 * The model's `DeleteObjectRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface DeleteObjectRequest extends t.TypeOf<typeof DeleteObjectRequestShape> {}
/**
 * The codec of `DeleteObjectRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const DeleteObjectRequest: S.Shape<DeleteObjectRequest> = DeleteObjectRequestShape

const DeleteObjectOutputShape = S.struct(
  'DeleteObjectOutput',
  {
    DeleteMarker: S.member(S.boolean, { location: 'header', locationName: 'x-amz-delete-marker' }),
    VersionId: S.member(S.string, { location: 'header', locationName: 'x-amz-version-id' }),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
  },
)
/**
 * The model's `DeleteObjectOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface DeleteObjectOutput extends t.TypeOf<typeof DeleteObjectOutputShape> {}
/**
 * The codec of `DeleteObjectOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const DeleteObjectOutput: S.Shape<DeleteObjectOutput> = DeleteObjectOutputShape

const CreateMultipartUploadRequestShape = S.struct(
  'CreateMultipartUploadRequest',
  {
    ACL: S.member(ObjectCannedACL, { location: 'header', locationName: 'x-amz-acl' }),
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    CacheControl: S.member(S.string, { location: 'header', locationName: 'Cache-Control' }),
    ContentDisposition: S.member(S.string, { location: 'header', locationName: 'Content-Disposition' }),
    ContentEncoding: S.member(S.string, { location: 'header', locationName: 'Content-Encoding' }),
    ContentLanguage: S.member(S.string, { location: 'header', locationName: 'Content-Language' }),
    ContentType: S.member(S.string, { location: 'header', locationName: 'Content-Type' }),
    Expires: S.member(S.string, { location: 'header', locationName: 'Expires' }),
    GrantFullControl: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-full-control' }),
    GrantRead: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-read' }),
    GrantReadACP: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-read-acp' }),
    GrantWriteACP: S.member(S.string, { location: 'header', locationName: 'x-amz-grant-write-acp' }),
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    Metadata: S.member(S.map(S.string, 'key', 'value', 'Metadata'), { location: 'headers', locationName: 'x-amz-meta-' }),
    ServerSideEncryption: S.member(ServerSideEncryption, { location: 'header', locationName: 'x-amz-server-side-encryption' }),
    StorageClass: S.member(StorageClass, { location: 'header', locationName: 'x-amz-storage-class' }),
    WebsiteRedirectLocation: S.member(S.string, { location: 'header', locationName: 'x-amz-website-redirect-location' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKey: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key', sensitive: true }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    SSEKMSKeyId: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-aws-kms-key-id', sensitive: true }),
    SSEKMSEncryptionContext: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-context', sensitive: true }),
    BucketKeyEnabled: S.member(S.boolean, { location: 'header', locationName: 'x-amz-server-side-encryption-bucket-key-enabled' }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    Tagging: S.member(S.string, { location: 'header', locationName: 'x-amz-tagging' }),
    ObjectLockMode: S.member(ObjectLockMode, { location: 'header', locationName: 'x-amz-object-lock-mode' }),
    ObjectLockRetainUntilDate: S.member(S.timestamp('iso8601'), { location: 'header', locationName: 'x-amz-object-lock-retain-until-date' }),
    ObjectLockLegalHoldStatus: S.member(ObjectLockLegalHoldStatus, { location: 'header', locationName: 'x-amz-object-lock-legal-hold' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
    ChecksumAlgorithm: S.member(ChecksumAlgorithm, { location: 'header', locationName: 'x-amz-checksum-algorithm' }),
    ChecksumType: S.member(ChecksumType, { location: 'header', locationName: 'x-amz-checksum-type' }),
  },
  { strict: true },
)
/**
 * The model's `CreateMultipartUploadRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface CreateMultipartUploadRequest extends t.TypeOf<typeof CreateMultipartUploadRequestShape> {}
/**
 * The codec of `CreateMultipartUploadRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const CreateMultipartUploadRequest: S.Shape<CreateMultipartUploadRequest> = CreateMultipartUploadRequestShape

const CreateMultipartUploadOutputShape = S.struct(
  'CreateMultipartUploadOutput',
  {
    AbortDate: S.member(S.timestamp(), { location: 'header', locationName: 'x-amz-abort-date' }),
    AbortRuleId: S.member(S.string, { location: 'header', locationName: 'x-amz-abort-rule-id' }),
    Bucket: S.member(S.string, { locationName: 'Bucket' }),
    Key: S.member(S.string),
    UploadId: S.member(S.string),
    ServerSideEncryption: S.member(ServerSideEncryptionOpen, { location: 'header', locationName: 'x-amz-server-side-encryption' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    SSEKMSKeyId: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-aws-kms-key-id', sensitive: true }),
    SSEKMSEncryptionContext: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-context', sensitive: true }),
    BucketKeyEnabled: S.member(S.boolean, { location: 'header', locationName: 'x-amz-server-side-encryption-bucket-key-enabled' }),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
    ChecksumAlgorithm: S.member(ChecksumAlgorithmOpen, { location: 'header', locationName: 'x-amz-checksum-algorithm' }),
    ChecksumType: S.member(ChecksumTypeOpen, { location: 'header', locationName: 'x-amz-checksum-type' }),
  },
)
/**
 * The model's `CreateMultipartUploadOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface CreateMultipartUploadOutput extends t.TypeOf<typeof CreateMultipartUploadOutputShape> {}
/**
 * The codec of `CreateMultipartUploadOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const CreateMultipartUploadOutput: S.Shape<CreateMultipartUploadOutput> = CreateMultipartUploadOutputShape

const UploadPartRequestShape = S.struct(
  'UploadPartRequest',
  {
    Body: S.member(S.streamingBlob, { payload: true }),
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    ContentLength: S.member(S.long, { location: 'header', locationName: 'Content-Length' }),
    ContentMD5: S.member(S.string, { location: 'header', locationName: 'Content-MD5' }),
    ChecksumAlgorithm: S.member(ChecksumAlgorithm, { location: 'header', locationName: 'x-amz-sdk-checksum-algorithm' }),
    ...checksumHeaders,
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    PartNumber: S.member(S.integer, { location: 'querystring', locationName: 'partNumber', required: true }),
    UploadId: S.member(S.string, { location: 'querystring', locationName: 'uploadId', required: true }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKey: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key', sensitive: true }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
  },
  { strict: true },
)
/**
 * The model's `UploadPartRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface UploadPartRequest extends t.TypeOf<typeof UploadPartRequestShape> {}
/**
 * The codec of `UploadPartRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const UploadPartRequest: S.Shape<UploadPartRequest> = UploadPartRequestShape

const UploadPartOutputShape = S.struct(
  'UploadPartOutput',
  {
    ServerSideEncryption: S.member(ServerSideEncryptionOpen, { location: 'header', locationName: 'x-amz-server-side-encryption' }),
    ETag: S.member(S.string, { location: 'header', locationName: 'ETag' }),
    ...checksumHeaders,
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
    SSEKMSKeyId: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-aws-kms-key-id', sensitive: true }),
    BucketKeyEnabled: S.member(S.boolean, { location: 'header', locationName: 'x-amz-server-side-encryption-bucket-key-enabled' }),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
  },
)
/**
 * The model's `UploadPartOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface UploadPartOutput extends t.TypeOf<typeof UploadPartOutputShape> {}
/**
 * The codec of `UploadPartOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const UploadPartOutput: S.Shape<UploadPartOutput> = UploadPartOutputShape

const CompletedPartShape = S.struct(
  'CompletedPart',
  {
    ETag: S.member(S.string),
    ...checksumMembers,
    PartNumber: S.member(S.integer),
  },
)
/**
 * The model's `CompletedPart`.
 *
 * @public
 * @since 0.2.0
 */
export interface CompletedPart extends t.TypeOf<typeof CompletedPartShape> {}
/**
 * The codec of `CompletedPart`.
 *
 * @public
 * @since 0.2.0
 */
export const CompletedPart: S.Shape<CompletedPart> = CompletedPartShape

const CompletedMultipartUploadShape = S.struct(
  'CompletedMultipartUpload',
  {
    Parts: S.member(S.list(CompletedPart, 'member', 'CompletedPartList'), { locationName: 'Part', flattened: true }),
  },
)
/**
 * The model's `CompletedMultipartUpload`.
 *
 * @public
 * @since 0.2.0
 */
export interface CompletedMultipartUpload extends t.TypeOf<typeof CompletedMultipartUploadShape> {}
/**
 * The codec of `CompletedMultipartUpload`.
 *
 * @public
 * @since 0.2.0
 */
export const CompletedMultipartUpload: S.Shape<CompletedMultipartUpload> = CompletedMultipartUploadShape

const CompleteMultipartUploadRequestShape = S.struct(
  'CompleteMultipartUploadRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    MultipartUpload: S.member(CompletedMultipartUpload, { locationName: 'CompleteMultipartUpload', payload: true, xmlNamespace: { uri: 'http://s3.amazonaws.com/doc/2006-03-01/' } }),
    UploadId: S.member(S.string, { location: 'querystring', locationName: 'uploadId', required: true }),
    ...checksumHeaders,
    ChecksumType: S.member(ChecksumType, { location: 'header', locationName: 'x-amz-checksum-type' }),
    MpuObjectSize: S.member(S.long, { location: 'header', locationName: 'x-amz-mp-object-size' }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
    IfMatch: S.member(S.string, { location: 'header', locationName: 'If-Match' }),
    IfNoneMatch: S.member(S.string, { location: 'header', locationName: 'If-None-Match' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKey: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key', sensitive: true }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
  },
  { strict: true },
)
/**
 * The model's `CompleteMultipartUploadRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface CompleteMultipartUploadRequest extends t.TypeOf<typeof CompleteMultipartUploadRequestShape> {}
/**
 * The codec of `CompleteMultipartUploadRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const CompleteMultipartUploadRequest: S.Shape<CompleteMultipartUploadRequest> = CompleteMultipartUploadRequestShape

const CompleteMultipartUploadOutputShape = S.struct(
  'CompleteMultipartUploadOutput',
  {
    Location: S.member(S.string),
    Bucket: S.member(S.string),
    Key: S.member(S.string),
    Expiration: S.member(S.string, { location: 'header', locationName: 'x-amz-expiration' }),
    ETag: S.member(S.string),
    ...checksumMembers,
    ChecksumType: S.member(ChecksumTypeOpen),
    ServerSideEncryption: S.member(ServerSideEncryptionOpen, { location: 'header', locationName: 'x-amz-server-side-encryption' }),
    VersionId: S.member(S.string, { location: 'header', locationName: 'x-amz-version-id' }),
    SSEKMSKeyId: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-aws-kms-key-id', sensitive: true }),
    BucketKeyEnabled: S.member(S.boolean, { location: 'header', locationName: 'x-amz-server-side-encryption-bucket-key-enabled' }),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
  },
)
/**
 * The model's `CompleteMultipartUploadOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface CompleteMultipartUploadOutput extends t.TypeOf<typeof CompleteMultipartUploadOutputShape> {}
/**
 * The codec of `CompleteMultipartUploadOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const CompleteMultipartUploadOutput: S.Shape<CompleteMultipartUploadOutput> = CompleteMultipartUploadOutputShape

const AbortMultipartUploadRequestShape = S.struct(
  'AbortMultipartUploadRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    UploadId: S.member(S.string, { location: 'querystring', locationName: 'uploadId', required: true }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
    IfMatchInitiatedTime: S.member(S.timestamp('rfc822'), { location: 'header', locationName: 'x-amz-if-match-initiated-time' }),
  },
  { strict: true },
)
/**
 * The model's `AbortMultipartUploadRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface AbortMultipartUploadRequest extends t.TypeOf<typeof AbortMultipartUploadRequestShape> {}
/**
 * The codec of `AbortMultipartUploadRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const AbortMultipartUploadRequest: S.Shape<AbortMultipartUploadRequest> = AbortMultipartUploadRequestShape

const AbortMultipartUploadOutputShape = S.struct(
  'AbortMultipartUploadOutput',
  {
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
  },
)
/**
 * The model's `AbortMultipartUploadOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface AbortMultipartUploadOutput extends t.TypeOf<typeof AbortMultipartUploadOutputShape> {}
/**
 * The codec of `AbortMultipartUploadOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const AbortMultipartUploadOutput: S.Shape<AbortMultipartUploadOutput> = AbortMultipartUploadOutputShape

const ListPartsRequestShape = S.struct(
  'ListPartsRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    Key: S.member(S.string, { location: 'uri', locationName: 'Key', required: true }),
    MaxParts: S.member(S.integer, { location: 'querystring', locationName: 'max-parts' }),
    PartNumberMarker: S.member(S.integer, { location: 'querystring', locationName: 'part-number-marker' }),
    UploadId: S.member(S.string, { location: 'querystring', locationName: 'uploadId', required: true }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
    SSECustomerAlgorithm: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-algorithm' }),
    SSECustomerKey: S.member(S.sensitiveString, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key', sensitive: true }),
    SSECustomerKeyMD5: S.member(S.string, { location: 'header', locationName: 'x-amz-server-side-encryption-customer-key-MD5' }),
  },
  { strict: true },
)
/**
 * The model's `ListPartsRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface ListPartsRequest extends t.TypeOf<typeof ListPartsRequestShape> {}
/**
 * The codec of `ListPartsRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const ListPartsRequest: S.Shape<ListPartsRequest> = ListPartsRequestShape

const PartShape = S.struct(
  'Part',
  {
    PartNumber: S.member(S.integer),
    LastModified: S.member(S.timestamp()),
    ETag: S.member(S.string),
    Size: S.member(S.long),
    ...checksumMembers,
  },
)
/**
 * The model's `Part`.
 *
 * @public
 * @since 0.2.0
 */
export interface Part extends t.TypeOf<typeof PartShape> {}
/**
 * The codec of `Part`.
 *
 * @public
 * @since 0.2.0
 */
export const Part: S.Shape<Part> = PartShape

const InitiatorShape = S.struct(
  'Initiator',
  {
    ID: S.member(S.string),
    DisplayName: S.member(S.string),
  },
)
/**
 * The model's `Initiator`.
 *
 * @public
 * @since 0.2.0
 */
export interface Initiator extends t.TypeOf<typeof InitiatorShape> {}
/**
 * The codec of `Initiator`.
 *
 * @public
 * @since 0.2.0
 */
export const Initiator: S.Shape<Initiator> = InitiatorShape

const S3OwnerShape = S.struct(
  'Owner',
  {
    DisplayName: S.member(S.string),
    ID: S.member(S.string),
  },
)
/**
 * The model's `Owner`.
 *
 * @public
 * @since 0.2.0
 */
export interface S3Owner extends t.TypeOf<typeof S3OwnerShape> {}
/**
 * The codec of `S3Owner`.
 *
 * @public
 * @since 0.2.0
 */
export const S3Owner: S.Shape<S3Owner> = S3OwnerShape

const ListPartsOutputShape = S.struct(
  'ListPartsOutput',
  {
    AbortDate: S.member(S.timestamp(), { location: 'header', locationName: 'x-amz-abort-date' }),
    AbortRuleId: S.member(S.string, { location: 'header', locationName: 'x-amz-abort-rule-id' }),
    Bucket: S.member(S.string),
    Key: S.member(S.string),
    UploadId: S.member(S.string),
    PartNumberMarker: S.member(S.integer),
    NextPartNumberMarker: S.member(S.integer),
    MaxParts: S.member(S.integer),
    IsTruncated: S.member(S.boolean),
    Parts: S.member(S.list(Part, 'member', 'Parts'), { locationName: 'Part', flattened: true }),
    Initiator: S.member(Initiator),
    Owner: S.member(S3Owner),
    StorageClass: S.member(StorageClassOpen),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
    ChecksumAlgorithm: S.member(ChecksumAlgorithmOpen),
    ChecksumType: S.member(ChecksumTypeOpen),
  },
)
/**
 * The model's `ListPartsOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface ListPartsOutput extends t.TypeOf<typeof ListPartsOutputShape> {}
/**
 * The codec of `ListPartsOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const ListPartsOutput: S.Shape<ListPartsOutput> = ListPartsOutputShape

const ListMultipartUploadsRequestShape = S.struct(
  'ListMultipartUploadsRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    Delimiter: S.member(S.string, { location: 'querystring', locationName: 'delimiter' }),
    EncodingType: S.member(EncodingType, { location: 'querystring', locationName: 'encoding-type' }),
    KeyMarker: S.member(S.string, { location: 'querystring', locationName: 'key-marker' }),
    MaxUploads: S.member(S.integer, { location: 'querystring', locationName: 'max-uploads' }),
    Prefix: S.member(S.string, { location: 'querystring', locationName: 'prefix' }),
    UploadIdMarker: S.member(S.string, { location: 'querystring', locationName: 'upload-id-marker' }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
    RequestPayer: S.member(RequestPayer, { location: 'header', locationName: 'x-amz-request-payer' }),
  },
  { strict: true },
)
/**
 * The model's `ListMultipartUploadsRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface ListMultipartUploadsRequest extends t.TypeOf<typeof ListMultipartUploadsRequestShape> {}
/**
 * The codec of `ListMultipartUploadsRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const ListMultipartUploadsRequest: S.Shape<ListMultipartUploadsRequest> = ListMultipartUploadsRequestShape

const MultipartUploadShape = S.struct(
  'MultipartUpload',
  {
    UploadId: S.member(S.string),
    Key: S.member(S.string),
    Initiated: S.member(S.timestamp()),
    StorageClass: S.member(StorageClassOpen),
    Owner: S.member(S3Owner),
    Initiator: S.member(Initiator),
    ChecksumAlgorithm: S.member(ChecksumAlgorithmOpen),
    ChecksumType: S.member(ChecksumTypeOpen),
  },
)
/**
 * The model's `MultipartUpload`.
 *
 * @public
 * @since 0.2.0
 */
export interface MultipartUpload extends t.TypeOf<typeof MultipartUploadShape> {}
/**
 * The codec of `MultipartUpload`.
 *
 * @public
 * @since 0.2.0
 */
export const MultipartUpload: S.Shape<MultipartUpload> = MultipartUploadShape

const CommonPrefixShape = S.struct(
  'CommonPrefix',
  {
    Prefix: S.member(S.string),
  },
)
/**
 * The model's `CommonPrefix`.
 *
 * @public
 * @since 0.2.0
 */
export interface CommonPrefix extends t.TypeOf<typeof CommonPrefixShape> {}
/**
 * The codec of `CommonPrefix`.
 *
 * @public
 * @since 0.2.0
 */
export const CommonPrefix: S.Shape<CommonPrefix> = CommonPrefixShape

const ListMultipartUploadsOutputShape = S.struct(
  'ListMultipartUploadsOutput',
  {
    Bucket: S.member(S.string),
    KeyMarker: S.member(S.string),
    UploadIdMarker: S.member(S.string),
    NextKeyMarker: S.member(S.string),
    Prefix: S.member(S.string),
    Delimiter: S.member(S.string),
    NextUploadIdMarker: S.member(S.string),
    MaxUploads: S.member(S.integer),
    IsTruncated: S.member(S.boolean),
    Uploads: S.member(S.list(MultipartUpload, 'member', 'MultipartUploadList'), { locationName: 'Upload', flattened: true }),
    CommonPrefixes: S.member(S.list(CommonPrefix, 'member', 'CommonPrefixList'), { flattened: true }),
    EncodingType: S.member(EncodingTypeOpen),
    RequestCharged: S.member(RequestChargedOpen, { location: 'header', locationName: 'x-amz-request-charged' }),
  },
)
/**
 * The model's `ListMultipartUploadsOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface ListMultipartUploadsOutput extends t.TypeOf<typeof ListMultipartUploadsOutputShape> {}
/**
 * The codec of `ListMultipartUploadsOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const ListMultipartUploadsOutput: S.Shape<ListMultipartUploadsOutput> = ListMultipartUploadsOutputShape

const GetBucketLocationRequestShape = S.struct(
  'GetBucketLocationRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
  },
  { strict: true },
)
/**
 * The model's `GetBucketLocationRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface GetBucketLocationRequest extends t.TypeOf<typeof GetBucketLocationRequestShape> {}
/**
 * The codec of `GetBucketLocationRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const GetBucketLocationRequest: S.Shape<GetBucketLocationRequest> = GetBucketLocationRequestShape

const GetBucketLocationOutputShape = S.struct(
  'GetBucketLocationOutput',
  {
    LocationConstraint: S.member(BucketLocationConstraintOpen),
  },
)
/**
 * The model's `GetBucketLocationOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface GetBucketLocationOutput extends t.TypeOf<typeof GetBucketLocationOutputShape> {}
/**
 * The codec of `GetBucketLocationOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const GetBucketLocationOutput: S.Shape<GetBucketLocationOutput> = GetBucketLocationOutputShape

const GetBucketPolicyRequestShape = S.struct(
  'GetBucketPolicyRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
  },
  { strict: true },
)
/**
 * The model's `GetBucketPolicyRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface GetBucketPolicyRequest extends t.TypeOf<typeof GetBucketPolicyRequestShape> {}
/**
 * The codec of `GetBucketPolicyRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const GetBucketPolicyRequest: S.Shape<GetBucketPolicyRequest> = GetBucketPolicyRequestShape

const GetBucketPolicyOutputShape = S.struct(
  'GetBucketPolicyOutput',
  {
    Policy: S.member(S.string, { payload: true }),
  },
)
/**
 * The model's `GetBucketPolicyOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface GetBucketPolicyOutput extends t.TypeOf<typeof GetBucketPolicyOutputShape> {}
/**
 * The codec of `GetBucketPolicyOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const GetBucketPolicyOutput: S.Shape<GetBucketPolicyOutput> = GetBucketPolicyOutputShape

const GetBucketLifecycleConfigurationRequestShape = S.struct(
  'GetBucketLifecycleConfigurationRequest',
  {
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    ExpectedBucketOwner: S.member(S.string, { location: 'header', locationName: 'x-amz-expected-bucket-owner' }),
  },
  { strict: true },
)
/**
 * The model's `GetBucketLifecycleConfigurationRequest` (an S3 request).
 *
 * @public
 * @since 0.2.0
 */
export interface GetBucketLifecycleConfigurationRequest extends t.TypeOf<typeof GetBucketLifecycleConfigurationRequestShape> {}
/**
 * The codec of `GetBucketLifecycleConfigurationRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const GetBucketLifecycleConfigurationRequest: S.Shape<GetBucketLifecycleConfigurationRequest> = GetBucketLifecycleConfigurationRequestShape

const LifecycleExpirationShape = S.struct(
  'LifecycleExpiration',
  {
    Date: S.member(S.timestamp('iso8601')),
    Days: S.member(S.integer),
    ExpiredObjectDeleteMarker: S.member(S.boolean),
  },
)
/**
 * The model's `LifecycleExpiration`.
 *
 * @public
 * @since 0.2.0
 */
export interface LifecycleExpiration extends t.TypeOf<typeof LifecycleExpirationShape> {}
/**
 * The codec of `LifecycleExpiration`.
 *
 * @public
 * @since 0.2.0
 */
export const LifecycleExpiration: S.Shape<LifecycleExpiration> = LifecycleExpirationShape

const S3TagShape = S.struct(
  'Tag',
  {
    Key: S.member(S.string, { required: true }),
    Value: S.member(S.string, { required: true }),
  },
)
/**
 * The model's `Tag`.
 *
 * @public
 * @since 0.2.0
 */
export interface S3Tag extends t.TypeOf<typeof S3TagShape> {}
/**
 * The codec of `S3Tag`.
 *
 * @public
 * @since 0.2.0
 */
export const S3Tag: S.Shape<S3Tag> = S3TagShape

const LifecycleRuleAndOperatorShape = S.struct(
  'LifecycleRuleAndOperator',
  {
    Prefix: S.member(S.string),
    Tags: S.member(S.list(S3Tag, 'Tag', 'TagSet'), { locationName: 'Tag', flattened: true }),
    ObjectSizeGreaterThan: S.member(S.long),
    ObjectSizeLessThan: S.member(S.long),
  },
)
/**
 * The model's `LifecycleRuleAndOperator`.
 *
 * @public
 * @since 0.2.0
 */
export interface LifecycleRuleAndOperator extends t.TypeOf<typeof LifecycleRuleAndOperatorShape> {}
/**
 * The codec of `LifecycleRuleAndOperator`.
 *
 * @public
 * @since 0.2.0
 */
export const LifecycleRuleAndOperator: S.Shape<LifecycleRuleAndOperator> = LifecycleRuleAndOperatorShape

const LifecycleRuleFilterShape = S.struct(
  'LifecycleRuleFilter',
  {
    Prefix: S.member(S.string),
    Tag: S.member(S3Tag),
    ObjectSizeGreaterThan: S.member(S.long),
    ObjectSizeLessThan: S.member(S.long),
    And: S.member(LifecycleRuleAndOperator),
  },
)
/**
 * The model's `LifecycleRuleFilter`.
 *
 * @public
 * @since 0.2.0
 */
export interface LifecycleRuleFilter extends t.TypeOf<typeof LifecycleRuleFilterShape> {}
/**
 * The codec of `LifecycleRuleFilter`.
 *
 * @public
 * @since 0.2.0
 */
export const LifecycleRuleFilter: S.Shape<LifecycleRuleFilter> = LifecycleRuleFilterShape

const TransitionShape = S.struct(
  'Transition',
  {
    Date: S.member(S.timestamp('iso8601')),
    Days: S.member(S.integer),
    StorageClass: S.member(TransitionStorageClassOpen),
  },
)
/**
 * The model's `Transition`.
 *
 * @public
 * @since 0.2.0
 */
export interface Transition extends t.TypeOf<typeof TransitionShape> {}
/**
 * The codec of `Transition`.
 *
 * @public
 * @since 0.2.0
 */
export const Transition: S.Shape<Transition> = TransitionShape

const NoncurrentVersionTransitionShape = S.struct(
  'NoncurrentVersionTransition',
  {
    NoncurrentDays: S.member(S.integer),
    StorageClass: S.member(TransitionStorageClassOpen),
    NewerNoncurrentVersions: S.member(S.integer),
  },
)
/**
 * The model's `NoncurrentVersionTransition`.
 *
 * @public
 * @since 0.2.0
 */
export interface NoncurrentVersionTransition extends t.TypeOf<typeof NoncurrentVersionTransitionShape> {}
/**
 * The codec of `NoncurrentVersionTransition`.
 *
 * @public
 * @since 0.2.0
 */
export const NoncurrentVersionTransition: S.Shape<NoncurrentVersionTransition> = NoncurrentVersionTransitionShape

const NoncurrentVersionExpirationShape = S.struct(
  'NoncurrentVersionExpiration',
  {
    NoncurrentDays: S.member(S.integer),
    NewerNoncurrentVersions: S.member(S.integer),
  },
)
/**
 * The model's `NoncurrentVersionExpiration`.
 *
 * @public
 * @since 0.2.0
 */
export interface NoncurrentVersionExpiration extends t.TypeOf<typeof NoncurrentVersionExpirationShape> {}
/**
 * The codec of `NoncurrentVersionExpiration`.
 *
 * @public
 * @since 0.2.0
 */
export const NoncurrentVersionExpiration: S.Shape<NoncurrentVersionExpiration> = NoncurrentVersionExpirationShape

const AbortIncompleteMultipartUploadShape = S.struct(
  'AbortIncompleteMultipartUpload',
  {
    DaysAfterInitiation: S.member(S.integer),
  },
)
/**
 * The model's `AbortIncompleteMultipartUpload`.
 *
 * @public
 * @since 0.2.0
 */
export interface AbortIncompleteMultipartUpload extends t.TypeOf<typeof AbortIncompleteMultipartUploadShape> {}
/**
 * The codec of `AbortIncompleteMultipartUpload`.
 *
 * @public
 * @since 0.2.0
 */
export const AbortIncompleteMultipartUpload: S.Shape<AbortIncompleteMultipartUpload> = AbortIncompleteMultipartUploadShape

const LifecycleRuleShape = S.struct(
  'LifecycleRule',
  {
    Expiration: S.member(LifecycleExpiration),
    ID: S.member(S.string),
    Prefix: S.member(S.string),
    Filter: S.member(LifecycleRuleFilter),
    Status: S.member(ExpirationStatusOpen, { required: true }),
    Transitions: S.member(S.list(Transition, 'member', 'TransitionList'), { locationName: 'Transition', flattened: true }),
    NoncurrentVersionTransitions: S.member(S.list(NoncurrentVersionTransition, 'member', 'NoncurrentVersionTransitionList'), { locationName: 'NoncurrentVersionTransition', flattened: true }),
    NoncurrentVersionExpiration: S.member(NoncurrentVersionExpiration),
    AbortIncompleteMultipartUpload: S.member(AbortIncompleteMultipartUpload),
  },
)
/**
 * The model's `LifecycleRule`.
 *
 * @public
 * @since 0.2.0
 */
export interface LifecycleRule extends t.TypeOf<typeof LifecycleRuleShape> {}
/**
 * The codec of `LifecycleRule`.
 *
 * @public
 * @since 0.2.0
 */
export const LifecycleRule: S.Shape<LifecycleRule> = LifecycleRuleShape

const GetBucketLifecycleConfigurationOutputShape = S.struct(
  'GetBucketLifecycleConfigurationOutput',
  {
    Rules: S.member(S.list(LifecycleRule, 'member', 'LifecycleRules'), { locationName: 'Rule', flattened: true }),
    TransitionDefaultMinimumObjectSize: S.member(TransitionDefaultMinimumObjectSizeOpen, { location: 'header', locationName: 'x-amz-transition-default-minimum-object-size' }),
  },
)
/**
 * The model's `GetBucketLifecycleConfigurationOutput` (an S3 result).
 *
 * @public
 * @since 0.2.0
 */
export interface GetBucketLifecycleConfigurationOutput extends t.TypeOf<typeof GetBucketLifecycleConfigurationOutputShape> {}
/**
 * The codec of `GetBucketLifecycleConfigurationOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const GetBucketLifecycleConfigurationOutput: S.Shape<GetBucketLifecycleConfigurationOutput> = GetBucketLifecycleConfigurationOutputShape

// -------------------------------------------------------------------------------------------------
// CreateBucket (not in the upload model: for tests and tools that set up a bucket)
// -------------------------------------------------------------------------------------------------

const CreateBucketConfigurationShape = S.struct('CreateBucketConfiguration', {
  LocationConstraint: S.member(S.string),
})
/**
 * Where a new bucket lives (`LocationConstraint`; leave it out for `us-east-1`).
 *
 * @public
 * @since 0.2.0
 */
export interface CreateBucketConfiguration extends t.TypeOf<typeof CreateBucketConfigurationShape> {}
/**
 * The codec of `CreateBucketConfiguration`.
 *
 * @public
 * @since 0.2.0
 */
export const CreateBucketConfiguration: S.Shape<CreateBucketConfiguration> = CreateBucketConfigurationShape

const CreateBucketRequestShape = S.struct(
  'CreateBucketRequest',
  {
    ACL: S.member(S.string, { location: 'header', locationName: 'x-amz-acl' }),
    Bucket: S.member(S.string, { location: 'uri', locationName: 'Bucket', required: true }),
    CreateBucketConfiguration: S.member(CreateBucketConfiguration, {
      locationName: 'CreateBucketConfiguration',
      payload: true,
      xmlNamespace: { uri: 'http://s3.amazonaws.com/doc/2006-03-01/' },
    }),
  },
  { strict: true },
)
/**
 * The members of S3's `CreateBucketRequest` this package sends (a subset of the model's, as botocore declares them).
 *
 * @public
 * @since 0.2.0
 */
export interface CreateBucketRequest extends t.TypeOf<typeof CreateBucketRequestShape> {}
/**
 * The codec of `CreateBucketRequest`.
 *
 * @public
 * @since 0.2.0
 */
export const CreateBucketRequest: S.Shape<CreateBucketRequest> = CreateBucketRequestShape

const CreateBucketOutputShape = S.struct('CreateBucketOutput', {
  Location: S.member(S.string, { location: 'header', locationName: 'Location' }),
})
/**
 * S3's `CreateBucketOutput`.
 *
 * @public
 * @since 0.2.0
 */
export interface CreateBucketOutput extends t.TypeOf<typeof CreateBucketOutputShape> {}
/**
 * The codec of `CreateBucketOutput`.
 *
 * @public
 * @since 0.2.0
 */
export const CreateBucketOutput: S.Shape<CreateBucketOutput> = CreateBucketOutputShape
