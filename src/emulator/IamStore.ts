/**
 * The emulator's IAM: roles, their inline policies, managed policies and their attachments, for one account (IAM
 * is global: every region of the endpoint sees the same roles).
 *
 * What it keeps is what VM Import and the preflight read: a role's trust policy and permissions boundary, its inline
 * policies by name, the managed policies attached to it, each managed policy's default version. Documents are kept as
 * the text the caller sent (IAM keeps the caller's whitespace) and are checked to be JSON objects with a `Statement`,
 * `MalformedPolicyDocument` otherwise.
 *
 * Eventual consistency, optionally: for `roleDelayMs` of the emulator's clock after `CreateRole`, reads of the role
 * answer `NoSuchEntity` and VM Import cannot use it, as a new role may take seconds to be usable on AWS.
 *
 * Errors are IAM's codes and statuses (`NoSuchEntity` 404, `EntityAlreadyExists` 409, `DeleteConflict` 409,
 * `MalformedPolicyDocument` 400, `ValidationError` 400, `LimitExceeded` 409), with IAM's wording where it is known.
 *
 * @since 0.2.0
 */
import { randomBytes } from 'node:crypto'
import { ec2Error as serviceError, type Ec2Error as ServiceErrorAnswer } from './Ec2Errors.js'
import { left, right, type Outcome } from './Listing.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A role the emulator starts with.
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorRole {
  readonly name: string
  /** The trust policy (`AssumeRolePolicyDocument`), as JSON text or an object. */
  readonly trustPolicy: string | object
  /** Inline policies by name, each as JSON text or an object. */
  readonly inlinePolicies?: Readonly<Record<string, string | object>>
  /** ARNs of managed policies (from `EmulatorOptions.managedPolicies`) attached to it. */
  readonly attachedPolicyArns?: ReadonlyArray<string>
  /** The ARN of a managed policy set as its permissions boundary. */
  readonly permissionsBoundaryArn?: string
  /** Default `/`. */
  readonly path?: string
}

/**
 * A managed policy the emulator starts with. Its ARN is `arn:<partition>:iam::<account>:policy<path><name>` unless
 * `arn` is given (for an AWS managed policy, `arn:aws:iam::aws:policy/…`).
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorManagedPolicy {
  readonly name: string
  readonly document: string | object
  readonly path?: string
  readonly arn?: string
}

/**
 * A role as the store keeps it.
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredRole {
  readonly name: string
  readonly id: string
  readonly arn: string
  readonly path: string
  readonly created: number
  readonly usableAt: number
  trust: string
  readonly description: string | undefined
  readonly maxSessionDuration: number
  boundaryArn: string | undefined
  readonly inline: Map<string, string>
  readonly attached: Array<string>
  readonly tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>
}

/**
 * A managed policy as the store keeps it (one version: the emulator never writes another).
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredPolicy {
  readonly name: string
  readonly id: string
  readonly arn: string
  readonly path: string
  readonly created: number
  readonly document: string
  readonly description: string | undefined
}

/**
 * A page of names.
 *
 * @internal
 * @since 0.2.0
 */
export interface NamePage<A> {
  readonly items: ReadonlyArray<A>
  readonly isTruncated: boolean
  readonly marker: string | undefined
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const NAME = /^[\w+=,.@-]+$/
const PATH = /^\/(?:[\x21-\x7e]*\/)?$/

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const uniqueId = (prefix: string): string => {
  const bytes = randomBytes(17)
  return prefix + Array.from(bytes, (b) => ALNUM[b % 32]).join('')
}

const validation = (message: string): ServiceErrorAnswer => serviceError(400, 'ValidationError', message)

/**
 * IAM's message for a missing or invalid parameter, as its validation layer words it.
 *
 * @internal
 * @since 0.2.0
 */
export const constraintError = (member: string, value: string | undefined, constraint: string): ServiceErrorAnswer =>
  validation(
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  )

const checkName = (member: string, value: string | undefined, max: number): ServiceErrorAnswer | undefined => {
  if (value === undefined) return constraintError(member, value, 'Member must not be null')
  if (value.length < 1 || value.length > max) {
    return constraintError(member, value, `Member must have length less than or equal to ${max}`)
  }
  if (!NAME.test(value)) return constraintError(member, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+')
  return undefined
}

/**
 * The document as the caller's text, or `MalformedPolicyDocument` when it is not a policy.
 *
 * @internal
 * @since 0.2.0
 */
export const checkDocument = (document: string | undefined, member: string): Outcome<string> => {
  if (document === undefined) return left(constraintError(member, undefined, 'Member must not be null'))
  let parsed: unknown
  try {
    parsed = JSON.parse(document)
  } catch {
    return left(serviceError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.'))
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return left(serviceError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.'))
  }
  if ((parsed as { Statement?: unknown }).Statement === undefined) {
    return left(serviceError(400, 'MalformedPolicyDocument', 'Missing required field Statement'))
  }
  return right(document)
}

const textOf = (d: string | object): string => (typeof d === 'string' ? d : JSON.stringify(d))

const noSuchRole = (name: string): ServiceErrorAnswer =>
  serviceError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`)

const page = <A>(all: ReadonlyArray<A>, keyOf: (a: A) => string, marker: string | undefined, maxItems: number | undefined): Outcome<NamePage<A>> => {
  const max = maxItems ?? 100
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    return left(constraintError('maxItems', String(maxItems), 'Member must have value less than or equal to 1000'))
  }
  let start = 0
  if (marker !== undefined) {
    // The marker is the key of the last entry served, so entries added between pages neither repeat nor hide.
    const after = Buffer.from(marker, 'base64url').toString('utf8')
    start = all.findIndex((a) => keyOf(a) > after)
    if (start === -1) start = all.length
  }
  const items = all.slice(start, start + max)
  const isTruncated = start + max < all.length
  return right({
    items,
    isTruncated,
    marker: isTruncated ? Buffer.from(keyOf(items[items.length - 1]!), 'utf8').toString('base64url') : undefined,
  })
}

// -------------------------------------------------------------------------------------------------
// store
// -------------------------------------------------------------------------------------------------

/**
 * One account's IAM.
 *
 * @internal
 * @since 0.2.0
 */
export class IamStore {
  private readonly roles = new Map<string, StoredRole>()
  private readonly policies = new Map<string, StoredPolicy>()

  constructor(
    private readonly options: {
      readonly accountId: string
      readonly partition: string
      readonly now: () => number
      readonly roleDelayMs: number
    },
  ) {}

  /** Seed the store from the emulator's options; a bad seed is the caller's mistake and throws. */
  seed(policies: ReadonlyArray<EmulatorManagedPolicy>, roles: ReadonlyArray<EmulatorRole>): void {
    for (const p of policies) {
      const made = this.createPolicy(p.name, textOf(p.document), p.path, undefined, p.arn)
      if (made._tag === 'Left') throw new RangeError(`startEmulator: managedPolicies '${p.name}': ${made.left.message}`)
    }
    for (const r of roles) {
      const made = this.createRole(
        { name: r.name, trust: textOf(r.trustPolicy), path: r.path, boundaryArn: r.permissionsBoundaryArn },
        // A role given in the options exists from the start: no eventual consistency for it.
        true,
      )
      if (made._tag === 'Left') throw new RangeError(`startEmulator: roles '${r.name}': ${made.left.message}`)
      for (const [name, doc] of Object.entries(r.inlinePolicies ?? {})) {
        const put = this.putRolePolicy(r.name, name, textOf(doc))
        if (put._tag === 'Left') throw new RangeError(`startEmulator: roles '${r.name}': ${put.left.message}`)
      }
      for (const arn of r.attachedPolicyArns ?? []) {
        const attached = this.attachRolePolicy(r.name, arn)
        if (attached._tag === 'Left') throw new RangeError(`startEmulator: roles '${r.name}': ${attached.left.message}`)
      }
    }
  }

  /** A role as the service sees it now (past its delay), for VM Import's checks; `undefined` if none. */
  usableRole(name: string): StoredRole | undefined {
    const r = this.roles.get(name)
    return r !== undefined && this.options.now() >= r.usableAt ? r : undefined
  }

  /** The role for a read: `NoSuchEntity` when it does not exist or is not visible yet. */
  getRole(name: string | undefined): Outcome<StoredRole> {
    const bad = checkName('roleName', name, 64)
    if (bad !== undefined) return left(bad)
    const r = this.usableRole(name!)
    return r === undefined ? left(noSuchRole(name!)) : right(r)
  }

  /** The role for a write: IAM writes go to the primary, where a new role exists at once. */
  private roleForWrite(name: string | undefined): Outcome<StoredRole> {
    const bad = checkName('roleName', name, 64)
    if (bad !== undefined) return left(bad)
    const r = this.roles.get(name!)
    return r === undefined ? left(noSuchRole(name!)) : right(r)
  }

  createRole(
    r: {
      readonly name: string | undefined
      readonly trust: string | undefined
      readonly path?: string | undefined
      readonly description?: string | undefined
      readonly maxSessionDuration?: number | undefined
      readonly boundaryArn?: string | undefined
      readonly tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }> | undefined
    },
    immediate = false,
  ): Outcome<StoredRole> {
    const bad = checkName('roleName', r.name, 64)
    if (bad !== undefined) return left(bad)
    const trust = checkDocument(r.trust, 'assumeRolePolicyDocument')
    if (trust._tag === 'Left') return trust
    const path = r.path ?? '/'
    if (!PATH.test(path) || path.length > 512) {
      return left(constraintError('path', path, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)'))
    }
    const maxSessionDuration = r.maxSessionDuration ?? 3600
    if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200) {
      return left(constraintError('maxSessionDuration', String(maxSessionDuration), 'Member must have value greater than or equal to 3600'))
    }
    const name = r.name!
    // Role names are unique case-insensitively in IAM.
    for (const existing of this.roles.keys()) {
      if (existing.toLowerCase() === name.toLowerCase()) {
        return left(serviceError(409, 'EntityAlreadyExists', `Role with name ${name} already exists.`))
      }
    }
    if (r.boundaryArn !== undefined && !this.policies.has(r.boundaryArn)) {
      return left(serviceError(400, 'InvalidInput', `ARN ${r.boundaryArn} is not valid.`))
    }
    const now = this.options.now()
    const role: StoredRole = {
      name,
      id: uniqueId('AROA'),
      arn: `arn:${this.options.partition}:iam::${this.options.accountId}:role${path}${name}`,
      path,
      created: now,
      usableAt: immediate ? now : now + this.options.roleDelayMs,
      trust: trust.right,
      description: r.description,
      maxSessionDuration,
      boundaryArn: r.boundaryArn,
      inline: new Map(),
      attached: [],
      tags: r.tags ?? [],
    }
    this.roles.set(name, role)
    return right(role)
  }

  updateAssumeRolePolicy(name: string | undefined, document: string | undefined): Outcome<Record<string, never>> {
    const role = this.roleForWrite(name)
    if (role._tag === 'Left') return role
    const doc = checkDocument(document, 'policyDocument')
    if (doc._tag === 'Left') return doc
    role.right.trust = doc.right
    return right({})
  }

  deleteRole(name: string | undefined): Outcome<Record<string, never>> {
    const role = this.roleForWrite(name)
    if (role._tag === 'Left') return role
    if (role.right.inline.size > 0 || role.right.attached.length > 0) {
      return left(serviceError(409, 'DeleteConflict', 'Cannot delete entity, must delete policies first.'))
    }
    this.roles.delete(role.right.name)
    return right({})
  }

  putRolePolicy(roleName: string | undefined, policyName: string | undefined, document: string | undefined): Outcome<Record<string, never>> {
    const role = this.roleForWrite(roleName)
    if (role._tag === 'Left') return role
    const bad = checkName('policyName', policyName, 128)
    if (bad !== undefined) return left(bad)
    const doc = checkDocument(document, 'policyDocument')
    if (doc._tag === 'Left') return doc
    role.right.inline.set(policyName!, doc.right)
    return right({})
  }

  getRolePolicy(roleName: string | undefined, policyName: string | undefined): Outcome<{ readonly role: StoredRole; readonly document: string; readonly policyName: string }> {
    const role = this.getRole(roleName)
    if (role._tag === 'Left') return role
    const bad = checkName('policyName', policyName, 128)
    if (bad !== undefined) return left(bad)
    const document = role.right.inline.get(policyName!)
    return document === undefined
      ? left(serviceError(404, 'NoSuchEntity', `The role policy with name ${policyName!} cannot be found.`))
      : right({ role: role.right, document, policyName: policyName! })
  }

  deleteRolePolicy(roleName: string | undefined, policyName: string | undefined): Outcome<Record<string, never>> {
    const role = this.roleForWrite(roleName)
    if (role._tag === 'Left') return role
    if (policyName === undefined || !role.right.inline.delete(policyName)) {
      return left(serviceError(404, 'NoSuchEntity', `The role policy with name ${policyName ?? ''} cannot be found.`))
    }
    return right({})
  }

  listRolePolicies(roleName: string | undefined, marker: string | undefined, maxItems: number | undefined): Outcome<NamePage<string>> {
    const role = this.getRole(roleName)
    if (role._tag === 'Left') return role
    return page([...role.right.inline.keys()].sort(), (n) => n, marker, maxItems)
  }

  attachRolePolicy(roleName: string | undefined, arn: string | undefined): Outcome<Record<string, never>> {
    const role = this.roleForWrite(roleName)
    if (role._tag === 'Left') return role
    if (arn === undefined) return left(constraintError('policyArn', undefined, 'Member must not be null'))
    if (!this.policies.has(arn)) return left(serviceError(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`))
    if (!role.right.attached.includes(arn)) role.right.attached.push(arn)
    return right({})
  }

  detachRolePolicy(roleName: string | undefined, arn: string | undefined): Outcome<Record<string, never>> {
    const role = this.roleForWrite(roleName)
    if (role._tag === 'Left') return role
    const i = arn === undefined ? -1 : role.right.attached.indexOf(arn)
    if (i === -1) return left(serviceError(404, 'NoSuchEntity', `Policy ${arn ?? ''} was not found.`))
    role.right.attached.splice(i, 1)
    return right({})
  }

  listAttachedRolePolicies(roleName: string | undefined, marker: string | undefined, maxItems: number | undefined): Outcome<NamePage<StoredPolicy>> {
    const role = this.getRole(roleName)
    if (role._tag === 'Left') return role
    const attached = role.right.attached.map((a) => this.policies.get(a)!).sort((a, b) => (a.arn < b.arn ? -1 : 1))
    return page(attached, (p) => p.arn, marker, maxItems)
  }

  putRolePermissionsBoundary(roleName: string | undefined, arn: string | undefined): Outcome<Record<string, never>> {
    const role = this.roleForWrite(roleName)
    if (role._tag === 'Left') return role
    if (arn === undefined || !this.policies.has(arn)) return left(serviceError(400, 'InvalidInput', `ARN ${arn ?? ''} is not valid.`))
    role.right.boundaryArn = arn
    return right({})
  }

  createPolicy(
    name: string | undefined,
    document: string | undefined,
    path: string | undefined,
    description: string | undefined,
    arn?: string,
  ): Outcome<StoredPolicy> {
    const bad = checkName('policyName', name, 128)
    if (bad !== undefined) return left(bad)
    const doc = checkDocument(document, 'policyDocument')
    if (doc._tag === 'Left') return doc
    const p = path ?? '/'
    if (!PATH.test(p)) return left(constraintError('path', p, 'Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/'))
    const policyArn = arn ?? `arn:${this.options.partition}:iam::${this.options.accountId}:policy${p}${name!}`
    if (this.policies.has(policyArn)) {
      return left(serviceError(409, 'EntityAlreadyExists', `A policy called ${name!} already exists. Duplicate names are not allowed.`))
    }
    const policy: StoredPolicy = {
      name: name!,
      id: uniqueId('ANPA'),
      arn: policyArn,
      path: p,
      created: this.options.now(),
      document: doc.right,
      description,
    }
    this.policies.set(policyArn, policy)
    return right(policy)
  }

  getPolicy(arn: string | undefined): Outcome<{ readonly policy: StoredPolicy; readonly attachmentCount: number; readonly boundaryCount: number }> {
    if (arn === undefined) return left(constraintError('policyArn', undefined, 'Member must not be null'))
    const policy = this.policies.get(arn)
    if (policy === undefined) return left(serviceError(404, 'NoSuchEntity', `Policy ${arn} was not found.`))
    const roles = [...this.roles.values()]
    return right({
      policy,
      attachmentCount: roles.filter((r) => r.attached.includes(arn)).length,
      boundaryCount: roles.filter((r) => r.boundaryArn === arn).length,
    })
  }

  getPolicyVersion(arn: string | undefined, versionId: string | undefined): Outcome<StoredPolicy> {
    const got = this.getPolicy(arn)
    if (got._tag === 'Left') return got
    if (versionId === undefined) return left(constraintError('versionId', undefined, 'Member must not be null'))
    return versionId === 'v1'
      ? right(got.right.policy)
      : left(serviceError(404, 'NoSuchEntity', `Policy ${arn!} version ${versionId} does not exist or is not attachable.`))
  }

  /** Every policy document that governs the role's own permissions, and its boundary's. */
  documentsOf(role: StoredRole): { readonly identity: ReadonlyArray<string>; readonly boundary: string | undefined } {
    return {
      identity: [...role.inline.values(), ...role.attached.map((a) => this.policies.get(a)!.document)],
      boundary: role.boundaryArn === undefined ? undefined : this.policies.get(role.boundaryArn)?.document,
    }
  }

  /** Every role, oldest first, for inspection. */
  listRoles(): ReadonlyArray<StoredRole> {
    return [...this.roles.values()]
  }
}
