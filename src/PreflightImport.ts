/**
 * `preflightImport`: before an import, check what makes most VM imports fail or never start — the caller, the
 * bucket's region, the object, and the `vmimport` service role (its trust policy and its permissions, with the bucket
 * policy and a permissions boundary counted) — and say, check by check, what passes, what fails and how to fix it.
 *
 * VM Import answers all of these with one message (`The service role vmimport provided does not exist or does not
 * have sufficient permissions`), or much later with a misleading one (`Disk validation failed [Unsupported OVA
 * format]` for an SSE-KMS object the role may not decrypt), and its `DryRun` checks none of them.
 *
 * It only reads (STS `GetCallerIdentity`; S3 `GetBucketLocation`, `HeadObject`, `GetBucketPolicy`,
 * `GetBucketLifecycleConfiguration`; IAM `GetRole`, the role's inline and attached policies and boundary,
 * `SimulatePrincipalPolicy`), and changes nothing. A check it could not make — the caller may not read IAM or S3, or
 * the answer depends on something it cannot see (a KMS key policy, an SCP, a condition it cannot evaluate) — is
 * `skipped` or `warn` with the reason, never a `pass` it did not earn.
 *
 * @since 0.2.0
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Runtime } from './Call.js'
import type { ClientConfig } from './ClientConfig.js'
import type { Ec2ImportError } from './Ec2ImportError.js'
import { partitionOf } from './internal/config/Partition.js'
import { runCall, runOptional, type Answered } from './internal/iam/CallOutcome.js'
import { parsePolicyDocument } from './internal/iam/PolicyDocument.js'
import { evaluateAccess, sourcedPolicy, type AccessRequest, type Evaluation, type PolicySet, type SourcedPolicy } from './internal/iam/PolicyEvaluator.js'
import {
  bucketArn,
  EC2_ACTIONS,
  EC2_DESCRIBE_ACTIONS,
  KMS_CHECK_ACTIONS,
  objectArn,
  partitionOfArn,
  roleArn,
  S3_ACTIONS,
  VMIE_PRINCIPAL,
  VMIMPORT_EXTERNAL_ID,
  vmieTrustPolicy,
} from './internal/iam/VmImportPolicies.js'
import {
  GetPolicy,
  GetPolicyVersion,
  GetRole,
  GetRolePolicy,
  IAM,
  ListAttachedRolePolicies,
  ListRolePolicies,
  SimulatePrincipalPolicy,
} from './operations/Iam.js'
import { GetBucketLifecycleConfiguration, GetBucketLocation, GetBucketPolicy, HeadObject, S3 } from './operations/S3.js'
import { GetCallerIdentity, STS } from './operations/Sts.js'
import { createServiceCaller, type ServiceCaller } from './ServiceCaller.js'
import type { GetCallerIdentityResponse } from './shapes/Sts.js'
import type { GetBucketLifecycleConfigurationOutput, HeadObjectOutput } from './shapes/S3.js'
import type { Role } from './shapes/Iam.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * What a check found: `pass` (checked, and fine), `fail` (checked, and the import would fail), `warn` (it may fail:
 * something could not be decided, or is reported to fail), `skipped` (not checked, with the reason).
 *
 * @public
 * @since 0.2.0
 */
export type PreflightStatus = 'pass' | 'fail' | 'warn' | 'skipped'

/**
 * The checks, in the order a report lists them.
 *
 * - `caller`: who calls (`GetCallerIdentity`); the root user is a `warn` (reported to be refused; not documented).
 * - `bucket-region`: the bucket is in the import's region (`GetBucketLocation`).
 * - `object`: the object exists and is not empty; its encryption (`HeadObject`).
 * - `role`: the role exists (`GetRole`).
 * - `role-trust`: its trust policy lets `vmie.amazonaws.com` assume it (with `sts:ExternalId` = `vmimport`, or no
 *   condition).
 * - `role-s3`: its policies (with its boundary and the bucket policy) allow `s3:GetBucketLocation`, `s3:ListBucket`
 *   on the bucket and `s3:GetObject` on the object.
 * - `bucket-policy`: the bucket policy was read and counted (it can grant what the role lacks, or deny).
 * - `role-ec2`: its policies allow `ec2:ModifySnapshotAttribute`, `ec2:CopySnapshot`, `ec2:RegisterImage` and the
 *   describes (`ec2:Describe*`).
 * - `role-kms`: the KMS actions, when the object or the import is KMS-encrypted — at best `warn` (a key policy is not
 *   readable here).
 * - `pass-role`: the caller may pass the role (`iam:PassRole`, by `SimulatePrincipalPolicy`).
 * - `bucket-lifecycle`: a lifecycle rule aborts incomplete multipart uploads (`warn` when none does).
 * - `organization-policies`: always `skipped`: SCPs and RCPs are not visible from the account.
 *
 * @public
 * @since 0.2.0
 */
export type PreflightCheckId =
  | 'caller'
  | 'bucket-region'
  | 'object'
  | 'role'
  | 'role-trust'
  | 'role-s3'
  | 'bucket-policy'
  | 'role-ec2'
  | 'role-kms'
  | 'pass-role'
  | 'bucket-lifecycle'
  | 'organization-policies'

/**
 * One check of a preflight.
 *
 * @public
 * @since 0.2.0
 */
export interface PreflightCheck {
  readonly id: PreflightCheckId
  readonly status: PreflightStatus
  /** What was found, in words a person can act on; never a secret. */
  readonly message: string
  /** What to do about a `fail` or `warn`, when there is something to do. */
  readonly fix?: string
}

/**
 * A preflight's report: every check, and `ok` — true when no check is `fail`.
 *
 * @public
 * @since 0.2.0
 */
export interface PreflightReport {
  readonly ok: boolean
  readonly checks: ReadonlyArray<PreflightCheck>
}

/**
 * Options of {@link preflightImport}.
 *
 * @public
 * @since 0.2.0
 */
export interface PreflightImportOptions {
  /** The client configuration; its region is where the import runs. */
  readonly config: ClientConfig
  readonly bucket: string
  readonly key: string
  /** The service role VM Import assumes. Default `vmimport`. */
  readonly roleName?: string | undefined
  /** The KMS key the import encrypts the snapshots with (`KmsKeyId`): an id, alias or ARN. */
  readonly kmsKeyId?: string | undefined
  /** The import path. Both need the same role; it is named in the messages. */
  readonly method?: 'snapshot' | 'image' | 'auto' | undefined
  readonly signal?: AbortSignal | undefined
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

const ORDER: ReadonlyArray<PreflightCheckId> = [
  'caller',
  'bucket-region',
  'object',
  'role',
  'role-trust',
  'role-s3',
  'bucket-policy',
  'role-ec2',
  'role-kms',
  'pass-role',
  'bucket-lifecycle',
  'organization-policies',
]

const ROLE_ERROR = 'The service role <name> provided does not exist or does not have sufficient permissions'

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const check = (id: PreflightCheckId, status: PreflightStatus, message: string, fix?: string): PreflightCheck =>
  fix === undefined ? { id, status, message } : { id, status, message, fix }

const skippedBecause = (what: string, o: Exclude<Answered<unknown>, { readonly _tag: 'Ok' }>): string =>
  o._tag === 'Denied' ? `not checked: the caller may not ${what} (${o.reason})` : `not checked: ${what} failed (${o.reason})`

// `GetBucketLocation` answers no constraint for us-east-1, and the legacy `EU` for eu-west-1.
const bucketRegionOf = (constraint: string | undefined): string => (constraint === undefined || constraint === '' ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint)

// A KMS key named as the API accepts it (id, alias, or ARN) as the ARN a policy names.
const kmsArn = (partition: string, region: string, account: string | undefined, id: string): string =>
  id.startsWith('arn:') ? id : `arn:${partition}:kms:${region}:${account ?? '*'}:${id.startsWith('alias/') ? id : `key/${id}`}`

const describe = (e: Evaluation): string =>
  e.decision === 'explicitDeny'
    ? `denied by ${e.matched.join('; ')}`
    : e.decision === 'unknown'
      ? `undecided: ${e.unknown.join('; ')}`
      : e.decision === 'allow'
        ? `allowed by ${e.matched.join('; ')}`
        : 'allowed by no statement'

/** The outcomes of several requests, summed up: any deny fails, any undecided warns, else pass. */
const verdict = (results: ReadonlyArray<readonly [string, Evaluation]>): { readonly status: 'pass' | 'fail' | 'warn'; readonly detail: string } => {
  const denied = results.filter(([, e]) => e.decision === 'explicitDeny' || e.decision === 'implicitDeny')
  const unknown = results.filter(([, e]) => e.decision === 'unknown')
  if (denied.length > 0) return { status: 'fail', detail: denied.map(([what, e]) => `${what}: ${describe(e)}`).join('; ') }
  if (unknown.length > 0) return { status: 'warn', detail: unknown.map(([what, e]) => `${what}: ${describe(e)}`).join('; ') }
  return { status: 'pass', detail: results.map(([what]) => what).join(', ') }
}

// -------------------------------------------------------------------------------------------------
// reading the role
// -------------------------------------------------------------------------------------------------

/**
 * The policies that decide a role's permissions: inline and attached (identity), and its permissions boundary. A
 * policy the caller may not read is kept as unreadable, with the reason, so an evaluation says `unknown`, not `allow`.
 *
 * @internal
 */
export interface RolePolicies {
  readonly identity: ReadonlyArray<SourcedPolicy>
  readonly boundary: SourcedPolicy | undefined
  /** The inline policies' texts by name, as IAM returned them (for `ensureVmImportRole`). */
  readonly inline: ReadonlyMap<string, string>
}

/**
 * A role read for the checks: the role (`undefined` when it does not exist), and its policies when it does.
 *
 * @internal
 */
export type InspectedRole =
  | { readonly _tag: 'Fatal'; readonly error: Ec2ImportError }
  | { readonly _tag: 'Inspected'; readonly role: Answered<Role | undefined>; readonly policies: RolePolicies | undefined }

// IAM pages these lists; a role has at most a few dozen policies, so a bound guards only against a looping marker.
const MAX_PAGES = 50

type Fatal = { readonly _tag: 'Fatal'; readonly error: Ec2ImportError }

/** A managed policy's default version, as a policy to evaluate (or unreadable, with why). */
const managedPolicy = async (c: ServiceCaller, source: string, arn: string, signal: AbortSignal | undefined): Promise<SourcedPolicy | Fatal> => {
  const p = await runCall(c.call(IAM, GetPolicy, { PolicyArn: arn }, { signal }))
  if (p._tag === 'Fatal') return p
  if (p._tag !== 'Ok') return { source, unreadable: `iam:GetPolicy: ${p.reason}` }
  const version = p.value.Policy?.DefaultVersionId
  if (version === undefined) return { source, unreadable: 'GetPolicy named no default version' }
  const v = await runCall(c.call(IAM, GetPolicyVersion, { PolicyArn: arn, VersionId: version }, { signal }))
  if (v._tag === 'Fatal') return v
  if (v._tag !== 'Ok') return { source, unreadable: `iam:GetPolicyVersion: ${v.reason}` }
  const text = v.value.PolicyVersion?.Document
  return text === undefined ? { source, unreadable: 'GetPolicyVersion returned no document' } : sourcedPolicy(source, text)
}

const inlinePolicies = async (c: ServiceCaller, roleName: string, signal: AbortSignal | undefined): Promise<{ readonly policies: Array<SourcedPolicy>; readonly texts: Map<string, string> } | Fatal> => {
  const policies: Array<SourcedPolicy> = []
  const texts = new Map<string, string>()
  let marker: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const l = await runCall(c.call(IAM, ListRolePolicies, { RoleName: roleName, ...(marker === undefined ? {} : { Marker: marker }) }, { signal }))
    if (l._tag === 'Fatal') return l
    if (l._tag !== 'Ok') {
      policies.push({ source: `the inline policies of role ${roleName}`, unreadable: `iam:ListRolePolicies: ${l.reason}` })
      break
    }
    for (const name of l.value.PolicyNames) {
      const source = `inline policy ${name}`
      const g = await runCall(c.call(IAM, GetRolePolicy, { RoleName: roleName, PolicyName: name }, { signal }))
      if (g._tag === 'Fatal') return g
      if (g._tag !== 'Ok') policies.push({ source, unreadable: `iam:GetRolePolicy: ${g.reason}` })
      else {
        texts.set(name, g.value.PolicyDocument)
        policies.push(sourcedPolicy(source, g.value.PolicyDocument))
      }
    }
    if (l.value.IsTruncated !== true || l.value.Marker === undefined) break
    marker = l.value.Marker
  }
  return { policies, texts }
}

const attachedPolicies = async (c: ServiceCaller, roleName: string, signal: AbortSignal | undefined): Promise<Array<SourcedPolicy> | Fatal> => {
  const policies: Array<SourcedPolicy> = []
  let marker: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const l = await runCall(c.call(IAM, ListAttachedRolePolicies, { RoleName: roleName, ...(marker === undefined ? {} : { Marker: marker }) }, { signal }))
    if (l._tag === 'Fatal') return l
    if (l._tag !== 'Ok') {
      policies.push({ source: `the managed policies attached to role ${roleName}`, unreadable: `iam:ListAttachedRolePolicies: ${l.reason}` })
      break
    }
    for (const a of l.value.AttachedPolicies ?? []) {
      if (a.PolicyArn === undefined) continue
      const p = await managedPolicy(c, `managed policy ${a.PolicyArn}`, a.PolicyArn, signal)
      if ('_tag' in p) return p
      policies.push(p)
    }
    if (l.value.IsTruncated !== true || l.value.Marker === undefined) break
    marker = l.value.Marker
  }
  return policies
}

/**
 * Read a role and every policy that decides what it may do. Only reads.
 *
 * @internal
 */
export const inspectRole = async (c: ServiceCaller, roleName: string, signal: AbortSignal | undefined): Promise<InspectedRole> => {
  const role = await runOptional(c.call(IAM, GetRole, { RoleName: roleName }, { signal }), (v) => v.Role, ['NoSuchEntity'])
  if (role._tag === 'Fatal') return role
  if (role._tag !== 'Ok' || role.value === undefined) return { _tag: 'Inspected', role, policies: undefined }
  const inline = await inlinePolicies(c, roleName, signal)
  if ('_tag' in inline) return inline
  const attached = await attachedPolicies(c, roleName, signal)
  if ('_tag' in attached) return attached
  const boundaryArn = role.value.PermissionsBoundary?.PermissionsBoundaryArn
  const boundary = boundaryArn === undefined ? undefined : await managedPolicy(c, `permissions boundary ${boundaryArn}`, boundaryArn, signal)
  if (boundary !== undefined && '_tag' in boundary) return boundary
  return { _tag: 'Inspected', role, policies: { identity: [...inline.policies, ...attached], boundary, inline: inline.texts } }
}

// -------------------------------------------------------------------------------------------------
// the checks
// -------------------------------------------------------------------------------------------------

interface Facts {
  readonly region: string
  readonly partition: string
  readonly bucket: string
  readonly key: string
  readonly roleName: string
  readonly method: string
  readonly identity: Answered<GetCallerIdentityResponse>
  readonly location: Answered<string>
  readonly head: Answered<HeadObjectOutput>
  readonly bucketPolicy: Answered<string | undefined>
  readonly lifecycle: Answered<GetBucketLifecycleConfigurationOutput | undefined>
  readonly role: Answered<Role | undefined>
  readonly policies: RolePolicies | undefined
  readonly passRole: PreflightCheck
  readonly kmsKeyId: string | undefined
}

const callerCheck = (f: Facts): PreflightCheck => {
  const o = f.identity
  if (o._tag !== 'Ok') {
    return check('caller', 'fail', `the caller could not be identified: GetCallerIdentity ${o.reason}`, 'check the credentials the configuration resolves (profile, environment, role)')
  }
  const arn = o.value.Arn ?? ''
  if (/^arn:[^:]+:iam::\d+:root$/.test(arn)) {
    return check(
      'caller',
      'warn',
      `the caller is the root user of account ${o.value.Account ?? '?'}: VM Import is reported to refuse it with "${ROLE_ERROR}" (AWS does not document this)`,
      'run the import as an IAM user or role of the account',
    )
  }
  return check('caller', 'pass', `the caller is ${arn} (account ${o.value.Account ?? '?'})`)
}

const regionCheck = (f: Facts): PreflightCheck => {
  const o = f.location
  if (o._tag === 'Missing') return check('bucket-region', 'fail', `bucket ${f.bucket} does not exist (${o.reason})`, `create it in ${f.region}, or name an existing bucket`)
  if (o._tag !== 'Ok') return check('bucket-region', 'skipped', skippedBecause(`read the location of bucket ${f.bucket}`, o))
  const at = bucketRegionOf(o.value)
  return at === f.region
    ? check('bucket-region', 'pass', `bucket ${f.bucket} is in ${at}, the import's region`)
    : check(
        'bucket-region',
        'fail',
        `bucket ${f.bucket} is in ${at}, the import runs in ${f.region}: VM Import reads only from a bucket in the import's region`,
        `import in ${at}, or copy the image to a bucket in ${f.region}`,
      )
}

/** The object's KMS key ARN when it is SSE-KMS encrypted; `null` when it is not; `undefined` when not known. */
const objectKmsKey = (f: Facts): string | null | undefined => {
  if (f.head._tag !== 'Ok') return undefined
  const sse = f.head.value.ServerSideEncryption
  if (sse !== 'aws:kms' && sse !== 'aws:kms:dsse') return null
  return f.head.value.SSEKMSKeyId ?? `an unnamed key (${sse})`
}

const objectCheck = (f: Facts): PreflightCheck => {
  const o = f.head
  const where = `s3://${f.bucket}/${f.key}`
  if (o._tag === 'Missing') return check('object', 'fail', `${where} does not exist (${o.reason})`, 'upload the disk image first, or correct the bucket and key')
  if (o._tag !== 'Ok') return check('object', 'skipped', skippedBecause(`read ${where} (HeadObject)`, o))
  const size = o.value.ContentLength
  if (size === 0) return check('object', 'fail', `${where} is empty (0 bytes)`, 'upload the disk image again: the upload did not complete')
  const sse = o.value.ServerSideEncryption
  const encryption =
    sse === undefined ? 'not server-side encrypted' : sse === 'AES256' ? 'encrypted with S3-managed keys (SSE-S3)' : `encrypted with SSE-KMS (${sse}) key ${objectKmsKey(f) ?? '?'}`
  return check('object', 'pass', `${where} exists, ${size === undefined ? 'size not given' : `${size} bytes`}, ${encryption}`)
}

const roleFix = (f: Facts): string =>
  `create it as the VM Import guide specifies: ensureVmImportRole({ config, roleName: '${f.roleName}', buckets: ['${f.bucket}'] }) or \`ec2-import-image role ensure --bucket ${f.bucket}\``

const roleCheck = (f: Facts): PreflightCheck => {
  const o = f.role
  if (o._tag === 'Ok' && o.value !== undefined) return check('role', 'pass', `role ${f.roleName} exists (${o.value.Arn})`)
  if (o._tag === 'Ok' || o._tag === 'Missing') {
    return check('role', 'fail', `role ${f.roleName} does not exist: VM Import answers "${ROLE_ERROR.replace('<name>', f.roleName)}"`, roleFix(f))
  }
  return check('role', 'skipped', skippedBecause(`read role ${f.roleName} (iam:GetRole)`, o))
}

/** Why the role's own checks cannot run, or the role. */
const roleOrWhy = (f: Facts): { readonly role: Role } | { readonly why: string } => {
  const o = f.role
  if (o._tag === 'Ok' && o.value !== undefined) return { role: o.value }
  if (o._tag === 'Ok' || o._tag === 'Missing') return { why: `not checked: role ${f.roleName} does not exist` }
  return { why: skippedBecause(`read role ${f.roleName} (iam:GetRole)`, o) }
}

const trustCheck = (f: Facts): PreflightCheck => {
  const r = roleOrWhy(f)
  if ('why' in r) return check('role-trust', 'skipped', r.why)
  const text = r.role.AssumeRolePolicyDocument
  const fix = `let ${VMIE_PRINCIPAL} assume the role: ${JSON.stringify(vmieTrustPolicy())}`
  if (text === undefined) return check('role-trust', 'skipped', 'not checked: GetRole returned no trust policy')
  const doc = parsePolicyDocument(text)
  if (doc._tag === 'Left') return check('role-trust', 'warn', `the trust policy could not be read: ${doc.left}`, fix)
  const request: AccessRequest = {
    action: 'sts:AssumeRole',
    principal: { _tag: 'Service', service: VMIE_PRINCIPAL },
    // What VM Import sends when it assumes the role; any other key is not known here.
    context: { 'sts:ExternalId': VMIMPORT_EXTERNAL_ID },
  }
  const e = evaluateAccess({ identity: [{ source: 'trust policy', document: doc.right }] }, request)
  switch (e.decision) {
    case 'allow':
      return check('role-trust', 'pass', `the trust policy lets ${VMIE_PRINCIPAL} assume the role (${describe(e)})`)
    case 'unknown':
      return check('role-trust', 'warn', `whether ${VMIE_PRINCIPAL} may assume the role depends on what this check cannot evaluate: ${e.unknown.join('; ')}`, fix)
    default:
      return check('role-trust', 'fail', `the trust policy does not let ${VMIE_PRINCIPAL} assume the role with sts:ExternalId "${VMIMPORT_EXTERNAL_ID}" (${describe(e)})`, fix)
  }
}

const policySet = (f: Facts, withBucketPolicy: boolean): PolicySet | undefined => {
  if (f.policies === undefined) return undefined
  const resource: SourcedPolicy | undefined = !withBucketPolicy
    ? undefined
    : f.bucketPolicy._tag === 'Ok'
      ? f.bucketPolicy.value === undefined
        ? undefined
        : sourcedPolicy(`the policy of bucket ${f.bucket}`, f.bucketPolicy.value)
      : { source: `the policy of bucket ${f.bucket}`, unreadable: skippedBecause('read it', f.bucketPolicy) }
  return { identity: f.policies.identity, boundary: f.policies.boundary, resource }
}

const rolePrincipal = (role: Role): AccessRequest['principal'] => ({ _tag: 'AWS', arn: role.Arn, account: /^arn:[^:]+:iam::(\d+):/.exec(role.Arn)?.[1] ?? '' })

const s3Check = (f: Facts): PreflightCheck => {
  const r = roleOrWhy(f)
  const set = policySet(f, true)
  if ('why' in r || set === undefined) return check('role-s3', 'skipped', 'why' in r ? r.why : 'not checked: the role\u2019s policies were not read')
  const principal = rolePrincipal(r.role)
  const requests: ReadonlyArray<readonly [string, AccessRequest]> = S3_ACTIONS.map((action) => {
    const resource = action === 's3:GetObject' ? objectArn(f.partition, f.bucket, f.key) : bucketArn(f.partition, f.bucket)
    return [`${action} on ${resource}`, { action, resource, principal, context: {} }] as const
  })
  const v = verdict(requests.map(([what, q]) => [what, evaluateAccess(set, q)] as const))
  const fix = `grant the role ${S3_ACTIONS.join(', ')} on ${bucketArn(f.partition, f.bucket)} and ${bucketArn(f.partition, f.bucket)}/* (ensureVmImportRole does)`
  switch (v.status) {
    case 'pass':
      return check('role-s3', 'pass', `role ${f.roleName} may read the image: ${v.detail}`)
    case 'warn':
      return check('role-s3', 'warn', `whether role ${f.roleName} may read the image is not certain: ${v.detail}`, fix)
    case 'fail':
      return check('role-s3', 'fail', `role ${f.roleName} may not read the image (VM Import then fails with "${ROLE_ERROR.replace('<name>', f.roleName)}"): ${v.detail}`, fix)
  }
}

const bucketPolicyCheck = (f: Facts): PreflightCheck => {
  const o = f.bucketPolicy
  if (o._tag === 'Missing') return check('bucket-policy', 'skipped', `not checked: bucket ${f.bucket} does not exist`)
  if (o._tag !== 'Ok') {
    return check('bucket-policy', 'skipped', `${skippedBecause(`read the policy of bucket ${f.bucket} (s3:GetBucketPolicy)`, o)}; it could grant or deny, so role-s3 cannot pass`)
  }
  if (o.value === undefined) return check('bucket-policy', 'pass', `bucket ${f.bucket} has no bucket policy: the role's own policies decide`)
  const doc = parsePolicyDocument(o.value)
  return doc._tag === 'Left'
    ? check('bucket-policy', 'warn', `the policy of bucket ${f.bucket} could not be read: ${doc.left}`)
    : check('bucket-policy', 'pass', `the policy of bucket ${f.bucket} was read (${doc.right.Statement.length} statements) and is counted in role-s3`)
}

const ec2Check = (f: Facts): PreflightCheck => {
  const r = roleOrWhy(f)
  const set = policySet(f, false)
  if ('why' in r || set === undefined) return check('role-ec2', 'skipped', 'why' in r ? r.why : 'not checked: the role\u2019s policies were not read')
  // Representative resources: the guide grants these on `*`, and a role scoped to other ARNs cannot be checked ahead.
  const resourceOf = (action: string): string =>
    action === 'ec2:RegisterImage' ? `arn:${f.partition}:ec2:${f.region}::image/ami-0123456789abcdef0` : action.startsWith('ec2:Describe') ? '*' : `arn:${f.partition}:ec2:${f.region}::snapshot/snap-0123456789abcdef0`
  const actions = [...EC2_ACTIONS.filter((a) => !a.endsWith('*')), ...EC2_DESCRIBE_ACTIONS]
  const v = verdict(actions.map((action) => [action, evaluateAccess(set, { action, resource: resourceOf(action), context: {} })] as const))
  const fix = `grant the role ${EC2_ACTIONS.join(', ')} on "*" (ensureVmImportRole does)`
  switch (v.status) {
    case 'pass':
      return check('role-ec2', 'pass', `role ${f.roleName} has the EC2 actions VM Import needs (${v.detail})`)
    case 'warn':
      return check('role-ec2', 'warn', `whether role ${f.roleName} has the EC2 actions VM Import needs is not certain: ${v.detail}`, fix)
    case 'fail':
      return check('role-ec2', 'fail', `role ${f.roleName} lacks EC2 actions VM Import needs: ${v.detail}`, fix)
  }
}

const kmsCheck = (f: Facts): PreflightCheck => {
  const account = f.identity._tag === 'Ok' ? f.identity.value.Account : undefined
  const objectKey = objectKmsKey(f)
  const importKey = f.kmsKeyId === undefined ? undefined : kmsArn(f.partition, f.region, account, f.kmsKeyId)
  if (objectKey === null && importKey === undefined) return check('role-kms', 'pass', 'neither the object nor the import is KMS-encrypted: no KMS permission is needed')
  if (objectKey === undefined && importKey === undefined) return check('role-kms', 'skipped', 'not checked: the object\u2019s encryption is not known (HeadObject was not answered)')
  const r = roleOrWhy(f)
  const set = policySet(f, false)
  if ('why' in r || set === undefined) return check('role-kms', 'skipped', 'why' in r ? r.why : 'not checked: the role\u2019s policies were not read')
  const requests: Array<readonly [string, Evaluation]> = []
  const keys: Array<string> = []
  if (typeof objectKey === 'string') {
    keys.push(objectKey)
    for (const action of KMS_CHECK_ACTIONS.read) requests.push([`${action} on ${objectKey}`, evaluateAccess(set, { action, resource: objectKey, context: {} })])
  }
  if (importKey !== undefined) {
    keys.push(importKey)
    for (const action of KMS_CHECK_ACTIONS.encrypt) requests.push([`${action} on ${importKey}`, evaluateAccess(set, { action, resource: importKey, context: {} })])
  }
  const v = verdict(requests)
  const verify = `verify that the key policy of ${keys.join(' and ')} lets role ${f.roleName} use the key (a key policy cannot be read over IAM or S3)`
  if (v.status === 'pass') return check('role-kms', 'warn', `role ${f.roleName}'s policies allow the KMS actions (${v.detail}); ${verify}`, verify)
  if (requests.some(([, e]) => e.decision === 'explicitDeny')) {
    return check('role-kms', 'fail', `role ${f.roleName} is denied KMS actions it needs: ${v.detail}`, 'remove the Deny for these actions on the key from the role\u2019s policies')
  }
  // Implicitly denied by the role's policies: a key policy naming the role (or the AWS managed aws/s3 key, which lets
  // S3 decrypt for the account) can still grant it, and it cannot be read here — so not a fail.
  return check(
    'role-kms',
    'warn',
    `role ${f.roleName}'s policies do not allow the KMS actions it needs (${v.detail}): unless the key policy grants them to the role directly, the import fails late with "Disk validation failed [Unsupported OVA format]"`,
    `grant them: ensureVmImportRole({ config, roleName: '${f.roleName}', buckets: ['${f.bucket}'], kmsKeyArns: [${keys.map((k) => `'${k}'`).join(', ')}] }); and ${verify}`,
  )
}

const lifecycleCheck = (f: Facts): PreflightCheck => {
  const o = f.lifecycle
  const fix = `add a lifecycle rule to bucket ${f.bucket} that aborts incomplete multipart uploads (AbortIncompleteMultipartUpload, e.g. DaysAfterInitiation: 7), so an interrupted upload does not keep billing its parts`
  if (o._tag === 'Missing') return check('bucket-lifecycle', 'skipped', `not checked: bucket ${f.bucket} does not exist`)
  if (o._tag !== 'Ok') return check('bucket-lifecycle', 'skipped', skippedBecause(`read the lifecycle of bucket ${f.bucket} (s3:GetLifecycleConfiguration)`, o))
  const rules = o.value?.Rules ?? []
  const covering = rules.find((r) => {
    if (r.Status !== 'Enabled' || r.AbortIncompleteMultipartUpload?.DaysAfterInitiation === undefined) return false
    // Tag and size filters never match an upload in progress; a prefix must cover the key.
    if (r.Filter?.Tag !== undefined || r.Filter?.And?.Tags !== undefined) return false
    const prefix = r.Filter?.Prefix ?? r.Filter?.And?.Prefix ?? r.Prefix ?? ''
    return f.key.startsWith(prefix)
  })
  return covering === undefined
    ? check('bucket-lifecycle', 'warn', `no enabled lifecycle rule of bucket ${f.bucket} aborts incomplete multipart uploads of ${f.key}`, fix)
    : check('bucket-lifecycle', 'pass', `lifecycle rule ${covering.ID ?? '(no id)'} aborts incomplete multipart uploads after ${covering.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? '?'} days`)
}

const organizationCheck = (): PreflightCheck =>
  check(
    'organization-policies',
    'skipped',
    'not checked: service and resource control policies (SCPs, RCPs) of AWS Organizations are not visible from the account; one can deny what the checks above allow, and VM Import then fails with the same service-role error',
  )

// -------------------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------------------

/** The ARN `SimulatePrincipalPolicy` accepts for the caller: a user's or role's, not an STS session's. */
const simulationSource = async (c: ServiceCaller, arn: string, signal: AbortSignal | undefined): Promise<Answered<string> | Fatal | 'root' | undefined> => {
  if (/^arn:[^:]+:iam::\d+:root$/.test(arn)) return 'root'
  if (/^arn:[^:]+:iam::\d+:(user|role)\//.test(arn)) return { _tag: 'Ok', value: arn }
  const session = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\//.exec(arn)
  if (session === null) return undefined
  // The session's ARN drops the role's path; GetRole gives the ARN with it.
  const got = await runCall(c.call(IAM, GetRole, { RoleName: session[3] }, { signal }))
  if (got._tag === 'Fatal') return got
  return got._tag === 'Ok' ? { _tag: 'Ok', value: got.value.Role.Arn } : { _tag: 'Ok', value: roleArn(session[1]!, session[2]!, session[3]!) }
}

const passRoleCheck = async (c: ServiceCaller, f: Omit<Facts, 'passRole'>, signal: AbortSignal | undefined): Promise<PreflightCheck | { readonly fatal: Ec2ImportError }> => {
  if (f.identity._tag !== 'Ok') return check('pass-role', 'skipped', 'not checked: the caller could not be identified')
  const target = f.role._tag === 'Ok' && f.role.value !== undefined ? f.role.value.Arn : roleArn(f.partition, f.identity.value.Account ?? '*', f.roleName)
  const source = await simulationSource(c, f.identity.value.Arn ?? '', signal)
  if (source === 'root') return check('pass-role', 'pass', 'the root user may pass any role of its account')
  if (source === undefined) return check('pass-role', 'skipped', `not checked: iam:PassRole cannot be simulated for a caller like ${f.identity.value.Arn ?? '?'}`)
  if (source._tag === 'Fatal') return { fatal: source.error }
  if (source._tag !== 'Ok') return check('pass-role', 'skipped', skippedBecause('read its own role', source))
  const sim = await runCall(c.call(IAM, SimulatePrincipalPolicy, { PolicySourceArn: source.value, ActionNames: ['iam:PassRole'], ResourceArns: [target] }, { signal }))
  if (sim._tag === 'Fatal') return { fatal: sim.error }
  if (sim._tag !== 'Ok') return check('pass-role', 'skipped', skippedBecause('simulate its policies (iam:SimulatePrincipalPolicy)', sim))
  const result = sim.value.EvaluationResults?.find((e) => e.EvalActionName.toLowerCase() === 'iam:passrole')
  const fix = `grant ${source.value} iam:PassRole on ${target}`
  if (result === undefined) return check('pass-role', 'skipped', 'not checked: the simulation returned no result for iam:PassRole')
  if (result.EvalDecision === 'allowed') return check('pass-role', 'pass', `${source.value} may pass ${target} (iam:PassRole, simulated by IAM)`)
  const missing = result.MissingContextValues ?? []
  if (missing.length > 0) {
    return check('pass-role', 'warn', `the simulation of iam:PassRole on ${target} depends on context keys it was not given (${missing.join(', ')}): ${result.EvalDecision}`, fix)
  }
  return check('pass-role', 'fail', `${source.value} may not pass ${target} (iam:PassRole: ${result.EvalDecision}): VM Import then refuses the import`, fix)
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Check, before an import, everything VM Import needs that can be seen from the account: the caller, the bucket's
 * region, the object, the service role's trust and permissions (the bucket policy and a permissions boundary
 * counted), `iam:PassRole`, and a lifecycle rule for abandoned uploads. It only reads.
 *
 * The `Left` is for what stops every check (no region, no credentials, the network); a check the caller may not make
 * is `skipped` in the report, with the reason.
 *
 * @example
 * ```ts
 * import { preflightImport } from 'ec2-import-image'
 *
 * const report = await preflightImport({ config: { region: 'eu-west-1' }, bucket: 'images', key: 'web.vmdk' })()
 * if (report._tag === 'Right') {
 *   for (const c of report.right.checks) console.log(c.status, c.id, c.message, c.fix ?? '')
 *   if (!report.right.ok) process.exitCode = 1
 * }
 * ```
 *
 * @public
 * @since 0.2.0
 */
export const preflightImport =
  (options: PreflightImportOptions, runtime: Partial<Runtime> = {}): TaskEither<Ec2ImportError, PreflightReport> =>
  async () => {
    const c = createServiceCaller(options.config, runtime)
    try {
      if (c.config._tag === 'Left') return c.config
      return await run(c, options)
    } finally {
      await c.close()
    }
  }

const run = async (c: ServiceCaller, o: PreflightImportOptions): Promise<{ _tag: 'Left'; left: Ec2ImportError } | { _tag: 'Right'; right: PreflightReport }> => {
  const signal = o.signal
  const region = c.config._tag === 'Right' ? c.config.right.region : ''
  const roleName = o.roleName ?? 'vmimport'
  const fatal = (error: Ec2ImportError) => ({ _tag: 'Left' as const, left: error })

  const identity = await runCall(c.call(STS, GetCallerIdentity, {}, { signal }))
  if (identity._tag === 'Fatal') return fatal(identity.error)
  const partition = (identity._tag === 'Ok' ? partitionOfArn(identity.value.Arn ?? '') : undefined) ?? partitionOf(region).id

  const location = await runCall(c.call(S3, GetBucketLocation, { Bucket: o.bucket }, { signal }), (v) => v.LocationConstraint ?? '')
  if (location._tag === 'Fatal') return fatal(location.error)
  const head = await runCall(c.call(S3, HeadObject, { Bucket: o.bucket, Key: o.key }, { signal }))
  if (head._tag === 'Fatal') return fatal(head.error)
  const bucketPolicy = await runOptional(c.call(S3, GetBucketPolicy, { Bucket: o.bucket }, { signal }), (v) => v.Policy, ['NoSuchBucketPolicy'])
  if (bucketPolicy._tag === 'Fatal') return fatal(bucketPolicy.error)
  const lifecycle = await runOptional(c.call(S3, GetBucketLifecycleConfiguration, { Bucket: o.bucket }, { signal }), (v) => v, ['NoSuchLifecycleConfiguration'])
  if (lifecycle._tag === 'Fatal') return fatal(lifecycle.error)

  const inspected = await inspectRole(c, roleName, signal)
  if (inspected._tag === 'Fatal') return fatal(inspected.error)

  const facts: Omit<Facts, 'passRole'> = {
    region,
    partition,
    bucket: o.bucket,
    key: o.key,
    roleName,
    method: o.method ?? 'snapshot',
    identity,
    location,
    head,
    bucketPolicy,
    lifecycle,
    role: inspected.role,
    policies: inspected.policies,
    kmsKeyId: o.kmsKeyId,
  }
  const passRole = await passRoleCheck(c, facts, signal)
  if ('fatal' in passRole) return fatal(passRole.fatal)
  const f: Facts = { ...facts, passRole }

  const checks = [
    callerCheck(f),
    regionCheck(f),
    objectCheck(f),
    roleCheck(f),
    trustCheck(f),
    s3Check(f),
    bucketPolicyCheck(f),
    ec2Check(f),
    kmsCheck(f),
    f.passRole,
    lifecycleCheck(f),
    organizationCheck(),
  ]
  checks.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id))
  return { _tag: 'Right', right: { ok: checks.every((x) => x.status !== 'fail'), checks } }
}
