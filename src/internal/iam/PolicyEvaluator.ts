/**
 * Pure evaluation of IAM policy documents, as IAM evaluates them, for the part of the policy language the preflight
 * needs — and an honest `unknown` for the rest.
 *
 * What it evaluates: `Effect` (an explicit `Deny` wins over any `Allow`); `Action`/`NotAction` with `*` and `?`,
 * compared without regard to case (IAM does); `Resource`/`NotResource` with `*` and `?`, compared with regard to case;
 * `Principal` (`"*"`, `Service`, `AWS` by ARN or account); `Condition` with the string operators (`StringEquals`,
 * `StringNotEquals`, `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`, `StringLike`, `StringNotLike`, each also
 * `…IfExists`), `Bool` and `Null`, on the keys the request context names, keys compared without regard to case (AWS's
 * own VM Import sample writes `sts:Externalid`); a permissions boundary (allowed only if the boundary allows too);
 * a resource policy beside the identity policies (either may grant; a `Deny` in any of them denies).
 *
 * What it does not: any other condition operator, a key the context does not name, a policy variable (`${…}`),
 * `NotPrincipal`, a policy it cannot parse. Each of them makes the answer `unknown`, never `allow`: a check built on
 * it says `warn`, with the reason, instead of a `pass` it did not earn.
 *
 * @since 0.2.0
 */
import { listOf, parsePolicyDocument, type PolicyCondition, type PolicyDocument, type PolicyPrincipal, type PolicyStatement } from './PolicyDocument.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * Who makes the request, for statements that name a `Principal` (trust policies, bucket policies): an AWS service,
 * or an IAM principal by ARN in an account.
 *
 * @internal
 */
export type RequestPrincipal =
  | { readonly _tag: 'Service'; readonly service: string }
  | { readonly _tag: 'AWS'; readonly arn: string; readonly account: string }

/**
 * The values of the condition keys a request carries, by key (any case). A key mapped to `null` is known to be absent
 * from the request; a key not listed is not known at all, and a condition on it cannot be evaluated.
 *
 * @internal
 */
export type RequestContext = Readonly<Record<string, string | ReadonlyArray<string> | null>>

/**
 * One request to evaluate: an action on a resource, maybe by a principal, with its condition keys.
 *
 * @internal
 */
export interface AccessRequest {
  readonly action: string
  /** Absent for a trust policy, whose statements name no resource. */
  readonly resource?: string | undefined
  readonly principal?: RequestPrincipal | undefined
  readonly context?: RequestContext | undefined
}

/**
 * A policy and where it came from (`inline policy vmimport`, a managed policy's ARN, `bucket policy`), for the
 * reasons. A policy that could not be read at all is `{ source, unreadable: why }`: it could say anything.
 *
 * @internal
 */
export type SourcedPolicy =
  | { readonly source: string; readonly document: PolicyDocument }
  | { readonly source: string; readonly unreadable: string }

/**
 * The answer: `allow`; `explicitDeny` (a matching `Deny`); `implicitDeny` (nothing allows); `unknown` (the answer
 * depends on something this evaluator cannot decide, listed in `unknown`).
 *
 * @internal
 */
export type Decision = 'allow' | 'explicitDeny' | 'implicitDeny' | 'unknown'

/**
 * A decision and what led to it: the statements that matched (`Allow` or `Deny`), and those that might have.
 *
 * @internal
 */
export interface Evaluation {
  readonly decision: Decision
  /** `inline policy vmimport, statement 2 (Sid "S3")`, for each statement that matched. */
  readonly matched: ReadonlyArray<string>
  /** For each statement (or policy) that might have matched: which, and why it could not be decided. */
  readonly unknown: ReadonlyArray<string>
}

/**
 * Three-valued logic: a condition, a principal or a pattern may be true, false, or not decidable here (and why).
 *
 * @internal
 */
export type Tri = true | false | { readonly unknown: string }

// -------------------------------------------------------------------------------------------------
// patterns
// -------------------------------------------------------------------------------------------------

const patternCache = new Map<string, RegExp>()

const escapeRegExp = (c: string): string => c.replace(/[.+^${}()|[\]\\*?/-]/g, '\\$&')

// `*` any run of characters, `?` any one character, `${*}` `${?}` `${$}` those characters literally, everything else
// literal — the only wildcards and escapes IAM has.
const compile = (pattern: string, ignoreCase: boolean): RegExp => {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`
  let re = patternCache.get(cacheKey)
  if (re === undefined) {
    let body = ''
    for (let i = 0; i < pattern.length; i++) {
      const escaped = /^\$\{([*?$])\}/.exec(pattern.slice(i, i + 4))
      if (escaped !== null) {
        body += escapeRegExp(escaped[1]!)
        i += 3
        continue
      }
      const c = pattern[i]!
      body += c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c)
    }
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's')
    // Bounded: the patterns come from policies, a handful per preflight.
    if (patternCache.size > 1000) patternCache.clear()
    patternCache.set(cacheKey, re)
  }
  return re
}

// A policy variable (`${aws:username}`) needs the request's values; the escapes `${*}`, `${?}`, `${$}` do not.
const VARIABLE = /\$\{(?![*?$]\})[^}]*\}/

/**
 * Whether a value matches an IAM pattern (`*`, `?`); undecided when the pattern has a policy variable.
 *
 * @internal
 */
export const matchesPattern = (pattern: string, value: string, ignoreCase: boolean): Tri =>
  VARIABLE.test(pattern) ? { unknown: `the pattern ${pattern} has a policy variable` } : compile(pattern, ignoreCase).test(value)

const anyTri = (items: ReadonlyArray<Tri>): Tri => {
  let unknown: Tri | undefined
  for (const t of items) {
    if (t === true) return true
    if (t !== false) unknown ??= t
  }
  return unknown ?? false
}

const allTri = (items: ReadonlyArray<Tri>): Tri => {
  let unknown: Tri | undefined
  for (const t of items) {
    if (t === false) return false
    if (t !== true) unknown ??= t
  }
  return unknown ?? true
}

const notTri = (t: Tri): Tri => (t === true ? false : t === false ? true : t)

// -------------------------------------------------------------------------------------------------
// statement elements
// -------------------------------------------------------------------------------------------------

const actionMatches = (s: PolicyStatement, action: string): Tri => {
  if (s.Action !== undefined) return anyTri(listOf(s.Action).map((p) => matchesPattern(p, action, true)))
  return notTri(anyTri(listOf(s.NotAction).map((p) => matchesPattern(p, action, true))))
}

const resourceMatches = (s: PolicyStatement, resource: string | undefined): Tri => {
  // A trust policy names no resource: the role it belongs to is the resource.
  if (resource === undefined) return true
  if (s.Resource !== undefined) return anyTri(listOf(s.Resource).map((p) => matchesPattern(p, resource, false)))
  if (s.NotResource !== undefined) return notTri(anyTri(listOf(s.NotResource).map((p) => matchesPattern(p, resource, false))))
  // Identity policies need a Resource; IAM would have refused one without it, so it matches nothing.
  return false
}

const ACCOUNT_ROOT = /^arn:[^:]+:iam::(\d{12}):root$/

const principalMatches = (s: PolicyStatement, p: RequestPrincipal | undefined, effect: 'Allow' | 'Deny'): Tri => {
  if (s.NotPrincipal !== undefined) return { unknown: 'NotPrincipal is not evaluated' }
  const named: PolicyPrincipal | undefined = s.Principal
  // An identity policy's statements name no principal: they apply to the identity they are attached to.
  if (named === undefined) return true
  if (named === '*') return true
  if (p === undefined) return false
  const entries = Object.entries(named)
  if (p._tag === 'Service') {
    return entries.some(([kind, v]) => kind === 'Service' && listOf(v).some((x) => x.toLowerCase() === p.service.toLowerCase()))
  }
  return anyTri(
    entries
      .filter(([kind]) => kind === 'AWS')
      .flatMap(([, v]) => listOf(v))
      .map((x): Tri => {
        if (x === '*' || x === p.arn) return true
        // The account (its id or its root ARN) as principal delegates to the account's own policies: it grants the
        // role nothing by itself, but a Deny naming it applies to every principal of the account.
        const account = ACCOUNT_ROOT.exec(x)?.[1] ?? (/^\d{12}$/.test(x) ? x : undefined)
        if (account !== undefined) return effect === 'Deny' && account === p.account
        return false
      }),
  )
}

// -------------------------------------------------------------------------------------------------
// conditions
// -------------------------------------------------------------------------------------------------

type StringTest = (wanted: string, actual: string) => Tri

const STRING_TESTS: Readonly<Record<string, { readonly test: StringTest; readonly negated: boolean }>> = {
  stringequals: { test: (w, a) => !VARIABLE.test(w) ? w === a : { unknown: `the value ${w} has a policy variable` }, negated: false },
  stringnotequals: { test: (w, a) => !VARIABLE.test(w) ? w === a : { unknown: `the value ${w} has a policy variable` }, negated: true },
  stringequalsignorecase: {
    test: (w, a) => (!VARIABLE.test(w) ? w.toLowerCase() === a.toLowerCase() : { unknown: `the value ${w} has a policy variable` }),
    negated: false,
  },
  stringnotequalsignorecase: {
    test: (w, a) => (!VARIABLE.test(w) ? w.toLowerCase() === a.toLowerCase() : { unknown: `the value ${w} has a policy variable` }),
    negated: true,
  },
  stringlike: { test: (w, a) => matchesPattern(w, a, false), negated: false },
  stringnotlike: { test: (w, a) => matchesPattern(w, a, false), negated: true },
  // `Bool` compares the strings `true`/`false`, case-insensitively.
  bool: { test: (w, a) => w.toLowerCase() === a.toLowerCase(), negated: false },
}

const lookup = (context: RequestContext | undefined, key: string): string | ReadonlyArray<string> | null | undefined => {
  if (context === undefined) return undefined
  const wanted = key.toLowerCase()
  for (const k of Object.keys(context)) if (k.toLowerCase() === wanted) return context[k]
  return undefined
}

const conditionHolds = (operator: string, key: string, values: ReadonlyArray<string>, context: RequestContext | undefined): Tri => {
  const what = `${operator} on ${key}`
  // Set operators compare multi-valued keys; none of the keys this package supplies is one.
  if (operator.includes(':')) return { unknown: `the condition ${what} (a set operator) is not evaluated` }
  const lower = operator.toLowerCase()
  const ifExists = lower.endsWith('ifexists')
  const base = ifExists ? lower.slice(0, -'ifexists'.length) : lower
  const actual = lookup(context, key)
  if (base === 'null') {
    if (actual === undefined) return { unknown: `the condition ${what}: the request's ${key} is not known here` }
    const absent = actual === null
    return values.some((v) => v.toLowerCase() === String(absent))
  }
  const spec = STRING_TESTS[base]
  if (spec === undefined) return { unknown: `the condition operator ${operator} is not evaluated` }
  if (actual === undefined) return { unknown: `the condition ${what}: the request's ${key} is not known here` }
  if (actual === null) return ifExists || spec.negated
  const actuals = typeof actual === 'string' ? [actual] : actual
  // A single-valued key: the condition holds when the value matches any listed value (or, negated, none).
  const matched = anyTri(actuals.flatMap((a) => values.map((w) => spec.test(w, a))))
  return spec.negated ? notTri(matched) : matched
}

const conditionsHold = (condition: PolicyCondition | undefined, context: RequestContext | undefined): Tri => {
  if (condition === undefined) return true
  const tests: Array<Tri> = []
  for (const [operator, keys] of Object.entries(condition)) {
    for (const [key, raw] of Object.entries(keys)) {
      const values = typeof raw === 'boolean' || typeof raw === 'number' ? [String(raw)] : listOf(raw)
      tests.push(conditionHolds(operator, key, values, context))
    }
  }
  return allTri(tests)
}

// -------------------------------------------------------------------------------------------------
// evaluation
// -------------------------------------------------------------------------------------------------

const nameOf = (source: string, s: PolicyStatement, i: number): string => `${source}, statement ${i + 1}${s.Sid !== undefined && s.Sid !== '' ? ` (Sid "${s.Sid}")` : ''}`

/**
 * Whether one statement applies to a request.
 *
 * @internal
 */
export const statementApplies = (s: PolicyStatement, request: AccessRequest): Tri =>
  allTri([
    actionMatches(s, request.action),
    resourceMatches(s, request.resource),
    principalMatches(s, request.principal, s.Effect),
    conditionsHold(s.Condition, request.context),
  ])

/**
 * Evaluate a set of policies together, as IAM does within one account: a matching `Deny` denies; otherwise a
 * matching `Allow` allows; otherwise the request is implicitly denied. A statement whose match cannot be decided
 * makes the answer `unknown` where it could change it: an undecided `Deny` before any `Allow` counts, an undecided
 * `Allow` only when nothing allows for sure.
 *
 * @internal
 */
export const evaluatePolicies = (
  policies: ReadonlyArray<SourcedPolicy>,
  request: AccessRequest,
  only?: 'Deny',
): Evaluation => {
  const denied: Array<string> = []
  const allowed: Array<string> = []
  const maybeDeny: Array<string> = []
  const maybeAllow: Array<string> = []
  for (const p of policies) {
    if ('unreadable' in p) {
      // A policy nobody could read may deny, or allow, anything.
      maybeDeny.push(`${p.source}: ${p.unreadable}`)
      continue
    }
    p.document.Statement.forEach((s, i) => {
      if (only !== undefined && s.Effect !== only) return
      const applies = statementApplies(s, request)
      if (applies === false) return
      const name = nameOf(p.source, s, i)
      if (applies === true) (s.Effect === 'Deny' ? denied : allowed).push(name)
      else (s.Effect === 'Deny' ? maybeDeny : maybeAllow).push(`${name}: ${applies.unknown}`)
    })
  }
  if (denied.length > 0) return { decision: 'explicitDeny', matched: denied, unknown: [] }
  if (maybeDeny.length > 0) return { decision: 'unknown', matched: allowed, unknown: maybeDeny }
  if (allowed.length > 0) return { decision: 'allow', matched: allowed, unknown: [] }
  if (maybeAllow.length > 0) return { decision: 'unknown', matched: [], unknown: maybeAllow }
  return { decision: 'implicitDeny', matched: [], unknown: [] }
}

/**
 * The policies that decide a role's access: its identity policies (inline and attached), its permissions boundary
 * when it has one, and the resource's policy (a bucket policy) when there is one.
 *
 * @internal
 */
export interface PolicySet {
  readonly identity: ReadonlyArray<SourcedPolicy>
  readonly boundary?: SourcedPolicy | undefined
  readonly resource?: SourcedPolicy | undefined
}

/**
 * Evaluate a role's access as IAM does in one account: any explicit `Deny` (identity, boundary or resource policy)
 * denies; otherwise the identity policies or the resource policy must allow, and the boundary, when the role has
 * one, must allow too. (A resource policy naming the role's ARN is capped by the boundary as the identity policies
 * are; only one naming a role session is not, and VM Import's session is not one a bucket policy can name ahead.)
 *
 * @internal
 */
export const evaluateAccess = (set: PolicySet, request: AccessRequest): Evaluation => {
  const all = [...set.identity, ...(set.boundary === undefined ? [] : [set.boundary]), ...(set.resource === undefined ? [] : [set.resource])]
  const deny = evaluateDenies(all, request)
  if (deny.decision === 'explicitDeny') return deny
  const grant = evaluatePolicies([...set.identity, ...(set.resource === undefined ? [] : [set.resource])], request)
  const cap = set.boundary === undefined ? undefined : evaluatePolicies([set.boundary], request)
  const unknown = [...deny.unknown, ...grant.unknown, ...(cap?.unknown ?? [])]
  const matched = [...grant.matched, ...(cap?.matched ?? [])]
  if (grant.decision === 'implicitDeny' || cap?.decision === 'implicitDeny' || grant.decision === 'explicitDeny') {
    // Not allowed whatever the undecided statements say: nothing grants it (or the boundary does not).
    return { decision: 'implicitDeny', matched, unknown: [] }
  }
  if (deny.decision === 'unknown' || grant.decision === 'unknown' || cap?.decision === 'unknown') return { decision: 'unknown', matched, unknown }
  return { decision: 'allow', matched, unknown: [] }
}

// Only the Deny statements, so an Allow undecided in one policy does not hide a Deny decided in another.
const evaluateDenies = (policies: ReadonlyArray<SourcedPolicy>, request: AccessRequest): Evaluation => {
  const r = evaluatePolicies(policies, request, 'Deny')
  return r.decision === 'explicitDeny' || r.decision === 'unknown' ? r : { decision: 'implicitDeny', matched: [], unknown: [] }
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * A policy's text (as IAM or S3 returns it) as a policy to evaluate: parsed, or unreadable with the reason.
 *
 * @internal
 */
export const sourcedPolicy = (source: string, text: string): SourcedPolicy => {
  const doc = parsePolicyDocument(text)
  return doc._tag === 'Right' ? { source, document: doc.right } : { source, unreadable: doc.left }
}
