/**
 * The S3 operations the upload and the preflight call, in one table: each one's HTTP binding (method and URI
 * template, from the S3 model), its request and result shapes (`src/shapes/S3.ts`), and whether a repeat is harmless.
 * Called through `createServiceCaller(config).call(S3, PutObject, input)`, on the same pipeline as every other call.
 *
 * @since 0.2.0
 */
import { operation, type Operation } from '../internal/protocol/Operation.js'
import { restXml } from '../internal/protocol/RestXml.js'
import type { Service } from '../ServiceCaller.js'
import {
  AbortMultipartUploadOutput,
  AbortMultipartUploadRequest,
  CompleteMultipartUploadOutput,
  CompleteMultipartUploadRequest,
  CreateBucketOutput,
  CreateBucketRequest,
  CreateMultipartUploadOutput,
  CreateMultipartUploadRequest,
  DeleteObjectOutput,
  DeleteObjectRequest,
  GetBucketLifecycleConfigurationOutput,
  GetBucketLifecycleConfigurationRequest,
  GetBucketLocationOutput,
  GetBucketLocationRequest,
  GetBucketPolicyOutput,
  GetBucketPolicyRequest,
  HeadObjectOutput,
  HeadObjectRequest,
  ListMultipartUploadsOutput,
  ListMultipartUploadsRequest,
  ListPartsOutput,
  ListPartsRequest,
  PutObjectOutput,
  PutObjectRequest,
  UploadPartOutput,
  UploadPartRequest,
} from '../shapes/S3.js'

export type { Operation } from '../internal/protocol/Operation.js'

// -------------------------------------------------------------------------------------------------
// services
// -------------------------------------------------------------------------------------------------

/**
 * The S3 API version (it is in no request: REST-XML names the operation by its method and path).
 *
 * @internal
 * @since 0.2.0
 */
export const S3_API_VERSION = '2006-03-01'

/**
 * S3: REST-XML, signed as `s3`. Buckets are addressed by path (`/{Bucket}/{Key}`), which a custom endpoint (the
 * emulator, moto, LocalStack) needs and AWS's regional endpoints accept.
 *
 * @internal
 * @since 0.2.0
 */
export const S3: Service = { id: 's3', signingName: 's3', protocol: restXml }

// -------------------------------------------------------------------------------------------------
// objects and multipart uploads
// -------------------------------------------------------------------------------------------------

/**
 * S3 `PutObject`: `PUT /{Bucket}/{Key+}`.
 *
 * @internal
 * @since 0.2.0
 */
export const PutObject: Operation<PutObjectRequest, PutObjectOutput> = operation('PutObject', PutObjectRequest, PutObjectOutput, {
  version: S3_API_VERSION,
  http: { method: 'PUT', requestUri: '/{Bucket}/{Key+}' },
  idempotent: true, // a PUT of the same bytes to the same key leaves the same object
})

/**
 * S3 `HeadObject`: `HEAD /{Bucket}/{Key+}`.
 *
 * @internal
 * @since 0.2.0
 */
export const HeadObject: Operation<HeadObjectRequest, HeadObjectOutput> = operation('HeadObject', HeadObjectRequest, HeadObjectOutput, {
  version: S3_API_VERSION,
  http: { method: 'HEAD', requestUri: '/{Bucket}/{Key+}' },
  idempotent: true,
})

/**
 * S3 `DeleteObject`: `DELETE /{Bucket}/{Key+}`.
 *
 * @internal
 * @since 0.2.0
 */
export const DeleteObject: Operation<DeleteObjectRequest, DeleteObjectOutput> = operation('DeleteObject', DeleteObjectRequest, DeleteObjectOutput, {
  version: S3_API_VERSION,
  http: { method: 'DELETE', requestUri: '/{Bucket}/{Key+}', responseCode: 204 },
  idempotent: true, // deleting a deleted key succeeds again (204), so a repeat cannot hide the first answer
})

/**
 * S3 `CreateMultipartUpload`: `POST /{Bucket}/{Key+}?uploads`.
 *
 * @internal
 * @since 0.2.0
 */
export const CreateMultipartUpload: Operation<CreateMultipartUploadRequest, CreateMultipartUploadOutput> = operation('CreateMultipartUpload', CreateMultipartUploadRequest, CreateMultipartUploadOutput, {
  version: S3_API_VERSION,
  http: { method: 'POST', requestUri: '/{Bucket}/{Key+}?uploads' },
  idempotent: false, // a repeat that reached S3 starts a second upload, whose parts would be orphaned
})

/**
 * S3 `UploadPart`: `PUT /{Bucket}/{Key+}`.
 *
 * @internal
 * @since 0.2.0
 */
export const UploadPart: Operation<UploadPartRequest, UploadPartOutput> = operation('UploadPart', UploadPartRequest, UploadPartOutput, {
  version: S3_API_VERSION,
  http: { method: 'PUT', requestUri: '/{Bucket}/{Key+}' },
  idempotent: true, // a PUT of the same part number replaces that part with the same bytes
})

/**
 * S3 `CompleteMultipartUpload`: `POST /{Bucket}/{Key+}`.
 *
 * @internal
 * @since 0.2.0
 */
export const CompleteMultipartUpload: Operation<CompleteMultipartUploadRequest, CompleteMultipartUploadOutput> = operation('CompleteMultipartUpload', CompleteMultipartUploadRequest, CompleteMultipartUploadOutput, {
  version: S3_API_VERSION,
  http: { method: 'POST', requestUri: '/{Bucket}/{Key+}' },
  idempotent: false, // a repeat after a success fails with NoSuchUpload, which would hide the success
})

/**
 * S3 `AbortMultipartUpload`: `DELETE /{Bucket}/{Key+}`.
 *
 * @internal
 * @since 0.2.0
 */
export const AbortMultipartUpload: Operation<AbortMultipartUploadRequest, AbortMultipartUploadOutput> = operation('AbortMultipartUpload', AbortMultipartUploadRequest, AbortMultipartUploadOutput, {
  version: S3_API_VERSION,
  http: { method: 'DELETE', requestUri: '/{Bucket}/{Key+}', responseCode: 204 },
  idempotent: false, // a repeat after a success fails with NoSuchUpload, which would hide the success
})

/**
 * S3 `ListParts`: `GET /{Bucket}/{Key+}`.
 *
 * @internal
 * @since 0.2.0
 */
export const ListParts: Operation<ListPartsRequest, ListPartsOutput> = operation('ListParts', ListPartsRequest, ListPartsOutput, {
  version: S3_API_VERSION,
  http: { method: 'GET', requestUri: '/{Bucket}/{Key+}' },
  idempotent: true,
})

/**
 * S3 `ListMultipartUploads`: `GET /{Bucket}?uploads`.
 *
 * @internal
 * @since 0.2.0
 */
export const ListMultipartUploads: Operation<ListMultipartUploadsRequest, ListMultipartUploadsOutput> = operation('ListMultipartUploads', ListMultipartUploadsRequest, ListMultipartUploadsOutput, {
  version: S3_API_VERSION,
  http: { method: 'GET', requestUri: '/{Bucket}?uploads' },
  idempotent: true,
})

/**
 * S3 `GetBucketLocation`: `GET /{Bucket}?location`.
 *
 * @internal
 * @since 0.2.0
 */
export const GetBucketLocation: Operation<GetBucketLocationRequest, GetBucketLocationOutput> = operation('GetBucketLocation', GetBucketLocationRequest, GetBucketLocationOutput, {
  version: S3_API_VERSION,
  http: { method: 'GET', requestUri: '/{Bucket}?location' },
  idempotent: true,
})

/**
 * S3 `GetBucketPolicy`: `GET /{Bucket}?policy`.
 *
 * @internal
 * @since 0.2.0
 */
export const GetBucketPolicy: Operation<GetBucketPolicyRequest, GetBucketPolicyOutput> = operation('GetBucketPolicy', GetBucketPolicyRequest, GetBucketPolicyOutput, {
  version: S3_API_VERSION,
  http: { method: 'GET', requestUri: '/{Bucket}?policy' },
  idempotent: true,
})

/**
 * S3 `GetBucketLifecycleConfiguration`: `GET /{Bucket}?lifecycle`.
 *
 * @internal
 * @since 0.2.0
 */
export const GetBucketLifecycleConfiguration: Operation<GetBucketLifecycleConfigurationRequest, GetBucketLifecycleConfigurationOutput> = operation('GetBucketLifecycleConfiguration', GetBucketLifecycleConfigurationRequest, GetBucketLifecycleConfigurationOutput, {
  version: S3_API_VERSION,
  http: { method: 'GET', requestUri: '/{Bucket}?lifecycle' },
  idempotent: true,
})

// -------------------------------------------------------------------------------------------------
// buckets (for tests and tools that set one up; not in the upload model)
// -------------------------------------------------------------------------------------------------

/**
 * S3 `CreateBucket`: `PUT /{Bucket}`, with the region as a `CreateBucketConfiguration` body outside `us-east-1`.
 *
 * @internal
 * @since 0.2.0
 */
export const CreateBucket: Operation<CreateBucketRequest, CreateBucketOutput> = operation('CreateBucket', CreateBucketRequest, CreateBucketOutput, {
  version: S3_API_VERSION,
  http: { method: 'PUT', requestUri: '/{Bucket}' },
  idempotent: false, // a repeat after a success fails with BucketAlreadyOwnedByYou outside us-east-1
})
