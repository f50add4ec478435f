/**
 * The errors the emulator answers with: EC2's codes, HTTP statuses and message wording.
 *
 * Where a code, status or text comes from (see `/work/shared/research/users-and-peers.md` §3 and the emulator's
 * report):
 * - statuses from EC2's CommonErrors page (`MalformedQueryString` 404, `MissingAuthenticationToken` 403,
 *   `RequestExpired` 400, the parameter errors 400), `DryRunOperation` 412 (moto PR #4270, karpenter#8015),
 *   `UnauthorizedOperation` 403 with an "Encoded authorization failure message", `RequestLimitExceeded` 503,
 *   `InternalError` 500, `Unavailable` 503;
 * - `InvalidParameterDependency` "The parameter KmsKeyId requires the parameter Encrypted to be set." is what EC2
 *   sends for the same rule on RunInstances and CreateVolume (keithvassallomt/parsec-aws-automation#12, moto PR
 *   #3383), so ImportImage is assumed to share it;
 * - `InvalidConversionTaskId.Malformed` for an import task id the service does not know: it is the code real
 *   tools catch from DescribeImportImageTasks for a task that no longer exists (openstack nodepool's AWS adapter:
 *   "In practice, this can mean that the task no longer exists");
 * - cancelling a task that is no longer active, `InvalidParameterValue`, and the `ResourceLimitExceeded` wording
 *   are the emulator's choice: no public source quotes EC2's answer.
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import type { FieldError } from '../Ec2ImportError.js'
import type { WireCodec } from '../internal/schema/Schema.js'
import { queryPathOf } from './QueryReader.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * An error response: HTTP status, EC2 code and message.
 *
 * @internal
 * @since 0.1.0
 */
export interface Ec2Error {
  readonly status: number
  readonly code: string
  readonly message: string
}

// The codec's messages are lowercase fragments ("expected one of …"); EC2's are sentences.
const sentence = (s: string): string => {
  const t = s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1)
  return /[.!?"]$/.test(t) ? t : `${t}.`
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * An EC2 error.
 *
 * @internal
 * @since 0.1.0
 */
export const ec2Error = (status: number, code: string, message: string): Ec2Error => ({ status, code, message })

/**
 * `MissingParameter`, naming the query parameter.
 *
 * @internal
 * @since 0.1.0
 */
export const missingParameter = (name: string): Ec2Error =>
  ec2Error(400, 'MissingParameter', `The request must contain the parameter ${name}`)

/**
 * `DryRunOperation` (412): the request would have succeeded.
 *
 * @internal
 * @since 0.1.0
 */
export const dryRunOperation: Ec2Error = ec2Error(
  412,
  'DryRunOperation',
  'Request would have succeeded, but DryRun flag is set.',
)

/**
 * `UnauthorizedOperation` (403), with an opaque blob where EC2 puts the encoded authorization context that only
 * `sts:DecodeAuthorizationMessage` can read.
 *
 * @internal
 * @since 0.1.0
 */
export const unauthorizedOperation = (action: string, requestId: string): Ec2Error => {
  const seed = createHash('sha512').update(`${action}:${requestId}`).digest()
  const blob = Buffer.concat([seed, createHash('sha512').update(seed).digest()]).toString('base64url')
  return ec2Error(
    403,
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. Encoded authorization failure message: ${blob}`,
  )
}

/**
 * `InvalidConversionTaskId.Malformed` for an id the emulator does not know (or no longer shows).
 *
 * @internal
 * @since 0.1.0
 */
export const unknownTask = (id: string): Ec2Error =>
  /^import-ami-[0-9a-f]{8,17}$/.test(id)
    ? ec2Error(400, 'InvalidConversionTaskId.Malformed', `The import task ID '${id}' does not exist.`)
    : ec2Error(400, 'InvalidConversionTaskId.Malformed', `Invalid id: "${id}" (expecting "import-ami-...")`)

/**
 * The answer for a request that broke its codec or one of the documented rules, chosen from the first field error
 * the way EC2 words each rule, with the query parameter's name (not the domain member's) in the message.
 *
 * @internal
 * @since 0.1.0
 */
export const fromFieldErrors = (
  codec: WireCodec,
  errors: ReadonlyArray<FieldError>,
  params: ReadonlyMap<string, string>,
): Ec2Error => {
  const e = errors[0]
  if (e === undefined) return ec2Error(400, 'InvalidParameterValue', 'The request is invalid.')
  const wire = queryPathOf(codec, e.path)
  const last = e.path.split('.').pop() ?? ''
  if (e.message === 'is required') return missingParameter(wire)
  if (last === 'KmsKeyId' && e.message.includes('Encrypted')) {
    return ec2Error(400, 'InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.')
  }
  if (e.message.includes('mutually exclusive')) {
    return ec2Error(
      400,
      'InvalidParameterCombination',
      'The parameters LicenseType and UsageOperation cannot be used together. Specify one of them.',
    )
  }
  if (e.message.includes('exactly one source')) {
    return e.message.includes('none given')
      ? ec2Error(400, 'MissingParameter', `${wire} must specify one of Url, UserBucket or SnapshotId.`)
      : ec2Error(
          400,
          'InvalidParameterCombination',
          `${wire.replace(/\.[^.]+$/, '')} must specify exactly one of Url, UserBucket or SnapshotId.`,
        )
  }
  if (last === 'Platform' && e.message.includes('required')) return ec2Error(400, 'MissingParameter', e.message)
  const value = params.get(wire)
  const why = sentence(e.message)
  return value === undefined
    ? ec2Error(400, 'InvalidParameterValue', `Invalid value for parameter ${wire}. ${why}`)
    : ec2Error(400, 'InvalidParameterValue', `Value (${value}) for parameter ${wire} is invalid. ${why}`)
}

// -------------------------------------------------------------------------------------------------
// the snapshot path
// -------------------------------------------------------------------------------------------------

// EC2's ids: a prefix and 8 or 17 hex digits.
const idPattern = (prefix: string): RegExp => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)

/**
 * `InvalidConversionTaskId.Malformed` for a snapshot import task id the emulator does not know (or no longer shows).
 *
 * @internal
 * @since 0.2.0
 */
export const unknownSnapshotTask = (id: string): Ec2Error =>
  idPattern('import-snap').test(id)
    ? ec2Error(400, 'InvalidConversionTaskId.Malformed', `The import task ID '${id}' does not exist.`)
    : ec2Error(400, 'InvalidConversionTaskId.Malformed', `Invalid id: "${id}" (expecting "import-snap-...")`)

/**
 * `InvalidAMIID.NotFound` for a well-formed AMI id the region does not hold (yet: EC2 is eventually consistent),
 * `InvalidAMIID.Malformed` for one that is not an AMI id at all. The brackets are EC2's: the message lists ids.
 *
 * @internal
 * @since 0.2.0
 */
export const unknownImage = (id: string): Ec2Error =>
  idPattern('ami').test(id)
    ? ec2Error(400, 'InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`)
    : ec2Error(400, 'InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`)

/**
 * `InvalidSnapshot.NotFound` for a well-formed snapshot id the region does not hold, `InvalidSnapshotID.Malformed`
 * otherwise.
 *
 * @internal
 * @since 0.2.0
 */
export const unknownSnapshot = (id: string): Ec2Error =>
  idPattern('snap').test(id)
    ? ec2Error(400, 'InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`)
    : ec2Error(400, 'InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`)

/**
 * `IdempotentParameterMismatch`: a client token reused with other parameters.
 *
 * @internal
 * @since 0.2.0
 */
export const idempotentParameterMismatch: Ec2Error = ec2Error(
  400,
  'IdempotentParameterMismatch',
  'The client token you have provided is associated with a resource that is already deleted or was created with different parameters. Please use a different client token.',
)
