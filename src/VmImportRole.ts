/**
 * `ensureVmImportRole`: the `vmimport` service role as the VM Import guide specifies it, made or brought up to date,
 * idempotently, with ARNs for the caller's partition (`aws`, `aws-cn`, `aws-us-gov`, …).
 *
 * - No role: `CreateRole` with the guide's trust policy, then wait until IAM (eventually consistent) can read it back.
 * - A trust policy that already admits `vmie.amazonaws.com` (with `sts:ExternalId` = `vmimport`, or none) is left
 *   alone; one that does not gets the guide's statement added beside its own (`UpdateAssumeRolePolicy`).
 * - The inline policy `vmimport` is left alone when it already grants everything for the buckets and keys asked for;
 *   otherwise the guide's policy is written for the union of the buckets and keys it already names and those asked
 *   for, with its other statements kept (`PutRolePolicy`).
 *
 * So a second run changes nothing. With `dryRun: true` nothing is written: the result holds the documents it would
 * write and the calls it would make.
 *
 * @since 0.2.0
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Runtime } from './Call.js'
import type { ClientConfig } from './ClientConfig.js'
import { configError, type Ec2ImportError } from './Ec2ImportError.js'
import { partitionOf } from './internal/config/Partition.js'
import { runCall, runOptional } from './internal/iam/CallOutcome.js'
import { parsePolicyDocument, POLICY_VERSION, writePolicyDocument, type PolicyDocument, type PolicyStatement } from './internal/iam/PolicyDocument.js'
import { evaluateAccess, type AccessRequest, type PolicySet } from './internal/iam/PolicyEvaluator.js'
import {
  bucketArn,
  EC2_ACTIONS,
  grantedResources,
  KMS_CHECK_ACTIONS,
  partitionOfArn,
  roleArn,
  S3_ACTIONS,
  VMIE_PRINCIPAL,
  VMIMPORT_EXTERNAL_ID,
  VMIMPORT_POLICY_NAME,
  vmieTrustPolicy,
  vmieTrustStatement,
  vmimportRolePolicy,
} from './internal/iam/VmImportPolicies.js'
import { CreateRole, GetRole, GetRolePolicy, IAM, PutRolePolicy, UpdateAssumeRolePolicy } from './operations/Iam.js'
import { GetCallerIdentity, STS } from './operations/Sts.js'
import { createServiceCaller, type ServiceCaller } from './ServiceCaller.js'
import type { Role } from './shapes/Iam.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * Options of {@link ensureVmImportRole}.
 *
 * @public
 * @since 0.2.0
 */
export interface EnsureVmImportRoleOptions {
  readonly config: ClientConfig
  /** Default `vmimport`, the name VM Import assumes when an import names none. */
  readonly roleName?: string | undefined
  /** The buckets VM Import reads disk images from (at least one). Buckets the policy already names are kept. */
  readonly buckets: ReadonlyArray<string>
  /** KMS keys (ARNs) of encrypted images or snapshots. Keys the policy already names are kept. */
  readonly kmsKeyArns?: ReadonlyArray<string> | undefined
  /** Write nothing: return the documents that would be written. */
  readonly dryRun?: boolean | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * A call `ensureVmImportRole` made (or, in a dry run, would make).
 *
 * @public
 * @since 0.2.0
 */
export type VmImportRoleChange = 'CreateRole' | 'UpdateAssumeRolePolicy' | 'PutRolePolicy'

/**
 * What `ensureVmImportRole` did.
 *
 * @public
 * @since 0.2.0
 */
export interface EnsureVmImportRoleResult {
  /** The calls that changed something, in order; empty when the role was already as the guide specifies. */
  readonly changed: ReadonlyArray<VmImportRoleChange>
  readonly dryRun: boolean
  /** The role: its name and ARN, and whether it was (or would be) created. */
  readonly role: { readonly name: string; readonly arn: string; readonly created: boolean }
  /** The trust policy and the inline policy `vmimport` as they are after the call (or would be, in a dry run). */
  readonly policies: { readonly trust: PolicyDocument; readonly inline: { readonly name: string; readonly document: PolicyDocument } }
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

// A new role is usually readable within seconds; the bound keeps a broken IAM from holding the caller forever.
const READ_BACK_ATTEMPTS = 8
const READ_BACK_FIRST_DELAY_MS = 500
const READ_BACK_MAX_DELAY_MS = 4000

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

type Result<A> = { readonly _tag: 'Left'; readonly left: Ec2ImportError } | { readonly _tag: 'Right'; readonly right: A }
const left = (e: Ec2ImportError): { readonly _tag: 'Left'; readonly left: Ec2ImportError } => ({ _tag: 'Left', left: e })

const describeFailure = (what: string, o: { readonly _tag: string; readonly reason?: string }): Ec2ImportError =>
  configError(`ensureVmImportRole: ${what}: ${o.reason ?? o._tag}`)

const admitsVmie = (trust: PolicyDocument): boolean =>
  evaluateAccess(
    { identity: [{ source: 'trust policy', document: trust }] },
    { action: 'sts:AssumeRole', principal: { _tag: 'Service', service: VMIE_PRINCIPAL }, context: { 'sts:ExternalId': VMIMPORT_EXTERNAL_ID } },
  ).decision === 'allow'

/** Whether an inline policy already grants every action the guide's policy grants, for these buckets and keys. */
const grantsAll = (doc: PolicyDocument, partition: string, buckets: ReadonlyArray<string>, keys: ReadonlyArray<string>): boolean => {
  const set: PolicySet = { identity: [{ source: VMIMPORT_POLICY_NAME, document: doc }] }
  const requests: Array<AccessRequest> = []
  for (const b of buckets) {
    for (const action of S3_ACTIONS) requests.push({ action, resource: action === 's3:GetObject' ? `${bucketArn(partition, b)}/disk-image` : bucketArn(partition, b), context: {} })
  }
  for (const action of EC2_ACTIONS) requests.push({ action: action.replace('*', 'Images'), resource: '*', context: {} })
  for (const k of keys) for (const action of KMS_CHECK_ACTIONS.encrypt) requests.push({ action, resource: k, context: {} })
  return requests.every((r) => evaluateAccess(set, r).decision === 'allow')
}

/** The guide's statements (by their Sids) replaced by the union's, every other statement kept. */
const mergedPolicy = (existing: PolicyDocument | undefined, partition: string, buckets: ReadonlyArray<string>, keys: ReadonlyArray<string>): PolicyDocument => {
  const kept = existing === undefined ? { buckets: [], kmsKeyArns: [] } : grantedResources(existing)
  const guide = vmimportRolePolicy(partition, [...kept.buckets, ...buckets], [...kept.kmsKeyArns, ...keys])
  const ours = new Set(guide.Statement.map((s) => s.Sid))
  const others: Array<PolicyStatement> = (existing?.Statement ?? []).filter((s) => !ours.has(s.Sid) && !isGuideLike(s))
  return { Version: POLICY_VERSION, Statement: [...guide.Statement, ...others] }
}

const GUIDE_ACTIONS = new Set<string>([...S3_ACTIONS, ...EC2_ACTIONS, 's3:PutObject', 's3:GetBucketAcl', 'kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((a) => a.toLowerCase()))

// A statement that only grants guide actions, unconditionally: its resources are carried into the union, so it goes.
const isGuideLike = (s: PolicyStatement): boolean =>
  s.Effect === 'Allow' && s.Condition === undefined && s.Action !== undefined && (typeof s.Action === 'string' ? [s.Action] : s.Action).every((a) => GUIDE_ACTIONS.has(a.toLowerCase()))

const sameDocument = (a: PolicyDocument, b: PolicyDocument): boolean => writePolicyDocument(a) === writePolicyDocument(b)

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Make the VM Import service role, or bring its trust policy and its inline policy `vmimport` up to what the VM
 * Import guide specifies for these buckets and keys. Idempotent: what is already granted is kept, and a second run
 * changes nothing. With `dryRun: true` it writes nothing and returns what it would write.
 *
 * @example
 * ```ts
 * import { ensureVmImportRole } from 'ec2-import-image'
 *
 * const r = await ensureVmImportRole({ config: { region: 'eu-west-1' }, buckets: ['images'] })()
 * if (r._tag === 'Right') console.log(r.right.changed) // [] when the role was already right
 * ```
 *
 * @public
 * @since 0.2.0
 */
export const ensureVmImportRole =
  (options: EnsureVmImportRoleOptions, runtime: Partial<Runtime> = {}): TaskEither<Ec2ImportError, EnsureVmImportRoleResult> =>
  async () => {
    if (options.buckets.length === 0) return left(configError('ensureVmImportRole: name at least one bucket VM Import reads disk images from'))
    const c = createServiceCaller(options.config, runtime)
    try {
      if (c.config._tag === 'Left') return c.config
      return await ensure(c, options, c.config.right.region)
    } finally {
      await c.close()
    }
  }

const ensure = async (c: ServiceCaller, o: EnsureVmImportRoleOptions, region: string): Promise<Result<EnsureVmImportRoleResult>> => {
  const signal = o.signal
  const name = o.roleName ?? 'vmimport'
  const dryRun = o.dryRun === true
  const keys = o.kmsKeyArns ?? []

  const who = await runCall(c.call(STS, GetCallerIdentity, {}, { signal }))
  if (who._tag === 'Fatal') return left(who.error)
  if (who._tag !== 'Ok') return left(describeFailure('the caller could not be identified (GetCallerIdentity)', who))
  const partition = partitionOfArn(who.value.Arn ?? '') ?? partitionOf(region).id
  const account = who.value.Account ?? ''

  const got = await runOptional(c.call(IAM, GetRole, { RoleName: name }, { signal }), (v) => v.Role, ['NoSuchEntity'])
  if (got._tag === 'Fatal') return left(got.error)
  if (got._tag !== 'Ok') return left(describeFailure(`role ${name} could not be read (iam:GetRole)`, got))
  const changed: Array<'CreateRole' | 'UpdateAssumeRolePolicy' | 'PutRolePolicy'> = []
  let role: Role | undefined = got.value
  let trust: PolicyDocument

  // ---- the role and its trust policy
  if (role === undefined) {
    trust = vmieTrustPolicy()
    changed.push('CreateRole')
    if (!dryRun) {
      const created = await c.call(IAM, CreateRole, { RoleName: name, AssumeRolePolicyDocument: writePolicyDocument(trust), Description: 'VM Import/Export service role (vmie.amazonaws.com)' }, { signal })()
      if (created._tag === 'Left') return created
      role = created.right.Role
      const readable = await waitUntilReadable(c, name, signal)
      if (readable._tag === 'Left') return readable
    }
  } else {
    const current = role.AssumeRolePolicyDocument === undefined ? undefined : parsePolicyDocument(role.AssumeRolePolicyDocument)
    if (current !== undefined && current._tag === 'Right' && admitsVmie(current.right)) trust = current.right
    else {
      // Added beside what it has: other principals the role trusts keep their access.
      trust = { Version: POLICY_VERSION, Statement: [...(current?._tag === 'Right' ? current.right.Statement : []), vmieTrustStatement] }
      if (!admitsVmie(trust)) {
        return left(configError(`ensureVmImportRole: the trust policy of role ${name} denies ${VMIE_PRINCIPAL} explicitly; remove that Deny statement`))
      }
      changed.push('UpdateAssumeRolePolicy')
      if (!dryRun) {
        const u = await c.call(IAM, UpdateAssumeRolePolicy, { RoleName: name, PolicyDocument: writePolicyDocument(trust) }, { signal })()
        if (u._tag === 'Left') return u
      }
    }
  }

  // ---- the inline policy
  let existing: PolicyDocument | undefined
  if (got.value !== undefined) {
    const p = await runOptional(c.call(IAM, GetRolePolicy, { RoleName: name, PolicyName: VMIMPORT_POLICY_NAME }, { signal }), (v) => v.PolicyDocument, ['NoSuchEntity'])
    if (p._tag === 'Fatal') return left(p.error)
    if (p._tag !== 'Ok') return left(describeFailure(`the inline policy ${VMIMPORT_POLICY_NAME} of role ${name} could not be read (iam:GetRolePolicy)`, p))
    if (p.value !== undefined) {
      const doc = parsePolicyDocument(p.value)
      // An unreadable document is replaced by the guide's: nothing in it could be kept reliably.
      existing = doc._tag === 'Right' ? doc.right : undefined
    }
  }
  let inline: PolicyDocument
  if (existing !== undefined && grantsAll(existing, partition, o.buckets, keys)) inline = existing
  else {
    inline = mergedPolicy(existing, partition, o.buckets, keys)
    if (existing === undefined || !sameDocument(existing, inline)) {
      changed.push('PutRolePolicy')
      if (!dryRun) {
        const w = await c.call(IAM, PutRolePolicy, { RoleName: name, PolicyName: VMIMPORT_POLICY_NAME, PolicyDocument: writePolicyDocument(inline) }, { signal })()
        if (w._tag === 'Left') return w
      }
    }
  }

  return {
    _tag: 'Right',
    right: {
      changed,
      dryRun,
      role: { name, arn: role?.Arn ?? roleArn(partition, account, name), created: got.value === undefined },
      policies: { trust, inline: { name: VMIMPORT_POLICY_NAME, document: inline } },
    },
  }
}

/** After `CreateRole`: read the role back until IAM serves it, a bounded number of times, with the runtime's sleep. */
const waitUntilReadable = async (c: ServiceCaller, name: string, signal: AbortSignal | undefined): Promise<Result<Role>> => {
  let delay = READ_BACK_FIRST_DELAY_MS
  let last: Ec2ImportError | undefined
  for (let attempt = 1; attempt <= READ_BACK_ATTEMPTS; attempt++) {
    const r = await c.call(IAM, GetRole, { RoleName: name }, { signal })()
    if (r._tag === 'Right') return { _tag: 'Right', right: r.right.Role }
    if (r.left._tag !== 'ServiceError' || r.left.code !== 'NoSuchEntity') return r
    last = r.left
    if (signal?.aborted === true) break
    await c.runtime.sleep(delay, signal)
    delay = Math.min(delay * 2, READ_BACK_MAX_DELAY_MS)
  }
  return left(last ?? configError(`ensureVmImportRole: role ${name} was created but could not be read back`))
}
