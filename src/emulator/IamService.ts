/**
 * The emulator's IAM and STS over HTTP: the AWS Query protocol, a form body with `Action` and `Version`, answered
 * with `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata><RequestId>…` or
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 *
 * The responses are written here by hand, member by member in the order the services send them: the IAM and STS
 * shape declarations were not yet in the tree when this was written. Policy documents are URL-encoded in every
 * response, as IAM does (RFC 3986), and decoded by clients.
 *
 * @since 0.2.0
 */
import { constraintError, type IamStore, type StoredPolicy, type StoredRole } from './IamStore.js'
import { escapeXml } from './XmlWriter.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The IAM actions the emulator serves.
 *
 * @internal
 * @since 0.2.0
 */
export const IAM_ACTIONS = [
  'GetRole',
  'CreateRole',
  'UpdateAssumeRolePolicy',
  'DeleteRole',
  'PutRolePolicy',
  'GetRolePolicy',
  'DeleteRolePolicy',
  'ListRolePolicies',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'ListAttachedRolePolicies',
  'PutRolePermissionsBoundary',
  'CreatePolicy',
  'GetPolicy',
  'GetPolicyVersion',
] as const

/**
 * An AWS Query answer: status, body, and the error code when it is one.
 *
 * @internal
 * @since 0.2.0
 */
export interface QueryAnswer {
  readonly status: number
  readonly body: string
  readonly errorCode?: string
}

/**
 * Who is calling, as STS reports it.
 *
 * @internal
 * @since 0.2.0
 */
export interface Caller {
  readonly arn: string
  readonly userId: string
  readonly account: string
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/'
const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/'
const VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

const el = (name: string, value: string | number | boolean | undefined): string =>
  value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
// IAM answers documents URL-encoded; `encodeURIComponent` leaves `!'()*` alone, which RFC 3986 reserves.
const urlEncoded = (document: string): string =>
  encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * An AWS Query error envelope. `Type` is `Sender` for a 4xx and `Receiver` for a 5xx.
 *
 * @internal
 * @since 0.2.0
 */
export const writeQueryError = (service: 'iam' | 'sts', status: number, code: string, message: string, requestId: string): string =>
  `${XML_DECLARATION}<ErrorResponse xmlns="${service === 'iam' ? IAM_XMLNS : STS_XMLNS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`

const result = (service: 'iam' | 'sts', action: string, inner: string | undefined, requestId: string): QueryAnswer => ({
  status: 200,
  body: `${XML_DECLARATION}<${action}Response xmlns="${service === 'iam' ? IAM_XMLNS : STS_XMLNS}">${
    inner === undefined ? '' : `<${action}Result>${inner}</${action}Result>`
  }<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`,
})

const fault = (service: 'iam' | 'sts', e: { status: number; code: string; message: string }, requestId: string): QueryAnswer => ({
  status: e.status,
  body: writeQueryError(service, e.status, e.code, e.message, requestId),
  errorCode: e.code,
})

const roleXml = (r: StoredRole): string =>
  `${el('Path', r.path)}${el('RoleName', r.name)}${el('RoleId', r.id)}${el('Arn', r.arn)}${el('CreateDate', iso(r.created))}${el(
    'AssumeRolePolicyDocument',
    urlEncoded(r.trust),
  )}${el('Description', r.description)}${el('MaxSessionDuration', r.maxSessionDuration)}${
    r.boundaryArn === undefined
      ? ''
      : `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>${el('PermissionsBoundaryArn', r.boundaryArn)}</PermissionsBoundary>`
  }${r.tags.length === 0 ? '' : `<Tags>${r.tags.map((t) => `<member>${el('Key', t.Key)}${el('Value', t.Value)}</member>`).join('')}</Tags>`}<RoleLastUsed/>`

const policyXml = (p: StoredPolicy, attachments: number, boundaries: number): string =>
  `${el('PolicyName', p.name)}${el('PolicyId', p.id)}${el('Arn', p.arn)}${el('Path', p.path)}${el('DefaultVersionId', 'v1')}${el(
    'AttachmentCount',
    attachments,
  )}${el('PermissionsBoundaryUsageCount', boundaries)}${el('IsAttachable', true)}${el('Description', p.description)}${el(
    'CreateDate',
    iso(p.created),
  )}${el('UpdateDate', iso(p.created))}`

const paging = (isTruncated: boolean, marker: string | undefined): string =>
  `${el('IsTruncated', isTruncated)}${marker === undefined ? '' : el('Marker', marker)}`

// -------------------------------------------------------------------------------------------------
// dispatch
// -------------------------------------------------------------------------------------------------

/**
 * Answer one AWS Query request for IAM or STS. `params` are the decoded form pairs; `denied` says whether the
 * caller is refused an IAM action (`iam:GetRole`).
 *
 * @internal
 * @since 0.2.0
 */
export const handleQuery = (
  service: 'iam' | 'sts',
  params: ReadonlyArray<readonly [string, string]>,
  ctx: {
    readonly iam: IamStore
    readonly caller: Caller
    readonly denied: (action: string) => boolean
    readonly requestId: string
  },
): QueryAnswer => {
  const all = new Map<string, string>()
  for (const [k, v] of params) all.set(k, v)
  const p = (k: string): string | undefined => all.get(k)
  const action = p('Action')
  const requestId = ctx.requestId
  const err = (status: number, code: string, message: string) => fault(service, { status, code, message }, requestId)
  if (action === undefined || action === '') return err(400, 'MissingAction', 'Missing Action')
  const version = p('Version')
  if (version === undefined) return err(400, 'MissingParameter', 'The request must contain the parameter Version')
  const served: ReadonlyArray<string> = service === 'sts' ? ['GetCallerIdentity'] : IAM_ACTIONS
  if (!served.includes(action) || version !== VERSIONS[service]) {
    return err(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`)
  }
  if (ctx.denied(`${service}:${action}`)) {
    return err(
      403,
      'AccessDenied',
      `User: ${ctx.caller.arn} is not authorized to perform: ${service}:${action} because no identity-based policy allows the ${service}:${action} action`,
    )
  }
  if (service === 'sts') {
    const c = ctx.caller
    return result('sts', action, `${el('Arn', c.arn)}${el('UserId', c.userId)}${el('Account', c.account)}`, requestId)
  }

  const iam = ctx.iam
  const maxItems = (): number | undefined => {
    const v = p('MaxItems')
    return v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : NaN
  }
  const done = (inner: string | undefined) => result('iam', action, inner, requestId)
  switch (action as (typeof IAM_ACTIONS)[number]) {
    case 'GetRole': {
      const r = iam.getRole(p('RoleName'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(`<Role>${roleXml(r.right)}</Role>`)
    }
    case 'CreateRole': {
      const duration = p('MaxSessionDuration')
      const tags: Array<{ Key: string; Value: string }> = []
      for (let i = 1; p(`Tags.member.${i}.Key`) !== undefined; i++) {
        tags.push({ Key: p(`Tags.member.${i}.Key`)!, Value: p(`Tags.member.${i}.Value`) ?? '' })
      }
      const r = iam.createRole({
        name: p('RoleName'),
        trust: p('AssumeRolePolicyDocument'),
        path: p('Path'),
        description: p('Description'),
        maxSessionDuration: duration === undefined ? undefined : Number(duration),
        boundaryArn: p('PermissionsBoundary'),
        tags,
      })
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(`<Role>${roleXml(r.right)}</Role>`)
    }
    case 'UpdateAssumeRolePolicy': {
      const r = iam.updateAssumeRolePolicy(p('RoleName'), p('PolicyDocument'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(undefined)
    }
    case 'DeleteRole': {
      const r = iam.deleteRole(p('RoleName'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(undefined)
    }
    case 'PutRolePolicy': {
      const r = iam.putRolePolicy(p('RoleName'), p('PolicyName'), p('PolicyDocument'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(undefined)
    }
    case 'GetRolePolicy': {
      const r = iam.getRolePolicy(p('RoleName'), p('PolicyName'))
      return r._tag === 'Left'
        ? fault('iam', r.left, requestId)
        : done(`${el('RoleName', r.right.role.name)}${el('PolicyName', r.right.policyName)}${el('PolicyDocument', urlEncoded(r.right.document))}`)
    }
    case 'DeleteRolePolicy': {
      const r = iam.deleteRolePolicy(p('RoleName'), p('PolicyName'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(undefined)
    }
    case 'ListRolePolicies': {
      const r = iam.listRolePolicies(p('RoleName'), p('Marker'), maxItems())
      return r._tag === 'Left'
        ? fault('iam', r.left, requestId)
        : done(`<PolicyNames>${r.right.items.map((n) => el('member', n)).join('')}</PolicyNames>${paging(r.right.isTruncated, r.right.marker)}`)
    }
    case 'AttachRolePolicy': {
      const r = iam.attachRolePolicy(p('RoleName'), p('PolicyArn'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(undefined)
    }
    case 'DetachRolePolicy': {
      const r = iam.detachRolePolicy(p('RoleName'), p('PolicyArn'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(undefined)
    }
    case 'ListAttachedRolePolicies': {
      const r = iam.listAttachedRolePolicies(p('RoleName'), p('Marker'), maxItems())
      return r._tag === 'Left'
        ? fault('iam', r.left, requestId)
        : done(
            `<AttachedPolicies>${r.right.items
              .map((x) => `<member>${el('PolicyName', x.name)}${el('PolicyArn', x.arn)}</member>`)
              .join('')}</AttachedPolicies>${paging(r.right.isTruncated, r.right.marker)}`,
          )
    }
    case 'PutRolePermissionsBoundary': {
      const r = iam.putRolePermissionsBoundary(p('RoleName'), p('PermissionsBoundary'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(undefined)
    }
    case 'CreatePolicy': {
      const r = iam.createPolicy(p('PolicyName'), p('PolicyDocument'), p('Path'), p('Description'))
      return r._tag === 'Left' ? fault('iam', r.left, requestId) : done(`<Policy>${policyXml(r.right, 0, 0)}</Policy>`)
    }
    case 'GetPolicy': {
      const r = iam.getPolicy(p('PolicyArn'))
      return r._tag === 'Left'
        ? fault('iam', r.left, requestId)
        : done(`<Policy>${policyXml(r.right.policy, r.right.attachmentCount, r.right.boundaryCount)}</Policy>`)
    }
    case 'GetPolicyVersion': {
      const r = iam.getPolicyVersion(p('PolicyArn'), p('VersionId'))
      return r._tag === 'Left'
        ? fault('iam', r.left, requestId)
        : done(
            `<PolicyVersion>${el('Document', urlEncoded(r.right.document))}${el('VersionId', 'v1')}${el('IsDefaultVersion', true)}${el(
              'CreateDate',
              iso(r.right.created),
            )}</PolicyVersion>`,
          )
    }
  }
  // Unreachable: every served action has a case; kept so a new name without one answers rather than throws.
  return fault('iam', constraintError('action', action, 'Member must be a served action'), requestId)
}
