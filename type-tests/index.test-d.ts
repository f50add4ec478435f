import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd'
import type { Either } from 'fp-ts/lib/Either.js'
import type { Validation } from 'io-ts'
import * as api from '../dist/index.js'
import {
  createClient,
  defaultEnvironment,
  DiskImageFormat,
  fromEnv,
  fromIni,
  ImportImageRequest,
  UserBucket,
  type AwsCredentialIdentityProvider,
  type DescribeImportImageTasksResult,
  type Enumeration,
  type ImageDiskContainer,
  type Shape,
  type DecodeError,
  type Ec2ImportError,
  type ImportImageResult,
  type ImportImageTask,
  type PaginationError,
  type ServiceError,
  type TransportError,
  type ValidationError,
  type WaitError,
  type WaiterError,
  type ImportImageWaitError,
  type WithMetadata,
  type ConfigError,
  type CredentialsError,
} from '../dist/index.js'

const ec2 = createClient({ region: 'eu-west-1' })
const disk = { Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } } as const

// a well-formed request compiles, and the result type is precise
const started = await ec2.importImage({ DiskContainers: [disk], BootMode: 'uefi', Platform: 'Linux', LicenseType: 'BYOL' })()
expectType<Either<Ec2ImportError, WithMetadata<ImportImageResult>>>(started)
if (started._tag === 'Right') {
  expectType<string>(started.right.ImportTaskId)
  expectType<number>(started.right.$metadata.attempts)
  expectType<string | undefined>(started.right.$metadata.requestId)
}

// an unknown member, a wrong enum literal, a wrong type: none compiles
expectError(ec2.importImage({ DiskContainers: [disk], DiskContainer: [disk] }))
expectError(ec2.importImage({ DiskContainers: [disk], BootMode: 'bios' }))
expectError(ec2.importImage({ DiskContainers: [disk], Encrypted: 'yes' }))
expectError(ec2.importImage({ DiskContainers: [{ ...disk, Format: 'qcow2' }] }))
expectError(ec2.importImage({ DiskContainers: [disk], Architecture: 'arm64' }))
expectError(ec2.importImage({ DiskContainers: [disk], ClientData: { UploadStart: '2020-01-01' } }))
expectError(ec2.importImage({ DiskContainers: [disk], TagSpecifications: [{ ResourceType: 'image', Tags: [] }] }))
// the documented rules the types can carry
expectError(ec2.importImage({ DiskContainers: [disk], KmsKeyId: 'alias/k' }))
expectError(ec2.importImage({ DiskContainers: [disk], Encrypted: false, KmsKeyId: 'alias/k' }))
expectType<typeof started>(await ec2.importImage({ DiskContainers: [disk], Encrypted: true, KmsKeyId: 'alias/k' })())
expectError(ec2.importImage({ DiskContainers: [disk], LicenseType: 'BYOL', UsageOperation: 'RunInstances:0800' }))
expectError(ec2.importImage({ DiskContainers: [disk], BootMode: 'uefi-preferred' }))
expectError(ec2.importImage({ DiskContainers: [{ Format: 'VMDK', Url: 's3://b/k', SnapshotId: 'snap-1' }] }))
expectError(ec2.importImage({ DiskContainers: [{ Format: 'VMDK' }] }))
expectAssignable<ImportImageRequest>({ DiskContainers: [{ SnapshotId: 'snap-0123' }], BootMode: 'uefi', Platform: 'Windows' })
// disk containers are required
expectError(ec2.importImage({ Platform: 'Linux' }))
// formats in either case
expectAssignable<ImportImageRequest>({ DiskContainers: [{ Format: 'vmdk', Url: 's3://b/k' }] })

// the codec and the type share a name
expectType<ImportImageRequest>(ImportImageRequest.encode({ DiskContainers: [disk] }) as unknown as ImportImageRequest)

// every Left narrows by _tag
declare const e: Ec2ImportError
switch (e._tag) {
  case 'ConfigError':
    expectType<ConfigError>(e)
    break
  case 'ValidationError':
    expectType<ValidationError>(e)
    expectType<string>(e.errors[0]!.path)
    break
  case 'CredentialsError':
    expectType<CredentialsError>(e)
    break
  case 'TransportError':
    expectType<TransportError>(e)
    expectType<string | undefined>(e.code)
    break
  case 'ServiceError':
    expectType<ServiceError>(e)
    expectType<string>(e.code)
    expectType<number>(e.statusCode)
    break
  case 'DecodeError':
    expectType<DecodeError>(e)
    expectType<string>(e.body)
    break
  case 'WaitError':
    expectType<WaitError>(e)
    break
  case 'PaginationError':
    expectType<PaginationError>(e)
    break
  default:
    expectType<never>(e)
}

// results: unknown enum values from the service are still strings
declare const task: ImportImageTask
expectAssignable<string | undefined>(task.Status)
expectAssignable<ImportImageTask['Status']>('some-new-state')
expectNotAssignable<ImportImageTask['Progress']>(42)

const waited = await ec2.waitForImportImageTask('import-ami-0123', { timeoutMs: 1000, cancelOnAbort: true })()
// The waiter's Left is narrower than Ec2ImportError (its WaitError is the import-image kind), and still one.
expectType<Either<WaiterError<ImportImageWaitError>, ImportImageTask>>(waited)
expectAssignable<Either<Ec2ImportError, ImportImageTask>>(waited)

// option objects take `undefined` for an option, as ClientConfig does: a maybe-signal passes straight through, also
// under exactOptionalPropertyTypes
declare const maybeSignal: AbortSignal | undefined
expectType<typeof started>(await ec2.importImage({ DiskContainers: [disk] }, { signal: maybeSignal })())
expectType<typeof waited>(
  await ec2.waitForImportImageTask('import-ami-0123', { signal: maybeSignal, timeoutMs: undefined, onProgress: undefined })(),
)
await ec2.close()

// nested shapes are named: a request's disks are ImageDiskContainers, a page's tasks ImportImageTasks
declare const request: ImportImageRequest
expectType<Array<ImageDiskContainer>>(request.DiskContainers)
declare const page: DescribeImportImageTasksResult
expectAssignable<ReadonlyArray<ImportImageTask> | undefined>(page.ImportImageTasks)
expectNotAssignable<DescribeImportImageTasksResult['ImportImageTasks']>([{ Progress: '1' }])
// and each codec is typed by its name, with no schema internal in sight
expectType<Shape<UserBucket>>(UserBucket)
expectType<Enumeration<DiskImageFormat>>(DiskImageFormat)
expectType<Validation<UserBucket>>(UserBucket.decode({ S3Bucket: 'images' }))

// the credential sources of the default chain compose on their own
expectType<AwsCredentialIdentityProvider>(fromIni({ ...defaultEnvironment(), profile: 'ci' }))
createClient({ credentials: fromEnv({ env: { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' } }) })

// internals are not part of the surface
expectError(api.dryRunOutcome)
expectError(api.StructType)
expectError(api.ImportImageRequestStruct)
expectError(api.narrow)

// an MFA code provider takes the device's serial and resolves with the code
createClient({ profile: 'mfa', mfaCodeProvider: async (serial: string) => (serial === '' ? '' : '123456') })
expectError(createClient({ mfaCodeProvider: (serial: string) => '123456' }))
expectError(createClient({ mfaCodeProvider: async (serial: number) => String(serial) }))
