/**
 * A call's outcome as a check sees it: the value; the thing is not there (`Missing`: no such role, bucket, key);
 * the caller may not read it (`Denied`); it failed for another reason the service gave (`Failed`); or something that
 * stops every check (`Fatal`: no credentials, no configuration, the network, an abort).
 *
 * The preflight and the role builder turn the first four into check results and the last into their `Left`, so a
 * read the caller is not allowed becomes a `skipped` check with the reason, never an error that hides the others.
 *
 * @since 0.2.0
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Ec2ImportError } from '../../Ec2ImportError.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * What came of one call.
 *
 * @internal
 */
export type CallOutcome<A> =
  | { readonly _tag: 'Ok'; readonly value: A }
  | { readonly _tag: 'Missing'; readonly reason: string }
  | { readonly _tag: 'Denied'; readonly reason: string }
  | { readonly _tag: 'Failed'; readonly reason: string }
  | { readonly _tag: 'Fatal'; readonly error: Ec2ImportError }

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

// IAM's, STS's and S3's codes for "it does not exist" (S3 names a body-less HEAD 404 `NotFound`).
const MISSING = new Set(['NoSuchEntity', 'NoSuchBucket', 'NoSuchKey', 'NotFound'])
// …and for "you may not" (S3 names a body-less HEAD 403 `Forbidden`).
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'AllAccessDisabled', 'UnauthorizedOperation', 'UnauthorizedAccess'])
// A 403 that is about the credentials, not about the permission: a `Failed`, whose reason says so.
const CREDENTIAL_CODES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidClientTokenId', 'InvalidToken', 'TokenRefreshRequired'])

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const reasonOf = (code: string, message: string): string => (message === '' ? code : `${code}: ${message}`)

/**
 * Classify an error of a call.
 *
 * @internal
 */
export const outcomeOfError = (e: Ec2ImportError): Exclude<CallOutcome<never>, { readonly _tag: 'Ok' }> => {
  switch (e._tag) {
    case 'ServiceError':
      if (MISSING.has(e.code)) return { _tag: 'Missing', reason: reasonOf(e.code, e.serviceMessage) }
      if (CREDENTIAL_CODES.has(e.code)) return { _tag: 'Failed', reason: `${reasonOf(e.code, e.serviceMessage)} (the credentials were refused)` }
      if (DENIED.has(e.code) || e.statusCode === 403) return { _tag: 'Denied', reason: reasonOf(e.code, e.serviceMessage) }
      return { _tag: 'Failed', reason: reasonOf(e.code, e.serviceMessage) }
    case 'DecodeError':
      // The body is not quoted: it is kept on the error for a person, not put into a report line.
      return { _tag: 'Failed', reason: `HTTP ${e.statusCode}, a response that could not be read` }
    default:
      return { _tag: 'Fatal', error: e }
  }
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Run a call and classify what came of it. Never rejects (the calls never do).
 *
 * @internal
 */
export const runCall = async <O, A = O>(call: TaskEither<Ec2ImportError, O>, map?: (o: O) => A): Promise<CallOutcome<A>> => {
  const r = await call()
  return r._tag === 'Right' ? { _tag: 'Ok', value: map === undefined ? (r.right as unknown as A) : map(r.right) } : outcomeOfError(r.left)
}

/**
 * Run a call whose "there is none" is an answer, not a failure (`NoSuchBucketPolicy`, `NoSuchLifecycleConfiguration`,
 * `NoSuchEntity` for an optional inline policy): those codes give `Ok` of `undefined`.
 *
 * @internal
 */
export const runOptional = async <O, A>(
  call: TaskEither<Ec2ImportError, O>,
  map: (o: O) => A,
  absent: ReadonlyArray<string>,
): Promise<CallOutcome<A | undefined>> => {
  const r = await call()
  if (r._tag === 'Right') return { _tag: 'Ok', value: map(r.right) }
  if (r.left._tag === 'ServiceError' && absent.includes(r.left.code)) return { _tag: 'Ok', value: undefined }
  return outcomeOfError(r.left)
}

/**
 * An outcome once a `Fatal` one has been dealt with: what a check is made from.
 *
 * @internal
 */
export type Answered<A> = Exclude<CallOutcome<A>, { readonly _tag: 'Fatal' }>
