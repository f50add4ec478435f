/**
 * A small IAM policy evaluator: what strict mode needs to decide, as VM Import does, whether the service can
 * assume a role and whether the role can read an S3 object.
 *
 * It follows IAM's evaluation logic for what it supports — an explicit `Deny` wins over any `Allow`; `Action` and
 * `NotAction`, `Resource` and `NotResource`, with `*` and `?` wildcards (actions compared case-insensitively,
 * resources not); identity policies limited by a permissions boundary; a resource policy (a bucket policy) granting
 * a principal it names. Conditions are not evaluated, except `sts:ExternalId` and `aws:SourceAccount` in a trust
 * policy (the keys compared case-insensitively, as IAM does): a statement with any other condition neither allows
 * nor denies, so strict mode never refuses a role for a condition it cannot judge — and never grants on one.
 *
 * A document that is not JSON grants nothing.
 *
 * @since 0.2.0
 */

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

interface Statement {
  readonly Effect?: unknown
  readonly Action?: unknown
  readonly NotAction?: unknown
  readonly Resource?: unknown
  readonly NotResource?: unknown
  readonly Principal?: unknown
  readonly Condition?: unknown
}

/**
 * The policies that decide one request of a principal.
 *
 * @internal
 * @since 0.2.0
 */
export interface PolicySet {
  /** The principal's identity policies (inline and attached), as JSON text. */
  readonly identity: ReadonlyArray<string>
  /** The principal's permissions boundary, if it has one. */
  readonly boundary?: string | undefined
  /** Resource policies (a bucket policy), as JSON text. */
  readonly resource: ReadonlyArray<string>
  /** The principal's ARN and account, to match a resource policy's `Principal`. */
  readonly principalArn: string
  readonly accountId: string
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const statementsOf = (document: string | undefined): ReadonlyArray<Statement> => {
  if (document === undefined) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(document)
  } catch {
    return []
  }
  if (typeof parsed !== 'object' || parsed === null) return []
  const s = (parsed as { Statement?: unknown }).Statement
  const list = Array.isArray(s) ? s : s === undefined ? [] : [s]
  return list.filter((x): x is Statement => typeof x === 'object' && x !== null)
}

const strings = (v: unknown): ReadonlyArray<string> =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []

const globMatches = (pattern: string, value: string, ignoreCase: boolean): boolean => {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(value)
}

const anyMatches = (patterns: ReadonlyArray<string>, value: string, ignoreCase: boolean): boolean =>
  patterns.some((p) => globMatches(p, value, ignoreCase))

// Whether a statement's action and resource clauses cover the request (conditions aside).
const covers = (s: Statement, action: string, resource: string): boolean => {
  const actionOk =
    s.Action !== undefined
      ? anyMatches(strings(s.Action), action, true)
      : s.NotAction !== undefined && !anyMatches(strings(s.NotAction), action, true)
  if (!actionOk) return false
  // A trust policy has no Resource: the role itself is the resource.
  if (s.Resource === undefined && s.NotResource === undefined) return true
  return s.Resource !== undefined
    ? anyMatches(strings(s.Resource), resource, false)
    : !anyMatches(strings(s.NotResource), resource, false)
}

const hasCondition = (s: Statement): boolean =>
  typeof s.Condition === 'object' && s.Condition !== null && Object.keys(s.Condition).length > 0

type Verdict = 'allow' | 'deny' | 'none'

const evaluate = (
  statements: ReadonlyArray<Statement>,
  applies: (s: Statement) => boolean,
): Verdict => {
  let verdict: Verdict = 'none'
  for (const s of statements) {
    if (hasCondition(s) || !applies(s)) continue
    if (s.Effect === 'Deny') return 'deny'
    if (s.Effect === 'Allow') verdict = 'allow'
  }
  return verdict
}

const principalNames = (p: unknown, arn: string, accountId: string): boolean => {
  if (p === '*') return true
  if (typeof p !== 'object' || p === null) return false
  const aws = strings((p as { AWS?: unknown }).AWS)
  return aws.some((a) => a === '*' || a === arn || a === accountId || a === `arn:${arn.split(':')[1]}:iam::${accountId}:root`)
}

// -------------------------------------------------------------------------------------------------
// evaluation
// -------------------------------------------------------------------------------------------------

/**
 * Whether the principal may perform `action` on `resource`: no explicit deny anywhere, and an allow from its
 * identity policies (within its boundary, if any) or from a resource policy that names it.
 *
 * @internal
 * @since 0.2.0
 */
export const isAllowed = (set: PolicySet, action: string, resource: string): boolean => {
  const identity = set.identity.flatMap(statementsOf)
  const boundary = set.boundary === undefined ? undefined : statementsOf(set.boundary)
  const resourceStatements = set.resource.flatMap(statementsOf)
  const own = evaluate(identity, (s) => covers(s, action, resource))
  const bound = boundary === undefined ? 'allow' : evaluate(boundary, (s) => covers(s, action, resource))
  const granted = evaluate(
    resourceStatements,
    (s) => principalNames(s.Principal, set.principalArn, set.accountId) && covers(s, action, resource),
  )
  if (own === 'deny' || bound === 'deny' || granted === 'deny') return false
  return (own === 'allow' && bound === 'allow') || granted === 'allow'
}

// A trust policy's conditions that strict mode can judge for VM Import's AssumeRole.
const trustConditionHolds = (condition: unknown, externalId: string, accountId: string): boolean => {
  if (typeof condition !== 'object' || condition === null) return true
  for (const [operator, clauses] of Object.entries(condition)) {
    if (typeof clauses !== 'object' || clauses === null) continue
    for (const [key, expected] of Object.entries(clauses)) {
      const actual =
        key.toLowerCase() === 'sts:externalid' ? externalId : key.toLowerCase() === 'aws:sourceaccount' ? accountId : undefined
      // A key VM Import's request does not carry here is not judged (see the module comment).
      if (actual === undefined) continue
      const values = strings(expected)
      const ok = /like/i.test(operator) ? anyMatches(values, actual, false) : values.includes(actual)
      if (/^String(Equals|Like)(IfExists)?$/.test(operator) && !ok) return false
      if (/^StringNot(Equals|Like)(IfExists)?$/.test(operator) && ok) return false
    }
  }
  return true
}

/**
 * Whether a trust policy lets `service` (VM Import's `vmie.amazonaws.com`) assume the role, with VM Import's
 * `sts:ExternalId` (`vmimport`).
 *
 * @internal
 * @since 0.2.0
 */
export const trustAdmits = (
  trustPolicy: string,
  service: string,
  context: { readonly externalId: string; readonly accountId: string },
): boolean => {
  let allowed = false
  for (const s of statementsOf(trustPolicy)) {
    const p = s.Principal
    const names =
      p === '*' || (typeof p === 'object' && p !== null && strings((p as { Service?: unknown }).Service).includes(service))
    if (!names || !covers(s, 'sts:AssumeRole', '')) continue
    if (!trustConditionHolds(s.Condition, context.externalId, context.accountId)) continue
    if (s.Effect === 'Deny') return false
    if (s.Effect === 'Allow') allowed = true
  }
  return allowed
}
