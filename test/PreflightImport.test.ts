/**
 * `preflightImport` against a scripted loopback server that answers as IAM, STS and S3 do — for what moto cannot
 * express: a root caller, a caller that may not read IAM or S3 (each denied read becomes a `skipped` check with the
 * reason, never a `pass`), `SimulatePrincipalPolicy` for `iam:PassRole`, and the network failing (a `Left`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { preflightImport, type PreflightReport } from '../src/PreflightImport.js'
import { startScriptedServer, type ScriptedServer } from './helpers/scripted-server.js'

const ACCOUNT = '123456789012'
const enc = encodeURIComponent
const TRUST = enc(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } } }] }))
const POLICY = enc(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*' }] }))

const query = (op: string, result: string) =>
  `<${op}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${op}Result>${result}</${op}Result><ResponseMetadata><RequestId>r-${op}</RequestId></ResponseMetadata></${op}Response>`
const queryError = (code: string, message: string) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-err</RequestId></ErrorResponse>`
const s3Error = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>r-s3</RequestId></Error>`

type Reply = { readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
type Script = Record<string, Reply>

const ok = (body: string): Reply => ({ status: 200, body })
const ROLE = query('GetRole', `<Role><Path>/</Path><RoleName>vmimport</RoleName><RoleId>AROAEXAMPLEEXAMPLE1</RoleId><Arn>arn:aws:iam::${ACCOUNT}:role/vmimport</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${TRUST}</AssumeRolePolicyDocument></Role>`)

/** Every call answered as a working account would, with `arn` as the caller; `overrides` by call name. */
const account = (arn: string, overrides: Script = {}): Script => ({
  GetCallerIdentity: ok(query('GetCallerIdentity', `<Arn>${arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account>`)),
  GetBucketLocation: ok('<?xml version="1.0"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>'),
  HeadObject: { status: 200, body: '', headers: { 'content-length': '1048576', 'x-amz-server-side-encryption': 'AES256' } },
  GetBucketPolicy: { status: 404, body: s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist') },
  GetBucketLifecycleConfiguration: { status: 404, body: s3Error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist') },
  GetRole: ok(ROLE),
  ListRolePolicies: ok(query('ListRolePolicies', '<PolicyNames><member>vmimport</member></PolicyNames><IsTruncated>false</IsTruncated>')),
  GetRolePolicy: ok(query('GetRolePolicy', `<RoleName>vmimport</RoleName><PolicyName>vmimport</PolicyName><PolicyDocument>${POLICY}</PolicyDocument>`)),
  ListAttachedRolePolicies: ok(query('ListAttachedRolePolicies', '<AttachedPolicies/><IsTruncated>false</IsTruncated>')),
  SimulatePrincipalPolicy: ok(
    query('SimulatePrincipalPolicy', '<EvaluationResults><member><EvalActionName>iam:PassRole</EvalActionName><EvalResourceName>arn:aws:iam::123456789012:role/vmimport</EvalResourceName><EvalDecision>allowed</EvalDecision></member></EvaluationResults><IsTruncated>false</IsTruncated>'),
  ),
  ...overrides,
})

// Which call a request is: the query protocol's Action, or S3's method and sub-resource.
const callOf = (method: string, url: string, params: URLSearchParams): string => {
  const action = params.get('Action')
  if (action !== null) return action
  if (method === 'HEAD') return 'HeadObject'
  if (url.includes('?location')) return 'GetBucketLocation'
  if (url.includes('?policy')) return 'GetBucketPolicy'
  if (url.includes('?lifecycle')) return 'GetBucketLifecycleConfiguration'
  return `${method} ${url}`
}

describe('preflightImport with a scripted IAM/STS/S3', () => {
  let server: ScriptedServer
  beforeAll(async () => {
    server = await startScriptedServer()
  })
  afterAll(() => server.close())

  const run = async (script: Script, extra: { kmsKeyId?: string } = {}): Promise<{ report: PreflightReport; calls: Array<string> }> => {
    const from = server.requests.length
    server.script({
      custom: (_req, res) => {
        const last = server.requests[server.requests.length - 1]!
        const reply = script[callOf(last.method, last.url, last.params)] ?? { status: 500, body: queryError('InternalFailure', `unscripted ${last.url}`) }
        res.writeHead(reply.status, { 'content-type': 'text/xml', ...(reply.headers ?? {}) })
        res.end(last.method === 'HEAD' ? undefined : reply.body)
      },
    })
    const r = await preflightImport({
      config: { region: 'eu-west-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-key-never-shown' }, maxAttempts: 1 },
      bucket: 'images',
      key: 'web.vmdk',
      ...extra,
    })()
    if (r._tag === 'Left') throw new Error(r.left.message)
    const calls = server.requests.slice(from).map((q) => callOf(q.method, q.url, q.params))
    return { report: r.right, calls }
  }
  const status = (r: PreflightReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]))

  it('a working account: every readable check passes, and the preflight only reads', async () => {
    const { report, calls } = await run(account(`arn:aws:iam::${ACCOUNT}:user/builder`))
    expect(status(report)).toMatchObject({ caller: 'pass', 'bucket-region': 'pass', object: 'pass', role: 'pass', 'role-trust': 'pass', 'role-s3': 'pass', 'role-ec2': 'pass', 'pass-role': 'pass', 'bucket-lifecycle': 'warn', 'organization-policies': 'skipped' })
    expect(report.ok).toBe(true)
    expect(calls.every((c) => /^(Get|Head|List|Simulate)/.test(c)), calls.join()).toBe(true)
    const sim = server.requests.find((q) => q.params.get('Action') === 'SimulatePrincipalPolicy')!
    expect(sim.params.get('PolicySourceArn')).toBe(`arn:aws:iam::${ACCOUNT}:user/builder`)
    expect(sim.params.get('ActionNames.member.1')).toBe('iam:PassRole')
    expect(JSON.stringify(report)).not.toContain('secret-key-never-shown')
  })

  it('the root caller is a warn, not a fail; it may pass any role', async () => {
    const { report, calls } = await run(account(`arn:aws:iam::${ACCOUNT}:root`))
    expect(report.checks.find((c) => c.id === 'caller')).toMatchObject({ status: 'warn', message: expect.stringMatching(/root user/), fix: expect.stringMatching(/IAM user or role/) })
    expect(status(report)['pass-role']).toBe('pass')
    expect(calls).not.toContain('SimulatePrincipalPolicy')
    expect(report.ok).toBe(true)
  })

  it('an assumed-role caller is simulated as its role, read with its path', async () => {
    // Every GetRole is answered with the vmimport role: the source ARN is GetRole's, not `role/builder` made up.
    await run(account(`arn:aws:sts::${ACCOUNT}:assumed-role/builder/session-1`))
    const sim = server.requests.filter((q) => q.params.get('Action') === 'SimulatePrincipalPolicy').pop()!
    expect(sim.params.get('PolicySourceArn')).toBe(`arn:aws:iam::${ACCOUNT}:role/vmimport`)
  })

  it('a caller that may read neither IAM nor S3: those checks are skipped with the reason, none passes', async () => {
    const denied = (what: string): Reply => ({ status: 403, body: queryError('AccessDenied', `User is not authorized to perform: ${what}`) })
    const s3Denied: Reply = { status: 403, body: s3Error('AccessDenied', 'Access Denied') }
    const { report } = await run(
      account(`arn:aws:iam::${ACCOUNT}:user/builder`, {
        GetBucketLocation: s3Denied,
        HeadObject: { status: 403, body: '' },
        GetBucketPolicy: s3Denied,
        GetBucketLifecycleConfiguration: s3Denied,
        GetRole: denied('iam:GetRole'),
        SimulatePrincipalPolicy: denied('iam:SimulatePrincipalPolicy'),
      }),
    )
    expect(status(report)).toEqual({
      caller: 'pass',
      'bucket-region': 'skipped',
      object: 'skipped',
      role: 'skipped',
      'role-trust': 'skipped',
      'role-s3': 'skipped',
      'bucket-policy': 'skipped',
      'role-ec2': 'skipped',
      'role-kms': 'skipped',
      'pass-role': 'skipped',
      'bucket-lifecycle': 'skipped',
      'organization-policies': 'skipped',
    })
    for (const c of report.checks.filter((x) => x.status === 'skipped')) expect(c.message, c.id).toMatch(/^not checked: /)
    expect(report.checks.find((c) => c.id === 'role')?.message).toMatch(/may not read role vmimport .*AccessDenied/)
    expect(report.checks.find((c) => c.id === 'object')?.message).toMatch(/Forbidden/)
    expect(report.ok).toBe(true)
  })

  it('the role readable but not its policies: the permission checks warn, never pass', async () => {
    const denied: Reply = { status: 403, body: queryError('AccessDenied', 'not authorized') }
    const { report } = await run(account(`arn:aws:iam::${ACCOUNT}:user/builder`, { ListRolePolicies: denied, ListAttachedRolePolicies: denied, GetBucketPolicy: { status: 403, body: s3Error('AccessDenied', 'Access Denied') } }))
    expect(status(report)).toMatchObject({ role: 'pass', 'role-trust': 'pass', 'role-s3': 'warn', 'role-ec2': 'warn', 'bucket-policy': 'skipped' })
    expect(report.checks.find((c) => c.id === 'role-s3')?.message).toMatch(/ListRolePolicies: AccessDenied/)
  })

  it('iam:PassRole implicitly denied fails, with the fix', async () => {
    const { report } = await run(
      account(`arn:aws:iam::${ACCOUNT}:user/builder`, {
        SimulatePrincipalPolicy: ok(query('SimulatePrincipalPolicy', '<EvaluationResults><member><EvalActionName>iam:PassRole</EvalActionName><EvalDecision>implicitDeny</EvalDecision></member></EvaluationResults>')),
      }),
    )
    expect(report.checks.find((c) => c.id === 'pass-role')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/iam:PassRole/) })
    expect(report.ok).toBe(false)
  })

  it('the bucket in another region fails', async () => {
    const { report } = await run(account(`arn:aws:iam::${ACCOUNT}:user/builder`, { GetBucketLocation: ok('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>') }))
    expect(report.checks.find((c) => c.id === 'bucket-region')).toMatchObject({ status: 'fail', message: expect.stringMatching(/us-east-1/) })
  })

  it('credentials STS refuses: the caller fails and the report still comes back', async () => {
    const { report } = await run(account('x', { GetCallerIdentity: { status: 403, body: queryError('InvalidClientTokenId', 'The security token included in the request is invalid.') } }))
    expect(report.checks.find((c) => c.id === 'caller')).toMatchObject({ status: 'fail', message: expect.stringMatching(/InvalidClientTokenId/) })
    expect(report.ok).toBe(false)
  })

  it('a network failure is a Left, not a report', async () => {
    const r = await preflightImport({ config: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 }, bucket: 'b', key: 'k' })()
    expect(r._tag === 'Left' && r.left._tag).toBe('TransportError')
  })
})
