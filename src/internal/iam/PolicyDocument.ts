/**
 * IAM policy documents as data: the JSON grammar of a policy (`Version`, `Statement`, each statement's `Effect`,
 * `Principal`, `Action`/`NotAction`, `Resource`/`NotResource`, `Condition`), read from the text IAM returns — which
 * is URL-encoded JSON — into a typed value, and written back as JSON.
 *
 * Reading never throws: a document that is not a policy is a `Left` with the reason, which the evaluator turns into
 * an `unknown` answer (a policy it cannot read might allow or deny anything).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * One or more strings, as the policy grammar allows for `Action`, `Resource` and principals.
 *
 * @public
 * @since 0.2.0
 */
export type OneOrMore = string | ReadonlyArray<string>

/**
 * A statement's `Principal` (or `NotPrincipal`): `"*"`, or principals by kind (`Service`, `AWS`, `Federated`,
 * `CanonicalUser`).
 *
 * @public
 * @since 0.2.0
 */
export type PolicyPrincipal = '*' | { readonly [kind: string]: OneOrMore }

/**
 * A statement's `Condition` block: operator → condition key → one or more values.
 *
 * @public
 * @since 0.2.0
 */
export type PolicyCondition = { readonly [operator: string]: { readonly [key: string]: OneOrMore | boolean | number } }

/**
 * One statement of a policy.
 *
 * @public
 * @since 0.2.0
 */
export interface PolicyStatement {
  readonly Sid?: string
  readonly Effect: 'Allow' | 'Deny'
  readonly Principal?: PolicyPrincipal
  readonly NotPrincipal?: PolicyPrincipal
  readonly Action?: OneOrMore
  readonly NotAction?: OneOrMore
  readonly Resource?: OneOrMore
  readonly NotResource?: OneOrMore
  readonly Condition?: PolicyCondition
}

/**
 * A policy document: identity-based, a trust policy, a permissions boundary or a bucket policy.
 *
 * @public
 * @since 0.2.0
 */
export interface PolicyDocument {
  readonly Version?: string
  readonly Id?: string
  readonly Statement: ReadonlyArray<PolicyStatement>
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The policy language version every document this package writes names.
 *
 * @internal
 */
export const POLICY_VERSION = '2012-10-17'

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

const isOneOrMore = (u: unknown): u is OneOrMore => typeof u === 'string' || (Array.isArray(u) && u.every((x) => typeof x === 'string'))

/**
 * The strings of a `OneOrMore`, as a list.
 *
 * @internal
 */
export const listOf = (v: OneOrMore | undefined): ReadonlyArray<string> => (v === undefined ? [] : typeof v === 'string' ? [v] : v)

/**
 * The text of a policy as IAM returns it (URL-encoded JSON, RFC 3986), or as it was written (plain JSON: S3's
 * `GetBucketPolicy`, and some emulators, send it unencoded).
 *
 * An encoded document cannot start with `{` (IAM encodes it as `%7B`), so a document that does is taken as plain
 * JSON; `+` is not a space here, as the encoding IAM uses writes a space as `%20`.
 *
 * @internal
 */
export const decodePolicyText = (text: string): E.Either<string, string> => {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) return E.right(trimmed)
  try {
    return E.right(decodeURIComponent(trimmed))
  } catch {
    return E.left('the policy document is neither JSON nor URL-encoded JSON')
  }
}

const statementOf = (u: unknown, i: number): E.Either<string, PolicyStatement> => {
  const at = `statement ${i + 1}`
  if (!isRecord(u)) return E.left(`${at} is not an object`)
  if (u['Effect'] !== 'Allow' && u['Effect'] !== 'Deny') return E.left(`${at} has no Effect "Allow" or "Deny"`)
  for (const k of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (u[k] !== undefined && !isOneOrMore(u[k])) return E.left(`${at}: ${k} is not a string or a list of strings`)
  }
  if (u['Action'] !== undefined && u['NotAction'] !== undefined) return E.left(`${at} has both Action and NotAction`)
  if (u['Action'] === undefined && u['NotAction'] === undefined) return E.left(`${at} has neither Action nor NotAction`)
  if (u['Resource'] !== undefined && u['NotResource'] !== undefined) return E.left(`${at} has both Resource and NotResource`)
  for (const k of ['Principal', 'NotPrincipal'] as const) {
    const p = u[k]
    if (p !== undefined && p !== '*' && !(isRecord(p) && Object.values(p).every(isOneOrMore))) return E.left(`${at}: ${k} is not "*" or principals by kind`)
  }
  const c = u['Condition']
  if (c !== undefined && !(isRecord(c) && Object.values(c).every(isRecord))) return E.left(`${at}: Condition is not operator → key → values`)
  if (u['Sid'] !== undefined && typeof u['Sid'] !== 'string') return E.left(`${at}: Sid is not a string`)
  return E.right(u as unknown as PolicyStatement)
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * A policy document from its JSON value. `Statement` may be one statement or a list, as the grammar allows; the
 * result always has a list.
 *
 * @internal
 */
export const policyFromJson = (u: unknown): E.Either<string, PolicyDocument> => {
  if (!isRecord(u)) return E.left('the policy document is not a JSON object')
  const raw = u['Statement']
  const list = Array.isArray(raw) ? raw : raw === undefined ? undefined : [raw]
  if (list === undefined) return E.left('the policy document has no Statement')
  const statements: Array<PolicyStatement> = []
  for (let i = 0; i < list.length; i++) {
    const s = statementOf(list[i], i)
    if (E.isLeft(s)) return s
    statements.push(s.right)
  }
  return E.right({
    ...(typeof u['Version'] === 'string' ? { Version: u['Version'] } : {}),
    ...(typeof u['Id'] === 'string' ? { Id: u['Id'] } : {}),
    Statement: statements,
  })
}

/**
 * A policy document from the text IAM or S3 returns: URL-decoded when it is encoded, then parsed.
 *
 * @internal
 */
export const parsePolicyDocument = (text: string): E.Either<string, PolicyDocument> => {
  const decoded = decodePolicyText(text)
  if (E.isLeft(decoded)) return decoded
  let json: unknown
  try {
    json = JSON.parse(decoded.right)
  } catch {
    return E.left('the policy document is not valid JSON')
  }
  return policyFromJson(json)
}

/**
 * A policy document as the JSON text IAM accepts.
 *
 * @internal
 */
export const writePolicyDocument = (doc: PolicyDocument): string => JSON.stringify(doc)
