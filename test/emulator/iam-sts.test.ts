// The emulator's IAM and STS over AWS Query, driven by requests aws4 signs: the caller (user and root), roles,
// inline and attached policies with documents URL-encoded as IAM sends them, paging, eventual consistency of a new
// role, the ErrorResponse envelope, and per-account state whatever region a request is signed for.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator.js'
import { agent, query, tag } from './raw-aws.js'
import { GUIDE_TRUST } from '../helpers/vmimport-guide.js'

afterAll(() => agent.close())
const running: Array<Emulator> = []
afterEach(async () => {
  for (const e of running.splice(0)) await e.close()
})
const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const e = await startEmulator({ clock: 'manual', ...options })
  running.push(e)
  return e
}

const trust = GUIDE_TRUST
const readImages = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::images', 'arn:aws:s3:::images/*'] }] }

describe('STS', () => {
  it('GetCallerIdentity names an IAM user of the account, or the root user in root mode', async () => {
    const e = await start({ accountId: '111122223333' })
    const r = await query(e, 'sts', { Action: 'GetCallerIdentity' })
    expect(r.status, r.body).toBe(200)
    expect(r.body).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>')
    expect([tag(r.body, 'Account'), tag(r.body, 'Arn')]).toEqual(['111122223333', 'arn:aws:iam::111122223333:user/emulator'])
    expect(tag(r.body, 'RequestId')).toMatch(/^[0-9a-f-]{36}$/)
    const root = await start({ accountId: '111122223333', caller: 'root' })
    const rr = await query(root, 'sts', { Action: 'GetCallerIdentity' }, { region: 'eu-west-1' })
    expect([tag(rr.body, 'Arn'), tag(rr.body, 'UserId')]).toEqual(['arn:aws:iam::111122223333:root', '111122223333'])
    const cn = await start({ region: 'cn-north-1' })
    expect(tag((await query(cn, 'sts', { Action: 'GetCallerIdentity' }, { region: 'cn-north-1' })).body, 'Arn')).toBe(
      'arn:aws-cn:iam::123456789012:user/emulator',
    )
  })

  it('refuses an unknown key and an unknown action in the ErrorResponse envelope', async () => {
    const e = await start()
    const r = await query(e, 'sts', { Action: 'GetCallerIdentity' }, { credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 's' } })
    expect([r.status, tag(r.body, 'Code')]).toEqual([403, 'InvalidClientTokenId'])
    const sig = await query(e, 'sts', { Action: 'GetCallerIdentity' }, { credentials: { accessKeyId: e.credentials.accessKeyId, secretAccessKey: 'wrong' } })
    expect([sig.status, tag(sig.body, 'Code')]).toEqual([403, 'SignatureDoesNotMatch'])
    const bad = await query(e, 'sts', { Action: 'AssumeRoleWithSAML' })
    expect(bad.body).toMatch(/^<\?xml[^>]*>\n<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/)
  })
})

describe('IAM', () => {
  it('creates a role and reads it back, the trust policy URL-encoded as IAM sends it', async () => {
    const e = await start()
    const created = await query(e, 'iam', { Action: 'CreateRole', RoleName: 'vmimport', AssumeRolePolicyDocument: JSON.stringify(trust, null, 2), Description: 'VM Import' })
    expect(created.status, created.body).toBe(200)
    expect(tag(created.body, 'Arn')).toBe('arn:aws:iam::123456789012:role/vmimport')
    expect(tag(created.body, 'RoleId')).toMatch(/^AROA[A-Z2-7]{17}$/)
    const got = await query(e, 'iam', { Action: 'GetRole', RoleName: 'vmimport' })
    expect(got.body).toContain('<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role>')
    const encoded = tag(got.body, 'AssumeRolePolicyDocument')!
    expect(encoded).not.toContain('{')
    // the caller's own text, whitespace and all
    expect(decodeURIComponent(encoded)).toBe(JSON.stringify(trust, null, 2))
    const again = await query(e, 'iam', { Action: 'CreateRole', RoleName: 'VMIMPORT', AssumeRolePolicyDocument: JSON.stringify(trust) })
    expect([again.status, tag(again.body, 'Code')]).toEqual([409, 'EntityAlreadyExists'])
    const missing = await query(e, 'iam', { Action: 'GetRole', RoleName: 'other' })
    expect([missing.status, tag(missing.body, 'Code'), tag(missing.body, 'Message')]).toEqual([404, 'NoSuchEntity', 'The role with name other cannot be found.'])
    const malformed = await query(e, 'iam', { Action: 'CreateRole', RoleName: 'x', AssumeRolePolicyDocument: '{nope' })
    expect([malformed.status, tag(malformed.body, 'Code')]).toEqual([400, 'MalformedPolicyDocument'])
    const noName = await query(e, 'iam', { Action: 'GetRole' })
    expect([noName.status, tag(noName.body, 'Code')]).toEqual([400, 'ValidationError'])
    const updated = await query(e, 'iam', { Action: 'UpdateAssumeRolePolicy', RoleName: 'vmimport', PolicyDocument: JSON.stringify(readImages) })
    expect(updated.status).toBe(200)
    expect(e.role('vmimport')?.trustPolicy).toBe(JSON.stringify(readImages))
  })

  it('puts, gets and lists inline policies, a page at a time', async () => {
    const e = await start({ roles: [{ name: 'vmimport', trustPolicy: trust }] })
    for (const name of ['b-policy', 'a-policy', 'c-policy']) {
      const put = await query(e, 'iam', { Action: 'PutRolePolicy', RoleName: 'vmimport', PolicyName: name, PolicyDocument: JSON.stringify(readImages) })
      expect(put.status, put.body).toBe(200)
    }
    const got = await query(e, 'iam', { Action: 'GetRolePolicy', RoleName: 'vmimport', PolicyName: 'a-policy' })
    expect(JSON.parse(decodeURIComponent(tag(got.body, 'PolicyDocument')!))).toEqual(readImages)
    const names: Array<string> = []
    let marker: string | undefined
    do {
      const page = await query(e, 'iam', { Action: 'ListRolePolicies', RoleName: 'vmimport', MaxItems: '2', ...(marker === undefined ? {} : { Marker: marker }) })
      names.push(...[...page.body.matchAll(/<member>([^<]+)<\/member>/g)].map((m) => m[1]!))
      marker = tag(page.body, 'IsTruncated') === 'true' ? tag(page.body, 'Marker') : undefined
    } while (marker !== undefined)
    expect(names).toEqual(['a-policy', 'b-policy', 'c-policy'])
    const none = await query(e, 'iam', { Action: 'GetRolePolicy', RoleName: 'vmimport', PolicyName: 'zzz' })
    expect([none.status, tag(none.body, 'Code')]).toEqual([404, 'NoSuchEntity'])
    const conflict = await query(e, 'iam', { Action: 'DeleteRole', RoleName: 'vmimport' })
    expect([conflict.status, tag(conflict.body, 'Code')]).toEqual([409, 'DeleteConflict'])
    for (const name of names) await query(e, 'iam', { Action: 'DeleteRolePolicy', RoleName: 'vmimport', PolicyName: name })
    expect((await query(e, 'iam', { Action: 'DeleteRole', RoleName: 'vmimport' })).status).toBe(200)
    expect(e.role('vmimport')).toBeUndefined()
  })

  it('lists attached managed policies and reads their default version, URL-encoded', async () => {
    const e = await start({
      managedPolicies: [{ name: 'VmImportRead', document: readImages }, { name: 'Boundary', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      roles: [{ name: 'vmimport', trustPolicy: trust, attachedPolicyArns: ['arn:aws:iam::123456789012:policy/VmImportRead'], permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/Boundary' }],
    })
    const listed = await query(e, 'iam', { Action: 'ListAttachedRolePolicies', RoleName: 'vmimport' })
    expect([tag(listed.body, 'PolicyName'), tag(listed.body, 'PolicyArn')]).toEqual(['VmImportRead', 'arn:aws:iam::123456789012:policy/VmImportRead'])
    const policy = await query(e, 'iam', { Action: 'GetPolicy', PolicyArn: 'arn:aws:iam::123456789012:policy/VmImportRead' })
    expect([tag(policy.body, 'DefaultVersionId'), tag(policy.body, 'AttachmentCount')]).toEqual(['v1', '1'])
    const version = await query(e, 'iam', { Action: 'GetPolicyVersion', PolicyArn: 'arn:aws:iam::123456789012:policy/VmImportRead', VersionId: 'v1' })
    expect(JSON.parse(decodeURIComponent(tag(version.body, 'Document')!))).toEqual(readImages)
    expect(tag(version.body, 'IsDefaultVersion')).toBe('true')
    const v2 = await query(e, 'iam', { Action: 'GetPolicyVersion', PolicyArn: 'arn:aws:iam::123456789012:policy/VmImportRead', VersionId: 'v2' })
    expect(tag(v2.body, 'Code')).toBe('NoSuchEntity')
    const role = await query(e, 'iam', { Action: 'GetRole', RoleName: 'vmimport' })
    expect(tag(role.body, 'PermissionsBoundaryArn')).toBe('arn:aws:iam::123456789012:policy/Boundary')
    const attachUnknown = await query(e, 'iam', { Action: 'AttachRolePolicy', RoleName: 'vmimport', PolicyArn: 'arn:aws:iam::123456789012:policy/Nope' })
    expect(tag(attachUnknown.body, 'Code')).toBe('NoSuchEntity')
  })

  it('keeps a new role NoSuchEntity for roleDelayMs of the clock, then shows it; state is per account, not per region', async () => {
    const e = await start({ roleDelayMs: 5_000 })
    await query(e, 'iam', { Action: 'CreateRole', RoleName: 'vmimport', AssumeRolePolicyDocument: JSON.stringify(trust) }, { region: 'us-east-1' })
    expect(tag((await query(e, 'iam', { Action: 'GetRole', RoleName: 'vmimport' })).body, 'Code')).toBe('NoSuchEntity')
    // a write reaches the role at once, as IAM's primary has it
    expect((await query(e, 'iam', { Action: 'PutRolePolicy', RoleName: 'vmimport', PolicyName: 'vmimport', PolicyDocument: JSON.stringify(readImages) })).status).toBe(200)
    e.clock.advance(5_000)
    const seen = await query(e, 'iam', { Action: 'GetRole', RoleName: 'vmimport' }, { region: 'eu-west-1' })
    expect(seen.status, seen.body).toBe(200)
  })

  it('answers AccessDenied for a denied action, and InternalFailure-free nonsense with ValidationError', async () => {
    const e = await start({ deny: ['iam:GetRole'], roles: [{ name: 'vmimport', trustPolicy: trust }] })
    const denied = await query(e, 'iam', { Action: 'GetRole', RoleName: 'vmimport' })
    expect([denied.status, tag(denied.body, 'Code')]).toEqual([403, 'AccessDenied'])
    expect(tag(denied.body, 'Message')).toContain('is not authorized to perform: iam:GetRole')
    const badMax = await query(e, 'iam', { Action: 'ListRolePolicies', RoleName: 'vmimport', MaxItems: 'lots' })
    expect([badMax.status, tag(badMax.body, 'Code')]).toEqual([400, 'ValidationError'])
    const badName = await query(e, 'iam', { Action: 'CreateRole', RoleName: 'has space', AssumeRolePolicyDocument: JSON.stringify(trust) })
    expect(tag(badName.body, 'Code')).toBe('ValidationError')
    expect(e.requests.map((r) => r.service)).toEqual(['iam', 'iam', 'iam'])
  })
})
