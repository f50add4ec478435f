import { readFileSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isCredentialsProviderError, memoizeCredentials, type CredentialsProviderError } from '../../../src/Credentials.js'
import { fromContainerMetadata } from '../../../src/internal/credentials/ContainerMetadata.js'
import { splitCommandLine } from '../../../src/internal/credentials/CredentialProcess.js'
import { defaultCredentialChain, fromEnv, fromIni, fromWebIdentityTokenFile } from '../../../src/internal/credentials/CredentialProviders.js'
import { fromInstanceMetadata } from '../../../src/internal/credentials/InstanceMetadata.js'
import { credentialsProfile, loadSharedConfig, parseIni, settingsProfile } from '../../../src/internal/config/SharedConfigFiles.js'
import { createStsClient, type StsClient } from '../../../src/internal/credentials/Sts.js'
import { isLoopbackHost, partitionOf, stsEndpointFor } from '../../../src/internal/config/Partition.js'
import {
  closedPort,
  expectNoSecrets,
  type FakeServer,
  nodeCommand,
  rejectionOf,
  startServer,
  stsErrorXml,
  stsSuccessXml,
  tempDir,
  verifySigV4,
} from '../../helpers/cred-fakes.js'

// Distinctive fake secrets: every error rendering is checked for them.
const SECRET = 'wJalr-FAKE-SECRET-do-not-leak-7c1e'
const TOKEN = 'FwoG-FAKE-SESSION-TOKEN-do-not-leak-7c1e'
const ROLE_SECRET = 'role-FAKE-SECRET-do-not-leak-93ab'
const ROLE_TOKEN = 'role-FAKE-SESSION-TOKEN-do-not-leak-93ab'
const WEB_TOKEN = 'eyJ-FAKE-WEB-IDENTITY-TOKEN-do-not-leak'
const ALL_SECRETS = [SECRET, TOKEN, ROLE_SECRET, ROLE_TOKEN, WEB_TOKEN]

const NOW = Date.parse('2026-01-01T00:00:00Z')
const LATER = '2026-01-01T06:00:00Z'

const asProviderError = (e: unknown): CredentialsProviderError => {
  expect(isCredentialsProviderError(e)).toBe(true)
  return e as CredentialsProviderError
}

let tmp: ReturnType<typeof tempDir>
const servers: FakeServer[] = []
const serve = async (...args: Parameters<typeof startServer>): Promise<FakeServer> => {
  const s = await startServer(...args)
  servers.push(s)
  return s
}

beforeEach(() => {
  tmp = tempDir()
})
afterEach(async () => {
  tmp.cleanup()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** An environment whose shared files live in the temp dir (the real home is never read). */
const files = (config: string, credentials: string, env: Record<string, string> = {}) => ({
  env: {
    AWS_CONFIG_FILE: tmp.file('config', config),
    AWS_SHARED_CREDENTIALS_FILE: tmp.file('credentials', credentials),
    ...env,
  },
  homedir: tmp.dir,
})

/** A fake STS that signs nothing itself but checks and records every call. */
const fakeSts = async (respond?: (form: URLSearchParams, i: number) => { status?: number; body: string } | undefined) =>
  serve((req, i) => {
    const form = new URLSearchParams(req.body)
    const r = respond?.(form, i)
    if (r !== undefined) return { status: r.status ?? 200, headers: { 'content-type': 'text/xml' }, body: r.body }
    return {
      headers: { 'content-type': 'text/xml' },
      body: stsSuccessXml(form.get('Action') as 'AssumeRole', {
        accessKeyId: `ASIAROLE${i}`,
        secretAccessKey: ROLE_SECRET,
        sessionToken: ROLE_TOKEN,
        expiration: LATER,
      }),
    }
  })

// -------------------------------------------------------------------------------------------------

describe('isLoopbackHost and partitions', () => {
  it('accepts only loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'LOCALHOST']) expect(isLoopbackHost(h), h).toBe(true)
    for (const h of ['10.0.0.1', '127.0.0.256', '127.0.0', 'example.com', '169.254.169.254', '[::2]', '128.0.0.1']) {
      expect(isLoopbackHost(h), h).toBe(false)
    }
  })

  it('maps regions to partitions and STS endpoints', () => {
    expect(partitionOf('eu-west-1').id).toBe('aws')
    expect(partitionOf('aws-global').id).toBe('aws')
    expect(partitionOf('cn-north-1').id).toBe('aws-cn')
    expect(partitionOf('us-gov-west-1').id).toBe('aws-us-gov')
    expect(partitionOf('us-iso-east-1').id).toBe('aws-iso')
    expect(partitionOf('us-isob-east-1').id).toBe('aws-iso-b')
    expect(partitionOf('mars-north-1').id).toBe('aws')
    expect(stsEndpointFor('us-east-1')).toBe('https://sts.us-east-1.amazonaws.com')
    expect(stsEndpointFor('cn-northwest-1')).toBe('https://sts.cn-northwest-1.amazonaws.com.cn')
    expect(stsEndpointFor('us-iso-east-1')).toBe('https://sts.us-iso-east-1.c2s.ic.gov')
  })
})

describe('parseIni and the shared files', () => {
  it('parses sections, comments, nested properties and odd names', () => {
    const ini = parseIni(
      [
        '# comment',
        '[default]',
        'region = eu-west-1 ; trailing comment',
        'aws_secret_access_key = abc#def',
        '[profile dev]  # comment after a section',
        's3 =',
        '  max_concurrent_requests = 10',
        'output = json',
        '[__proto__]',
        'x = 1',
        'orphan line without equals',
      ].join('\r\n'),
    )
    expect(ini.get('default')).toEqual({ region: 'eu-west-1', aws_secret_access_key: 'abc#def' })
    expect({ ...ini.get('profile dev') }).toEqual({ 's3.max_concurrent_requests': '10', output: 'json' })
    expect({ ...ini.get('__proto__') }).toEqual({ x: '1' })
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
  })

  it('reads [profile x] from config and [x] from credentials; credentials win for credentials, config for settings', () => {
    const env = files(
      '[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n[dev]\nregion = ignored\n[services s]\nec2 =\n  endpoint_url = http://localhost:1\n',
      '[dev]\naws_access_key_id = FROMCREDS\nregion = ap-south-1\n[profile x]\nregion = literal\n',
    )
    const shared = loadSharedConfig(env)
    expect(credentialsProfile(shared, 'dev')?.['aws_access_key_id']).toBe('FROMCREDS')
    expect(settingsProfile(shared, 'dev')?.['region']).toBe('eu-west-1')
    expect(settingsProfile(shared, 'default')?.['region']).toBe('us-east-1')
    expect(shared.services.get('s')?.['ec2.endpoint_url']).toBe('http://localhost:1')
    expect(shared.credentialsProfiles.has('profile x')).toBe(true)
    expect(shared.configProfiles.has('x')).toBe(false)
  })

  it('defaults to ~/.aws and treats missing files as empty', () => {
    tmp.file('.aws/credentials', '[default]\naws_access_key_id = HOMEKEY\naws_secret_access_key = s\n')
    const shared = loadSharedConfig({ env: {}, homedir: tmp.dir })
    expect(shared.credentialsFilePath).toBe(path.join(tmp.dir, '.aws', 'credentials'))
    expect(credentialsProfile(shared, 'default')?.['aws_access_key_id']).toBe('HOMEKEY')
    expect(shared.configProfiles.size).toBe(0)
    expect(shared.problems).toEqual([])
  })

  it('expands ~/ in file settings and reports unreadable files', () => {
    tmp.file('elsewhere/creds', '[a]\nregion = x\n')
    const shared = loadSharedConfig({
      env: { AWS_SHARED_CREDENTIALS_FILE: '~/elsewhere/creds', AWS_CONFIG_FILE: tmp.dir },
      homedir: tmp.dir,
    })
    expect(shared.credentialsProfiles.has('a')).toBe(true)
    expect(shared.problems.join()).toContain('EISDIR')
  })
})

describe('splitCommandLine', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    [`'/opt/my tool' --x "quoted \\"arg\\""`, ['/opt/my tool', '--x', 'quoted "arg"']],
    ['C:\\tools\\cred.exe --profile p', ['C:\\tools\\cred.exe', '--profile', 'p']],
    ['a\\ b c', ['a b', 'c']],
    ['x "" y', ['x', '', 'y']],
    ['  ', []],
  ])('splits %s', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words)
  })

  it('rejects an unterminated quote', () => {
    expect(splitCommandLine('a "b')).toBeUndefined()
  })
})

// -------------------------------------------------------------------------------------------------

describe('fromEnv', () => {
  it('reads keys, session token and expiration', async () => {
    const c = await fromEnv({
      env: {
        AWS_ACCESS_KEY_ID: 'AKIDENV',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_SESSION_TOKEN: TOKEN,
        AWS_CREDENTIAL_EXPIRATION: LATER,
      },
    })()
    expect(c).toEqual({ accessKeyId: 'AKIDENV', secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(LATER) })
  })

  it('omits absent optional members', async () => {
    const c = await fromEnv({ env: { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: '' } })()
    expect(Object.keys(c).sort()).toEqual(['accessKeyId', 'secretAccessKey'])
  })

  it('is not configured when no key is set', async () => {
    const e = asProviderError(await rejectionOf(fromEnv({ env: {} })()))
    expect(e.tryNextLink).toBe(true)
    expect(e.provider).toBe('fromEnv')
  })

  it('stops the chain on a half-set pair or a bad expiration, without leaking', async () => {
    const half = asProviderError(await rejectionOf(fromEnv({ env: { AWS_SECRET_ACCESS_KEY: SECRET } })()))
    expect(half.tryNextLink).toBe(false)
    expect(half.message).toContain('AWS_ACCESS_KEY_ID')
    expectNoSecrets(half, [SECRET])
    const bad = asProviderError(
      await rejectionOf(
        fromEnv({ env: { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN, AWS_CREDENTIAL_EXPIRATION: 'soon' } })(),
      ),
    )
    expect(bad.tryNextLink).toBe(false)
    expectNoSecrets(bad, ALL_SECRETS)
  })
})

// -------------------------------------------------------------------------------------------------

describe('createStsClient', () => {
  it('signs AssumeRole with the source credentials and parses real STS XML', async () => {
    const sts = await fakeSts()
    const client = createStsClient({ region: 'eu-central-1', endpoint: sts.url, now: () => NOW })
    const c = await client.assumeRole(
      { RoleArn: 'arn:aws:iam::123456789012:role/demo', RoleSessionName: 's1', ExternalId: 'ext id/+', DurationSeconds: 900 },
      { accessKeyId: 'AKIDSOURCE', secretAccessKey: SECRET, sessionToken: TOKEN },
    )
    expect(c).toEqual({ accessKeyId: 'ASIAROLE0', secretAccessKey: ROLE_SECRET, sessionToken: ROLE_TOKEN, expiration: new Date(LATER) })
    const req = sts.requests[0]!
    expect(req.method).toBe('POST')
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8')
    expect(req.body).toBe(
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo' +
        '&RoleSessionName=s1&ExternalId=ext%20id%2F%2B&DurationSeconds=900',
    )
    expect(req.headers['x-amz-date']).toBe('20260101T000000Z')
    expect(req.headers['x-amz-security-token']).toBe(TOKEN)
    const sig = verifySigV4(req, SECRET)
    expect(sig).toMatchObject({ accessKeyId: 'AKIDSOURCE', date: '20260101', region: 'eu-central-1', service: 'sts' })
    expect(sig.signedHeaders).toContain('host')
    expect(sig.signedHeaders).toContain('x-amz-security-token')
  })

  it('is checked by a SigV4 verifier that notices a wrong key or a changed body', async () => {
    const sts = await fakeSts()
    await createStsClient({ region: 'us-east-1', endpoint: sts.url }).assumeRole(
      { RoleArn: 'arn:r', RoleSessionName: 's' },
      { accessKeyId: 'AKIDSOURCE', secretAccessKey: SECRET },
    )
    const req = sts.requests[0]!
    expect(verifySigV4(req, SECRET).accessKeyId).toBe('AKIDSOURCE')
    expect(() => verifySigV4(req, 'another-secret')).toThrow()
    expect(() => verifySigV4({ ...req, body: `${req.body}&x=1` }, SECRET)).toThrow()
  })

  it('sends AssumeRoleWithWebIdentity unsigned', async () => {
    const sts = await fakeSts()
    const client = createStsClient({ region: 'us-east-1', endpoint: sts.url })
    const c = await client.assumeRoleWithWebIdentity({ RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 'w', WebIdentityToken: WEB_TOKEN })
    expect(c.accessKeyId).toBe('ASIAROLE0')
    const req = sts.requests[0]!
    expect(req.headers['authorization']).toBeUndefined()
    const form = new URLSearchParams(req.body)
    expect(form.get('Action')).toBe('AssumeRoleWithWebIdentity')
    expect(form.get('WebIdentityToken')).toBe(WEB_TOKEN)
    expect(form.has('DurationSeconds')).toBe(false)
  })

  it('maps the STS error envelope to an error with the code and no secrets', async () => {
    const sts = await fakeSts(() => ({
      status: 403,
      body: stsErrorXml('AccessDenied', 'User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole'),
    }))
    const client = createStsClient({ region: 'us-east-1', endpoint: sts.url })
    const e = asProviderError(
      await rejectionOf(
        client.assumeRole({ RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 's' }, { accessKeyId: 'A', secretAccessKey: SECRET, sessionToken: TOKEN }),
      ),
    )
    expect(e.code).toBe('AccessDenied')
    expect(e.statusCode).toBe(403)
    expect(e.tryNextLink).toBe(false)
    expect(e.message).toContain('not authorized')
    expect(e.message).toContain('4f3c1f0e-0000-4a4a-8f8f-000000000000')
    expect(sts.requests).toHaveLength(1)
    expectNoSecrets(e, ALL_SECRETS)
  })

  it('retries throttling and 5xx, then succeeds', async () => {
    const sts = await fakeSts((_form, i) =>
      i === 0 ? { status: 400, body: stsErrorXml('Throttling', 'Rate exceeded') } : i === 1 ? { status: 503, body: '<html>busy</html>' } : undefined,
    )
    const client = createStsClient({ region: 'us-east-1', endpoint: sts.url, retryDelayMs: 0 })
    const c = await client.assumeRoleWithWebIdentity({ RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 's', WebIdentityToken: WEB_TOKEN })
    expect(c.accessKeyId).toBe('ASIAROLE2')
    expect(sts.requests).toHaveLength(3)
  })

  it('gives up after maxAttempts on a non-STS error page', async () => {
    const sts = await fakeSts(() => ({ status: 502, body: '<html>bad gateway</html>' }))
    const client = createStsClient({ region: 'us-east-1', endpoint: sts.url, retryDelayMs: 0, maxAttempts: 2 })
    const e = asProviderError(
      await rejectionOf(client.assumeRoleWithWebIdentity({ RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 's', WebIdentityToken: WEB_TOKEN })),
    )
    expect(e.statusCode).toBe(502)
    expect(sts.requests).toHaveLength(2)
    expectNoSecrets(e, ALL_SECRETS)
  })

  it('never quotes a 200 body that lacks credentials', async () => {
    const sts = await fakeSts(() => ({ body: `<AssumeRoleResponse><AssumeRoleResult><Credentials><SecretAccessKey>${ROLE_SECRET}</SecretAccessKey></Credentials></AssumeRoleResult></AssumeRoleResponse>` }))
    const client = createStsClient({ region: 'us-east-1', endpoint: sts.url })
    const e = await rejectionOf(client.assumeRole({ RoleArn: 'arn:r', RoleSessionName: 's' }, { accessKeyId: 'A', secretAccessKey: SECRET }))
    expect(asProviderError(e).message).toContain('without credentials')
    expectNoSecrets(e, ALL_SECRETS)
  })

  it('refuses http:// for a non-loopback endpoint and rejects (does not throw) on bad config', async () => {
    const client = createStsClient({ region: 'us-east-1', endpoint: 'http://sts.example.com' })
    const e = asProviderError(await rejectionOf(client.assumeRole({ RoleArn: 'r', RoleSessionName: 's' }, { accessKeyId: 'A', secretAccessKey: SECRET })))
    expect(e.message).toContain('http://')
    const bad = createStsClient({ region: 'us-east-1', endpoint: 'not a url' })
    expect(asProviderError(await rejectionOf(bad.assumeRoleWithWebIdentity({ RoleArn: 'r', RoleSessionName: 's', WebIdentityToken: WEB_TOKEN }))).message).toContain('valid URL')
  })

  it('reports a network failure after its attempts', async () => {
    const port = await closedPort()
    const client = createStsClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, retryDelayMs: 0, maxAttempts: 2 })
    const e = asProviderError(await rejectionOf(client.assumeRoleWithWebIdentity({ RoleArn: 'r', RoleSessionName: 's', WebIdentityToken: WEB_TOKEN })))
    expect(e.message).toContain('ECONNREFUSED')
    expectNoSecrets(e, ALL_SECRETS)
  })
})

// -------------------------------------------------------------------------------------------------

describe('fromIni', () => {
  it('reads static keys of the default profile from the credentials file', async () => {
    const env = files('', `[default]\naws_access_key_id = AKIDINI\naws_secret_access_key = ${SECRET}\naws_session_token = ${TOKEN}\n`)
    expect(await fromIni(env)()).toEqual({ accessKeyId: 'AKIDINI', secretAccessKey: SECRET, sessionToken: TOKEN })
  })

  it('selects the profile from the option, else AWS_PROFILE', async () => {
    const env = files(
      `[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = ${SECRET}\n`,
      `[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = ${SECRET}\n`,
      { AWS_PROFILE: 'other' },
    )
    expect((await fromIni(env)()).accessKeyId).toBe('AKIDOTHER')
    expect((await fromIni({ ...env, profile: 'cfg' })()).accessKeyId).toBe('AKIDCFG')
  })

  it('is not configured when the default profile is missing or holds no credentials', async () => {
    const missing = asProviderError(await rejectionOf(fromIni(files('', ''))()))
    expect(missing.tryNextLink).toBe(true)
    expect(missing.message).toContain('profile "default" not found')
    const regionOnly = asProviderError(await rejectionOf(fromIni(files('[default]\nregion = eu-west-1\n', ''))()))
    expect(regionOnly.tryNextLink).toBe(true)
  })

  it('stops the chain when an explicitly selected profile is missing', async () => {
    const e = asProviderError(await rejectionOf(fromIni({ ...files('', ''), profile: 'prod' })()))
    expect(e.tryNextLink).toBe(false)
    expect(e.message).toContain('"prod"')
  })

  it('rejects half a key pair, console-login profiles and MFA profiles with a clear message', async () => {
    const half = asProviderError(await rejectionOf(fromIni(files('', `[default]\naws_secret_access_key = ${SECRET}\n`))()))
    expect(half.tryNextLink).toBe(false)
    expectNoSecrets(half, [SECRET])
    const login = asProviderError(await rejectionOf(fromIni(files('[default]\nlogin_session = arn:aws:iam::1:user/me\n', ''))()))
    expect(login.message).toContain('@aws-sdk/credential-provider-login')
    const mfa = asProviderError(
      await rejectionOf(
        fromIni(files('[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nmfa_serial = arn:mfa\n[profile base]\naws_access_key_id = A\naws_secret_access_key = B\n', ''))(),
      ),
    )
    expect(mfa.message).toContain('MFA')
  })

  describe('IAM Identity Center (SSO) profiles', () => {
    const ACCESS_TOKEN = 'aoaAAAAAGexampleSsoAccessTokenValue0123456789'
    const ROLE_SECRET = 'ssoRoleSecretAccessKeyEXAMPLE0123456789ab'
    const ROLE_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLEssoRoleSessionToken'
    const expiresMs = Date.parse('2030-01-01T00:00:00Z')
    const now = () => Date.parse('2029-12-31T12:00:00Z')

    /** A fake SSO portal: GetRoleCredentials for one account/role and one bearer token. */
    const fakePortal = (respond?: () => { status: number; body: string } | undefined) =>
      serve((req) => {
        const custom = respond?.()
        if (custom !== undefined) return custom
        const url = new URL(req.url, 'http://x')
        if (req.method !== 'GET' || url.pathname !== '/federation/credentials') return { status: 404 }
        if (req.headers['x-amz-sso_bearer_token'] !== ACCESS_TOKEN) {
          return { status: 401, body: JSON.stringify({ message: 'Session token not found or invalid' }) }
        }
        if (url.searchParams.get('account_id') !== '111122223333' || url.searchParams.get('role_name') !== 'Importer') {
          return { status: 403, body: JSON.stringify({ message: 'No access' }) }
        }
        return {
          body: JSON.stringify({ roleCredentials: { accessKeyId: 'ASIASSO', secretAccessKey: ROLE_SECRET, sessionToken: ROLE_TOKEN, expiration: expiresMs } }),
        }
      })
    /** `aws sso login`'s cache file for a session name or start URL, under the temp home. */
    const cacheToken = (key: string, doc: object) => {
      const name = createHash('sha1').update(key).digest('hex')
      tmp.file(path.join('.aws', 'sso', 'cache', `${name}.json`), JSON.stringify(doc))
    }
    const validToken = { accessToken: ACCESS_TOKEN, expiresAt: '2029-12-31T20:00:00Z', region: 'us-east-1', startUrl: 'https://corp.awsapps.com/start' }

    it('reads an sso_session profile: the token cached under sha1(session name), GetRoleCredentials with it', async () => {
      const portal = await fakePortal()
      cacheToken('corp', validToken)
      const config =
        '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
      const c = await fromIni({ ...files(config, '', { AWS_ENDPOINT_URL_SSO: portal.url }), profile: 'dev', now })()
      expect(c).toEqual({ accessKeyId: 'ASIASSO', secretAccessKey: ROLE_SECRET, sessionToken: ROLE_TOKEN, expiration: new Date(expiresMs) })
      expect(portal.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /federation/credentials?role_name=Importer&account_id=111122223333'])
    })

    it('reads a legacy profile: start URL and region in the profile, the token cached under sha1(start URL)', async () => {
      const portal = await fakePortal()
      cacheToken('https://corp.awsapps.com/start', validToken)
      const config =
        '[default]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n' +
        'sso_account_id = 111122223333\nsso_role_name = Importer\n'
      const c = await fromIni({ ...files(config, '', { AWS_ENDPOINT_URL_SSO: portal.url }), now })()
      expect(c.accessKeyId).toBe('ASIASSO')
    })

    it('an expired or missing login says to run aws sso login, and nothing is sent', async () => {
      const portal = await fakePortal()
      const config = '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
      const missing = asProviderError(await rejectionOf(fromIni({ ...files(config, '', { AWS_ENDPOINT_URL_SSO: portal.url }), profile: 'dev', now })()))
      expect(missing.message).toContain('aws sso login --profile dev')
      expect(missing.tryNextLink).toBe(false)
      cacheToken('corp', { ...validToken, expiresAt: '2029-12-31T11:00:00Z' })
      const expired = asProviderError(await rejectionOf(fromIni({ ...files(config, '', { AWS_ENDPOINT_URL_SSO: portal.url }), profile: 'dev', now })()))
      expect(expired.message).toContain('expired')
      expect(expired.message).toContain('aws sso login --profile dev')
      expectNoSecrets(expired, [ACCESS_TOKEN])
      expect(portal.requests).toEqual([])
    })

    it('a token the portal refuses, or a role it refuses, is an error that keeps the token out', async () => {
      const portal = await fakePortal()
      cacheToken('corp', { ...validToken, accessToken: `${ACCESS_TOKEN}-revoked` })
      const config = '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
      const refused = asProviderError(await rejectionOf(fromIni({ ...files(config, '', { AWS_ENDPOINT_URL_SSO: portal.url }), profile: 'dev', now })()))
      expect(refused.message).toContain('Session token not found or invalid')
      expect(refused.message).toContain('aws sso login')
      expectNoSecrets(refused, [ACCESS_TOKEN])
      cacheToken('corp', validToken)
      const otherRole = config.replace('Importer', 'Admin')
      const forbidden = asProviderError(await rejectionOf(fromIni({ ...files(otherRole, '', { AWS_ENDPOINT_URL_SSO: portal.url }), profile: 'dev', now })()))
      expect(forbidden.message).toContain('role Admin in account 111122223333')
      expect(forbidden.message).toContain('No access')
    })

    it('retries throttling and 5xx, then succeeds', async () => {
      let calls = 0
      const portal = await fakePortal(() => (++calls <= 2 ? { status: calls === 1 ? 429 : 503, body: '{}' } : undefined))
      cacheToken('corp', validToken)
      const config = '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
      const c = await fromIni({ ...files(config, '', { AWS_ENDPOINT_URL_SSO: portal.url }), profile: 'dev', now })()
      expect(c.accessKeyId).toBe('ASIASSO')
      expect(portal.requests).toHaveLength(3)
    })

    it('checks the configuration: a missing session section, conflicting settings, missing account or role', async () => {
      const base = '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\n'
      const session = '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
      const message = async (config: string) => asProviderError(await rejectionOf(fromIni({ ...files(config, ''), profile: 'dev', now })())).message
      expect(await message(base)).toContain('no [sso-session corp] section')
      expect(await message(base + 'sso_region = us-west-2\n' + session)).toContain('sso_region to a different value')
      expect(await message(base.replace('sso_role_name = Importer\n', '') + session)).toContain('sso_account_id and sso_role_name')
      expect(await message('[profile dev]\nsso_account_id = 1\nsso_role_name = R\n')).toContain('sso_start_url and sso_region')
      // a region is a host-name label: nothing else may steer the token to another host
      expect(await message(base + session.replace('eu-west-1', 'evil.example/x'))).toContain('not a valid region name')
    })

    describe('refreshing the access token of an sso_session (SSO OIDC CreateToken), as the AWS SDKs do', () => {
      const CLIENT_SECRET = 'clientSecretEXAMPLEvalue0123456789abcdef'
      const REFRESH_TOKEN = 'refreshTokenEXAMPLEvalue0123456789abcdef'
      const NEW_TOKEN = 'aoaNEWaccessTokenEXAMPLE0123456789abcdefgh'
      const config =
        '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
      const cacheFile = () => path.join(tmp.dir, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`)
      const registered = {
        ...validToken,
        clientId: 'client-id-1',
        clientSecret: CLIENT_SECRET,
        refreshToken: REFRESH_TOKEN,
        registrationExpiresAt: '2030-06-01T00:00:00Z',
      }
      /** A fake SSO OIDC: CreateToken with grantType refresh_token, and the portal, on one server. */
      const fakeOidcAndPortal = (oidc: (body: Record<string, unknown>) => { status: number; body: string }) =>
        serve((req) => {
          if (req.method === 'POST' && req.url === '/token') return oidc(JSON.parse(req.body) as Record<string, unknown>)
          const ok = req.headers['x-amz-sso_bearer_token'] === NEW_TOKEN || req.headers['x-amz-sso_bearer_token'] === ACCESS_TOKEN
          return ok
            ? { body: JSON.stringify({ roleCredentials: { accessKeyId: `ASIA-${String(req.headers['x-amz-sso_bearer_token']).slice(0, 6)}`, secretAccessKey: ROLE_SECRET, sessionToken: ROLE_TOKEN, expiration: expiresMs } }) }
            : { status: 401, body: JSON.stringify({ message: 'Session token not found or invalid' }) }
        })
      const env = (url: string) => ({ AWS_ENDPOINT_URL_SSO: url, AWS_ENDPOINT_URL_SSO_OIDC: url })

      it('refreshes a token within 5 minutes of its expiry, uses the new one and writes it back to the cache', async () => {
        const server = await fakeOidcAndPortal((body) =>
          body['grantType'] === 'refresh_token' && body['refreshToken'] === REFRESH_TOKEN && body['clientSecret'] === CLIENT_SECRET
            ? { status: 200, body: JSON.stringify({ accessToken: NEW_TOKEN, expiresIn: 3600, refreshToken: 'rotated-refresh', tokenType: 'Bearer' }) }
            : { status: 400, body: JSON.stringify({ error: 'invalid_grant' }) },
        )
        cacheToken('corp', { ...registered, expiresAt: new Date(now() + 2 * 60_000).toISOString() })
        const c = await fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()
        expect(c.accessKeyId).toBe('ASIA-aoaNEW')
        expect(server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['POST /token', 'GET /federation/credentials'])
        const written = JSON.parse(readFileSync(cacheFile(), 'utf8')) as Record<string, unknown>
        expect(written).toEqual({ ...registered, accessToken: NEW_TOKEN, expiresAt: new Date(now() + 3_600_000).toISOString(), refreshToken: 'rotated-refresh' })
      })

      it('does not refresh a token with more than 5 minutes left', async () => {
        const server = await fakeOidcAndPortal(() => ({ status: 500, body: '' }))
        cacheToken('corp', { ...registered, expiresAt: new Date(now() + 10 * 60_000).toISOString() })
        const c = await fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()
        expect(c.accessKeyId).toBe('ASIA-aoaAAA')
        expect(server.requests.map((r) => r.method)).toEqual(['GET'])
      })

      it('a failed refresh keeps a token that is still valid, and is an error that says to log in once it has expired', async () => {
        const server = await fakeOidcAndPortal(() => ({ status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'expired refresh token' }) }))
        cacheToken('corp', { ...registered, expiresAt: new Date(now() + 60_000).toISOString() })
        const stillValid = await fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()
        expect(stillValid.accessKeyId).toBe('ASIA-aoaAAA')
        expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
        // expired now; the refresh that just failed is not tried again within 30 s
        cacheToken('corp', { ...registered, expiresAt: new Date(now() - 60_000).toISOString() })
        const e = asProviderError(await rejectionOf(fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()))
        expect(e.message).toContain('aws sso login --profile dev')
        expect(e.message).toContain('less than 30 seconds ago')
        expectNoSecrets(e, [ACCESS_TOKEN, CLIENT_SECRET, REFRESH_TOKEN])
        expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
      })

      it('retries a refresh the service could not answer (5xx), and says why when it gives up', async () => {
        let calls = 0
        const server = await fakeOidcAndPortal(() =>
          ++calls < 3 ? { status: 503, body: '' } : { status: 200, body: JSON.stringify({ accessToken: NEW_TOKEN, expiresIn: 3600 }) },
        )
        cacheToken('corp', { ...registered, expiresAt: new Date(now() - 60_000).toISOString() })
        const c = await fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()
        expect(c.accessKeyId).toBe('ASIA-aoaNEW')
        expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(3)

        const down = await fakeOidcAndPortal(() => ({ status: 503, body: '' }))
        cacheToken('corp', { ...registered, expiresAt: new Date(now() - 60_000).toISOString() })
        const e = asProviderError(await rejectionOf(fromIni({ ...files(config, '', env(down.url)), profile: 'dev', now })()))
        expect(e.message).toContain('refreshing it failed after 3 attempts: HTTP 503')
      })

      it('callers that need the same token at once share one refresh', async () => {
        const server = await fakeOidcAndPortal(() => ({ status: 200, body: JSON.stringify({ accessToken: NEW_TOKEN, expiresIn: 3600 }) }))
        cacheToken('corp', { ...registered, expiresAt: new Date(now() - 60_000).toISOString() })
        const p = fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })
        const all = await Promise.all([p(), p(), p()])
        expect(all.map((c) => c.accessKeyId)).toEqual(['ASIA-aoaNEW', 'ASIA-aoaNEW', 'ASIA-aoaNEW'])
        expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
      })

      it('writes the refreshed token for its owner only, and never to disk when the environment brings its own reader', async () => {
        const server = await fakeOidcAndPortal(() => ({ status: 200, body: JSON.stringify({ accessToken: NEW_TOKEN, expiresIn: 3600 }) }))
        cacheToken('corp', { ...registered, expiresAt: new Date(now() - 60_000).toISOString() })
        await fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()
        expect(statSync(cacheFile()).mode & 0o777).toBe(0o600)

        cacheToken('corp', { ...registered, expiresAt: new Date(now() - 60_000).toISOString() })
        const before = readFileSync(cacheFile(), 'utf8')
        const reader = (p: string) => readFileSync(p, 'utf8')
        const c = await fromIni({ ...files(config, '', env(server.url)), readFile: reader, profile: 'dev', now })()
        expect(c.accessKeyId).toBe('ASIA-aoaNEW')
        expect(readFileSync(cacheFile(), 'utf8')).toBe(before)
        // ...unless it brings its writer too
        const writes: Array<string> = []
        cacheToken('corp', { ...registered, expiresAt: new Date(now() - 60_000).toISOString(), clientId: 'client-id-2' })
        await fromIni({ ...files(config, '', env(server.url)), readFile: reader, writeFile: (p: string) => void writes.push(p), profile: 'dev', now })()
        expect(writes).toEqual([cacheFile()])
      })

      it('cannot refresh without a client registration, or once the registration has expired', async () => {
        const server = await fakeOidcAndPortal(() => ({ status: 200, body: JSON.stringify({ accessToken: NEW_TOKEN, expiresIn: 3600 }) }))
        cacheToken('corp', { ...validToken, expiresAt: new Date(now() - 60_000).toISOString() })
        const none = asProviderError(await rejectionOf(fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()))
        expect(none.message).toContain('expired')
        cacheToken('corp', { ...registered, registrationExpiresAt: '2029-01-01T00:00:00Z', expiresAt: new Date(now() - 60_000).toISOString() })
        const lapsed = asProviderError(await rejectionOf(fromIni({ ...files(config, '', env(server.url)), profile: 'dev', now })()))
        expect(lapsed.message).toContain('expired')
        expect(server.requests).toEqual([])
      })
    })

    it('goes to the portal of the session region by default (https), and refuses a plain-http endpoint off loopback', async () => {
      cacheToken('corp', validToken)
      const config = '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
      const plain = asProviderError(await rejectionOf(fromIni({ ...files(config, '', { AWS_ENDPOINT_URL_SSO: 'http://portal.example.com' }), profile: 'dev', now })()))
      expect(plain.message).toContain('plain http is allowed only for loopback')
    })
  })

  describe('credential_process', () => {
    const script = (body: string) => tmp.file('proc.mjs', body)

    it('runs the process with a shell-like split and parses its JSON', async () => {
      const p = script(`
        const [, , a, b] = process.argv
        process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROC-' + a + '-' + b + '-' + process.env.MARK,
          SecretAccessKey: ${JSON.stringify(SECRET)}, SessionToken: ${JSON.stringify(TOKEN)}, Expiration: ${JSON.stringify(LATER)} }))
      `)
      const env = files(`[default]\ncredential_process = ${nodeCommand(p, 'one word', 'two')}\n`, '', { MARK: 'env-passed' })
      const c = await fromIni({ ...env, now: () => NOW })()
      expect(c).toEqual({
        accessKeyId: 'AKIDPROC-one word-two-env-passed',
        secretAccessKey: SECRET,
        sessionToken: TOKEN,
        expiration: new Date(LATER),
      })
    })

    it('rejects malformed JSON without quoting the output', async () => {
      const p = script(`process.stdout.write('{"Version": 1, "SecretAccessKey": ${JSON.stringify(SECRET)}, oops')`)
      const e = asProviderError(await rejectionOf(fromIni(files(`[default]\ncredential_process = ${nodeCommand(p)}\n`, ''))()))
      expect(e.tryNextLink).toBe(false)
      expect(e.message).toContain('valid JSON')
      expect(e.message).toContain('"node')
      expectNoSecrets(e, ALL_SECRETS)
    })

    it.each([
      [{ Version: 2, AccessKeyId: 'A', SecretAccessKey: SECRET }, 'Version 2'],
      [{ Version: 1, SecretAccessKey: SECRET }, 'AccessKeyId'],
      [{ Version: 1, AccessKeyId: 'A', SecretAccessKey: SECRET, Expiration: '2020-01-01T00:00:00Z' }, 'expired'],
      [{ Version: 1, AccessKeyId: 'A', SecretAccessKey: SECRET, Expiration: 'never' }, 'ISO 8601'],
    ])('rejects %j', async (doc, problem) => {
      const p = script(`process.stdout.write(${JSON.stringify(JSON.stringify(doc))})`)
      const e = await rejectionOf(fromIni({ ...files(`[default]\ncredential_process = ${nodeCommand(p)}\n`, ''), now: () => NOW })())
      expect(asProviderError(e).message).toContain(problem)
      expectNoSecrets(e, ALL_SECRETS)
    })

    it('reports the exit code and stderr, but not the arguments', async () => {
      const p = script(`process.stderr.write('session expired, run login\\n'); process.exit(3)`)
      const e = asProviderError(
        await rejectionOf(fromIni(files(`[default]\ncredential_process = ${nodeCommand(p, '--password', 'hunter2-secret-arg')}\n`, ''))()),
      )
      expect(e.message).toContain('exited with code 3')
      expect(e.message).toContain('session expired, run login')
      expectNoSecrets(e, ['hunter2-secret-arg'])
    })

    it('reports a program that cannot be started', async () => {
      const e = asProviderError(await rejectionOf(fromIni(files(`[default]\ncredential_process = ${path.join(tmp.dir, 'missing-binary')}\n`, ''))()))
      expect(e.message).toContain('ENOENT')
    })

    it('kills a process that outlives its timeout', async () => {
      const p = script(`setTimeout(() => {}, 10_000)`)
      const e = asProviderError(
        await rejectionOf(fromIni({ ...files(`[default]\ncredential_process = ${nodeCommand(p)}\n`, ''), processTimeoutMs: 200 })()),
      )
      expect(e.message).toContain('killed')
    })
  })

  describe('assume role', () => {
    const stsEnv = (sts: FakeServer, config: string, credentials = '', extra: Record<string, string> = {}) =>
      files(config, credentials, { AWS_ENDPOINT_URL_STS: sts.url, ...extra })

    it('assumes role_arn with source_profile keys, signing with the source key, in the profile region', async () => {
      const sts = await fakeSts()
      const env = stsEnv(
        sts,
        '[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\nrole_session_name = me\nexternal_id = xid\nduration_seconds = 1800\nregion = ap-southeast-2\n',
        `[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = ${SECRET}\n`,
      )
      const c = await fromIni({ ...env, profile: 'app', now: () => NOW })()
      expect(c).toEqual({ accessKeyId: 'ASIAROLE0', secretAccessKey: ROLE_SECRET, sessionToken: ROLE_TOKEN, expiration: new Date(LATER) })
      const req = sts.requests[0]!
      const form = new URLSearchParams(req.body)
      expect(Object.fromEntries(form)).toEqual({
        Action: 'AssumeRole',
        Version: '2011-06-15',
        RoleArn: 'arn:aws:iam::123456789012:role/app',
        RoleSessionName: 'me',
        ExternalId: 'xid',
        DurationSeconds: '1800',
      })
      expect(verifySigV4(req, SECRET)).toMatchObject({ accessKeyId: 'AKIDBASE', region: 'ap-southeast-2', service: 'sts' })
      expect(req.headers['x-amz-security-token']).toBeUndefined()
    })

    it('follows a source_profile chain, signing each hop with the previous credentials', async () => {
      const sts = await fakeSts()
      const env = stsEnv(
        sts,
        '[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n',
        `[c]\naws_access_key_id = AKIDC\naws_secret_access_key = ${SECRET}\n`,
      )
      const c = await fromIni({ ...env, profile: 'a', region: 'us-west-2', now: () => NOW })()
      expect(c.accessKeyId).toBe('ASIAROLE1')
      expect(sts.requests.map((r) => new URLSearchParams(r.body).get('RoleArn'))).toEqual(['arn:aws:iam::1:role/b', 'arn:aws:iam::1:role/a'])
      expect(verifySigV4(sts.requests[0]!, SECRET)).toMatchObject({ accessKeyId: 'AKIDC', region: 'us-west-2' })
      expect(verifySigV4(sts.requests[1]!, ROLE_SECRET)).toMatchObject({ accessKeyId: 'ASIAROLE0' })
      expect(sts.requests[1]!.headers['x-amz-security-token']).toBe(ROLE_TOKEN)
      expect(new URLSearchParams(sts.requests[0]!.body).get('RoleSessionName')).toBe(`ec2-import-image-${NOW}`)
    })

    it('detects a source_profile cycle', async () => {
      const sts = await fakeSts()
      const env = stsEnv(sts, '[profile a]\nrole_arn = arn:r:a\nsource_profile = b\n[profile b]\nrole_arn = arn:r:b\nsource_profile = a\n')
      const e = asProviderError(await rejectionOf(fromIni({ ...env, profile: 'a' })()))
      expect(e.tryNextLink).toBe(false)
      expect(e.message).toContain('cycle')
      expect(e.message).toContain('"a" -> "b" -> "a"')
      expect(sts.requests).toHaveLength(0)
    })

    it('lets a profile with its own keys be its own source', async () => {
      const sts = await fakeSts()
      const env = stsEnv(sts, '', `[self]\nrole_arn = arn:r:self\nsource_profile = self\naws_access_key_id = AKIDSELF\naws_secret_access_key = ${SECRET}\n`)
      expect((await fromIni({ ...env, profile: 'self' })()).accessKeyId).toBe('ASIAROLE0')
      expect(verifySigV4(sts.requests[0]!, SECRET).accessKeyId).toBe('AKIDSELF')
    })

    it('reports a missing or empty source profile', async () => {
      const sts = await fakeSts()
      const missing = asProviderError(await rejectionOf(fromIni(stsEnv(sts, '[default]\nrole_arn = arn:r\nsource_profile = ghost\n'))()))
      expect(missing.tryNextLink).toBe(false)
      expect(missing.message).toContain('"ghost"')
      const empty = asProviderError(
        await rejectionOf(fromIni(stsEnv(sts, '[default]\nrole_arn = arn:r\nsource_profile = e\n[profile e]\nregion = x\n'))()),
      )
      expect(empty.message).toContain('holds no credentials')
    })

    it('uses credential_source = Environment', async () => {
      const sts = await fakeSts()
      const env = stsEnv(sts, '[default]\nrole_arn = arn:r:env\ncredential_source = Environment\n', '', {
        AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
        AWS_SECRET_ACCESS_KEY: SECRET,
      })
      expect((await fromIni(env)()).accessKeyId).toBe('ASIAROLE0')
      expect(verifySigV4(sts.requests[0]!, SECRET).accessKeyId).toBe('AKIDFROMENV')
    })

    it('turns an unconfigured credential_source into a chain-stopping error', async () => {
      const sts = await fakeSts()
      const e = asProviderError(await rejectionOf(fromIni(stsEnv(sts, '[default]\nrole_arn = arn:r\ncredential_source = Environment\n'))()))
      expect(e.tryNextLink).toBe(false)
      expect(e.message).toContain('credential_source Environment')
      const bad = asProviderError(await rejectionOf(fromIni(stsEnv(sts, '[default]\nrole_arn = arn:r\ncredential_source = Floppy\n'))()))
      expect(bad.message).toContain('Floppy')
    })

    it('uses credential_source = EcsContainer and Ec2InstanceMetadata', async () => {
      const sts = await fakeSts()
      const ecs = await serve(() => ({ body: JSON.stringify({ AccessKeyId: 'AKIDECS', SecretAccessKey: SECRET, Token: TOKEN, Expiration: LATER }) }))
      const c = await fromIni({
        ...stsEnv(sts, '[default]\nrole_arn = arn:r:ecs\ncredential_source = EcsContainer\n', '', {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecs.url}/creds`,
        }),
      })()
      expect(c.accessKeyId).toBe('ASIAROLE0')
      expect(verifySigV4(sts.requests[0]!, SECRET).accessKeyId).toBe('AKIDECS')

      const imds = await serve((req) =>
        req.method === 'PUT'
          ? { body: 'tok' }
          : req.url.endsWith('/security-credentials/')
            ? { body: 'r' }
            : { body: JSON.stringify({ Code: 'Success', AccessKeyId: 'AKIDIMDS', SecretAccessKey: SECRET, Token: TOKEN, Expiration: LATER }) },
      )
      const c2 = await fromIni({
        ...stsEnv(sts, '[default]\nrole_arn = arn:r:imds\ncredential_source = Ec2InstanceMetadata\n', '', {
          AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
        }),
      })()
      expect(c2.accessKeyId).toBe('ASIAROLE1')
      expect(verifySigV4(sts.requests[1]!, SECRET).accessKeyId).toBe('AKIDIMDS')
    })

    it('credential_source = Ec2InstanceMetadata keeps its last credentials through an IMDS outage (static stability)', async () => {
      const sts = await fakeSts()
      let down = false
      const imds = await serve((req) =>
        down
          ? { status: 500 }
          : req.method === 'PUT'
            ? { body: 'tok' }
            : req.url.endsWith('/security-credentials/')
              ? { body: 'r' }
              : { body: JSON.stringify({ Code: 'Success', AccessKeyId: 'AKIDIMDS', SecretAccessKey: SECRET, Token: TOKEN, Expiration: '2099-01-01T00:00:00Z' }) },
      )
      const p = fromIni({
        ...stsEnv(sts, '[default]\nrole_arn = arn:r:imds\ncredential_source = Ec2InstanceMetadata\n', '', { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }),
        instanceMetadata: { maxAttempts: 1 },
      })
      await p()
      down = true
      const again = await p()
      expect(again.accessKeyId).toMatch(/^ASIAROLE/)
      expect(sts.requests.map((r) => verifySigV4(r, SECRET).accessKeyId)).toEqual(['AKIDIMDS', 'AKIDIMDS'])
    })

    describe('a role that requires MFA (mfa_serial)', () => {
      const config =
        '[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/importer\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n'
      const keys = `[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = ${SECRET}\n`

      it('asks mfaCodeProvider for the code of the named device and sends it with AssumeRole', async () => {
        const sts = await fakeSts()
        const asked: Array<string> = []
        const c = await fromIni({
          ...stsEnv(sts, config, keys),
          profile: 'mfa',
          mfaCodeProvider: async (serial) => {
            asked.push(serial)
            return ' 123456\n'
          },
        })()
        expect(c.accessKeyId).toBe('ASIAROLE0')
        expect(asked).toEqual(['arn:aws:iam::123456789012:mfa/me'])
        const form = new URLSearchParams(sts.requests[0]!.body)
        expect([form.get('SerialNumber'), form.get('TokenCode')]).toEqual(['arn:aws:iam::123456789012:mfa/me', '123456'])
      })

      it('without a code provider, a code that is not six digits, or a provider that fails: an error, and nothing sent', async () => {
        const sts = await fakeSts()
        const none = asProviderError(await rejectionOf(fromIni({ ...stsEnv(sts, config, keys), profile: 'mfa' })()))
        expect(none.message).toContain('mfaCodeProvider')
        expect(none.tryNextLink).toBe(false)
        const short = asProviderError(await rejectionOf(fromIni({ ...stsEnv(sts, config, keys), profile: 'mfa', mfaCodeProvider: async () => '12345' })()))
        expect(short.message).toContain('6 digits')
        const failing = asProviderError(
          await rejectionOf(fromIni({ ...stsEnv(sts, config, keys), profile: 'mfa', mfaCodeProvider: async () => Promise.reject(new Error('prompt closed')) })()),
        )
        expect(failing.message).toContain('prompt closed')
        expect(sts.requests).toEqual([])
      })
    })

    it('passes an STS error through with its code and no secrets', async () => {
      const sts = await fakeSts(() => ({ status: 403, body: stsErrorXml('AccessDenied', 'not authorized') }))
      const env = stsEnv(sts, '[default]\nrole_arn = arn:r\nsource_profile = base\n', `[base]\naws_access_key_id = A\naws_secret_access_key = ${SECRET}\naws_session_token = ${TOKEN}\n`)
      const e = asProviderError(await rejectionOf(fromIni(env)()))
      expect(e.code).toBe('AccessDenied')
      expect(e.tryNextLink).toBe(false)
      expectNoSecrets(e, ALL_SECRETS)
    })

    it('validates duration_seconds', async () => {
      const sts = await fakeSts()
      const e = asProviderError(
        await rejectionOf(fromIni(stsEnv(sts, '[default]\nrole_arn = arn:r\nsource_profile = b\nduration_seconds = 5\n[profile b]\naws_access_key_id = A\naws_secret_access_key = B\n'))()),
      )
      expect(e.message).toContain('duration_seconds')
    })

    it('uses an injected StsClient', async () => {
      const calls: unknown[] = []
      const sts: StsClient = {
        assumeRole: async (input, source) => {
          calls.push([input, source.accessKeyId])
          return { accessKeyId: 'INJECTED', secretAccessKey: 'x' }
        },
        assumeRoleWithWebIdentity: async () => ({ accessKeyId: 'INJECTED-WEB', secretAccessKey: 'x' }),
      }
      const env = files('[default]\nrole_arn = arn:r\nsource_profile = b\n[profile b]\naws_access_key_id = AKIDB\naws_secret_access_key = B\n', '')
      expect((await fromIni({ ...env, sts, now: () => 5 })()).accessKeyId).toBe('INJECTED')
      expect(calls).toEqual([[{ RoleArn: 'arn:r', RoleSessionName: 'ec2-import-image-5' }, 'AKIDB']])
    })

    it('wraps a foreign STS failure as a chain-stopping error', async () => {
      const sts: StsClient = {
        assumeRole: async () => {
          throw new Error('boom')
        },
        assumeRoleWithWebIdentity: async () => {
          throw new Error('boom')
        },
      }
      const env = files('[default]\nrole_arn = arn:r\nsource_profile = b\n[profile b]\naws_access_key_id = A\naws_secret_access_key = B\n', '')
      const e = asProviderError(await rejectionOf(fromIni({ ...env, sts })()))
      expect(e.tryNextLink).toBe(false)
      expect(e.message).toContain('boom')
    })
  })

  describe('web identity', () => {
    it('assumes a role with the token file named in the profile', async () => {
      const sts = await fakeSts()
      const tokenFile = tmp.file('token', `${WEB_TOKEN}\n`)
      const env = files(`[default]\nrole_arn = arn:r:web\nweb_identity_token_file = ${tokenFile}\nrole_session_name = pod\n`, '', {
        AWS_ENDPOINT_URL_STS: sts.url,
      })
      expect((await fromIni(env)()).accessKeyId).toBe('ASIAROLE0')
      const form = new URLSearchParams(sts.requests[0]!.body)
      expect(form.get('Action')).toBe('AssumeRoleWithWebIdentity')
      expect(form.get('WebIdentityToken')).toBe(WEB_TOKEN)
      expect(form.get('RoleSessionName')).toBe('pod')
      expect(sts.requests[0]!.headers['authorization']).toBeUndefined()
    })

    it('reads AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME', async () => {
      const sts = await fakeSts()
      const tokenFile = tmp.file('token', WEB_TOKEN)
      const c = await fromWebIdentityTokenFile(
        files('', '', {
          AWS_ENDPOINT_URL_STS: sts.url,
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_ROLE_ARN: 'arn:r:irsa',
          AWS_ROLE_SESSION_NAME: 'irsa-session',
        }),
      )()
      expect(c.accessKeyId).toBe('ASIAROLE0')
      expect(Object.fromEntries(new URLSearchParams(sts.requests[0]!.body))).toMatchObject({ RoleArn: 'arn:r:irsa', RoleSessionName: 'irsa-session' })
    })

    it('is not configured without the variables, and stops on half of them or an unreadable file', async () => {
      expect(asProviderError(await rejectionOf(fromWebIdentityTokenFile(files('', ''))())).tryNextLink).toBe(true)
      const half = asProviderError(await rejectionOf(fromWebIdentityTokenFile(files('', '', { AWS_ROLE_ARN: 'arn:r' }))()))
      expect(half.tryNextLink).toBe(false)
      const unreadable = asProviderError(
        await rejectionOf(fromWebIdentityTokenFile(files('', '', { AWS_ROLE_ARN: 'arn:r', AWS_WEB_IDENTITY_TOKEN_FILE: path.join(tmp.dir, 'nope') }))()),
      )
      expect(unreadable.message).toContain('ENOENT')
    })

    it('keeps the web identity token out of STS errors', async () => {
      const sts = await fakeSts(() => ({ status: 400, body: stsErrorXml('InvalidIdentityToken', 'Incorrect token audience') }))
      const tokenFile = tmp.file('token', WEB_TOKEN)
      const e = await rejectionOf(
        fromWebIdentityTokenFile(files('', '', { AWS_ENDPOINT_URL_STS: sts.url, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: 'arn:r' }))(),
      )
      expect(asProviderError(e).code).toBe('InvalidIdentityToken')
      expectNoSecrets(e, ALL_SECRETS)
    })
  })
})

// -------------------------------------------------------------------------------------------------

describe('fromContainerMetadata', () => {
  const ecsBody = JSON.stringify({ AccessKeyId: 'AKIDECS', SecretAccessKey: SECRET, Token: TOKEN, Expiration: LATER, RoleArn: 'arn:r' })

  it('GETs the relative URI from the ECS host and parses the credentials', async () => {
    const ecs = await serve(() => ({ body: ecsBody }))
    const c = await fromContainerMetadata({ env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' }, relativeUriOrigin: ecs.url })()
    expect(c).toEqual({ accessKeyId: 'AKIDECS', secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(LATER) })
    expect(ecs.requests[0]).toMatchObject({ method: 'GET', url: '/v2/credentials/abc' })
    expect(ecs.requests[0]!.headers['authorization']).toBeUndefined()
  })

  it('sends AWS_CONTAINER_AUTHORIZATION_TOKEN to a loopback full URI', async () => {
    const ecs = await serve((req) => (req.headers['authorization'] === 'Bearer abc' ? { body: ecsBody } : { status: 401, body: '{"code":"Unauthorized"}' }))
    const c = await fromContainerMetadata({
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecs.url}/get?x=1`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer abc' },
    })()
    expect(c.accessKeyId).toBe('AKIDECS')
    expect(ecs.requests[0]!.url).toBe('/get?x=1')
  })

  it('prefers the token file, re-reading it on every call', async () => {
    const ecs = await serve((req) => (req.headers['authorization'] === 'from-file-2' ? { body: ecsBody } : { status: 401, body: '{"code":"Unauthorized"}' }))
    const tokenFile = tmp.file('eks-token', 'from-file-1\n')
    const p = fromContainerMetadata({
      env: {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'from-env',
      },
    })
    const e = asProviderError(await rejectionOf(p()))
    expect(e.statusCode).toBe(401)
    expect(e.code).toBe('Unauthorized')
    expect(e.tryNextLink).toBe(false)
    expect(ecs.requests).toHaveLength(1)
    tmp.file('eks-token', 'from-file-2\n')
    expect((await p()).accessKeyId).toBe('AKIDECS')
  })

  it('retries 5xx and network failures', async () => {
    const ecs = await serve((_req, i) => (i === 0 ? { status: 500 } : i === 1 ? { destroy: true } : { body: ecsBody }))
    const c = await fromContainerMetadata({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url }, retryDelayMs: 0 })()
    expect(c.accessKeyId).toBe('AKIDECS')
    expect(ecs.requests).toHaveLength(3)
  })

  it('gives up after maxAttempts, as a chain-stopping error', async () => {
    const ecs = await serve(() => ({ status: 503 }))
    const e = asProviderError(
      await rejectionOf(fromContainerMetadata({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url }, retryDelayMs: 0, maxAttempts: 2 })()),
    )
    expect(e.tryNextLink).toBe(false)
    expect(e.message).toContain('HTTP 503')
    expect(ecs.requests).toHaveLength(2)
  })

  it('times out a silent endpoint', async () => {
    const ecs = await serve(() => ({ delayMs: 2_000, body: ecsBody }))
    const e = asProviderError(
      await rejectionOf(fromContainerMetadata({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url }, timeoutMs: 100, maxAttempts: 1 })()),
    )
    expect(e.message).toContain('timed out')
  })

  it('is not configured without the variables', async () => {
    expect(asProviderError(await rejectionOf(fromContainerMetadata({ env: {} })())).tryNextLink).toBe(true)
  })

  it('refuses http to a non-allowed host, malformed URIs and a token with a line break', async () => {
    for (const uri of ['http://example.com/creds', 'http://10.0.0.1/creds', 'ftp://127.0.0.1/x', 'nope']) {
      const e = asProviderError(await rejectionOf(fromContainerMetadata({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: uri } })()))
      expect(e.tryNextLink, uri).toBe(false)
    }
    const e = asProviderError(
      await rejectionOf(
        fromContainerMetadata({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/x', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\r\nX-Evil: 1' } })(),
      ),
    )
    expect(e.message).toContain('line break')
  })

  it('rejects a malformed document without quoting it', async () => {
    const ecs = await serve(() => ({ body: JSON.stringify({ SecretAccessKey: SECRET, Token: TOKEN }) }))
    const e = await rejectionOf(fromContainerMetadata({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url } })())
    expect(asProviderError(e).message).toContain('expected credential fields')
    expectNoSecrets(e, ALL_SECRETS)
  })
})

// -------------------------------------------------------------------------------------------------

describe('fromInstanceMetadata', () => {
  const imdsCreds = JSON.stringify({
    Code: 'Success',
    LastUpdated: '2026-01-01T00:00:00Z',
    Type: 'AWS-HMAC',
    AccessKeyId: 'AKIDIMDS',
    SecretAccessKey: SECRET,
    Token: TOKEN,
    Expiration: LATER,
  })

  /** A fake IMDS. `v2: false` answers the token PUT with 403 (IMDSv1-only); tokens die after `tokenUses`. */
  const fakeImds = (opts: { v2?: boolean; tokenUses?: number; role?: string | undefined } = {}) => {
    let issued = 0
    const uses = new Map<string, number>()
    return serve((req) => {
      if (req.method === 'PUT' && req.url === '/latest/api/token') {
        if (opts.v2 === false) return { status: 403 }
        if (req.headers['x-aws-ec2-metadata-token-ttl-seconds'] === undefined) return { status: 400 }
        issued++
        return { body: `token-${issued}` }
      }
      const tok = req.headers['x-aws-ec2-metadata-token']
      if (typeof tok === 'string') {
        const n = (uses.get(tok) ?? 0) + 1
        uses.set(tok, n)
        if (opts.tokenUses !== undefined && n > opts.tokenUses) return { status: 401 }
      } else if (opts.v2 !== false) {
        return { status: 401 }
      }
      if (req.url === '/latest/meta-data/iam/security-credentials/') {
        return opts.role === undefined && 'role' in opts ? { status: 404 } : { body: `${opts.role ?? 'my-role'}\n` }
      }
      if (req.url === `/latest/meta-data/iam/security-credentials/${opts.role ?? 'my-role'}`) return { body: imdsCreds }
      return { status: 404 }
    })
  }

  // the fake's credentials expire at LATER; a clock before it (the real one has passed it)
  const beforeLater = () => Date.parse(LATER) - 3_600_000

  it('follows the IMDSv2 token flow', async () => {
    const imds = await fakeImds()
    const c = await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, now: beforeLater })()
    expect(c).toEqual({ accessKeyId: 'AKIDIMDS', secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(LATER) })
    expect(imds.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /latest/api/token',
      'GET /latest/meta-data/iam/security-credentials/',
      'GET /latest/meta-data/iam/security-credentials/my-role',
    ])
    expect(imds.requests[0]!.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600')
    expect(imds.requests[1]!.headers['x-aws-ec2-metadata-token']).toBe('token-1')
    expect(imds.requests[2]!.headers['x-aws-ec2-metadata-token']).toBe('token-1')
  })

  describe('static stability: credentials IMDS can no longer renew are kept, and renewal is retried in 5 to 10 minutes', () => {
    /** A fake IMDS that can be switched to failing (HTTP 500) or to serving credentials with a given expiration. */
    const switchableImds = async () => {
      const state = { failing: false, expiration: LATER }
      const server = await serve((req) => {
        if (state.failing) return { status: 500 }
        if (req.method === 'PUT') return { body: 'token' }
        if (req.url === '/latest/meta-data/iam/security-credentials/') return { body: 'my-role' }
        return { body: JSON.stringify({ Code: 'Success', AccessKeyId: 'AKIDIMDS', SecretAccessKey: SECRET, Token: TOKEN, Expiration: state.expiration }) }
      })
      return { server, state }
    }
    const warnings: Array<string> = []
    const logger = { warn: (m: string) => void warnings.push(m) }
    beforeEach(() => {
      warnings.length = 0
    })

    it('keeps the last credentials when a renewal fails, with an expiration 10 to 15 minutes out, and says so', async () => {
      const { server, state } = await switchableImds()
      let t = beforeLater()
      const p = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url }, now: () => t, random: () => 0.5, logger, maxAttempts: 1 })
      const first = await p()
      expect(first.expiration).toEqual(new Date(LATER))
      state.failing = true
      t = Date.parse(LATER) + 60_000
      const kept = await p()
      expect(kept).toEqual({ ...first, expiration: new Date(t + 5 * 60_000 + 5 * 60_000 + 150_000) })
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain('renewing from the instance metadata service failed')
      expect(warnings[0]).toContain('static stability')
      expect(warnings[0]).not.toContain(SECRET)
      expect(warnings[0]).not.toContain(TOKEN)
      // and again on the next failure, from the credentials kept
      t += 11 * 60_000
      expect((await p()).expiration).toEqual(new Date(t + 12.5 * 60_000))
      // IMDS back: fresh credentials, no more warnings
      state.failing = false
      state.expiration = new Date(t + 6 * 3_600_000).toISOString()
      expect((await p()).expiration).toEqual(new Date(state.expiration))
      expect(warnings).toHaveLength(2)
    })

    it('extends credentials IMDS serves already expired, even on the first call', async () => {
      const { server } = await switchableImds()
      const t = Date.parse(LATER) + 3_600_000
      const c = await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url }, now: () => t, random: () => 0, logger })()
      expect(c.expiration).toEqual(new Date(t + 10 * 60_000))
      expect(warnings[0]).toContain('already expired')
    })

    it("follows the cache's own window: with refreshBeforeMs 15 min, kept credentials are still renewed 5 to 10 minutes on", async () => {
      const { server, state } = await switchableImds()
      let t = beforeLater()
      const window = 15 * 60_000
      const p = memoizeCredentials(
        fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url }, now: () => t, random: () => 0, logger, maxAttempts: 1, cacheRefreshBeforeMs: window }),
        { now: () => t, refreshBeforeMs: window },
      )
      await p()
      state.failing = true
      t = Date.parse(LATER) - 60_000
      await p()
      const afterOutage = server.requests.length
      for (let i = 0; i < 10; i++) await p()
      t += 4 * 60_000
      await p()
      expect(server.requests.length).toBe(afterOutage)
      expect(warnings).toHaveLength(1)
    })

    it('a logger that throws does not cost the credentials', async () => {
      const { server } = await switchableImds()
      const t = Date.parse(LATER) + 3_600_000
      const throwing = { warn: () => { throw new Error('logger down') } }
      const c = await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url }, now: () => t, random: () => 0, logger: throwing })()
      expect(c.expiration).toEqual(new Date(t + 10 * 60_000))
    })

    it('still fails when IMDS never served credentials', async () => {
      const { server, state } = await switchableImds()
      state.failing = true
      const r = await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url }, logger, maxAttempts: 1 })().catch((e: unknown) => e)
      expect(isCredentialsProviderError(r)).toBe(true)
      expect(warnings).toEqual([])
    })

    it("behind the client's cache: an outage costs one IMDS attempt per 5 to 10 minutes, not one per request", async () => {
      const { server, state } = await switchableImds()
      let t = beforeLater()
      const p = memoizeCredentials(
        fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url }, now: () => t, random: () => 0, logger, maxAttempts: 1 }),
        { now: () => t },
      )
      await p()
      state.failing = true
      t = Date.parse(LATER) - 60_000 // within the cache's 5-minute window: it tries to renew, and keeps what it has
      const attempts = () => server.requests.length
      await p()
      const afterOutage = attempts()
      for (let i = 0; i < 20; i++) await p()
      expect(attempts()).toBe(afterOutage)
      t += 4 * 60_000
      await p()
      expect(attempts()).toBe(afterOutage)
      t += 2 * 60_000
      await p()
      expect(attempts()).toBeGreaterThan(afterOutage)
    })
  })

  it('caches the session token until shortly before its TTL ends', async () => {
    const imds = await fakeImds()
    let t = 0
    const p = fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, now: () => t, tokenTtlSeconds: 600 })
    await p()
    await p()
    expect(imds.requests.filter((r) => r.method === 'PUT')).toHaveLength(1)
    t = 541_000
    await p()
    expect(imds.requests.filter((r) => r.method === 'PUT')).toHaveLength(2)
  })

  it('fetches a new token once on 401', async () => {
    const imds = await fakeImds({ tokenUses: 1 })
    const c = await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } })()
    expect(c.accessKeyId).toBe('AKIDIMDS')
    expect(imds.requests.map((r) => `${r.method} ${r.url} ${String(r.headers['x-aws-ec2-metadata-token'] ?? '')}`)).toEqual([
      'PUT /latest/api/token ',
      'GET /latest/meta-data/iam/security-credentials/ token-1',
      'GET /latest/meta-data/iam/security-credentials/my-role token-1',
      'PUT /latest/api/token ',
      'GET /latest/meta-data/iam/security-credentials/my-role token-2',
    ])
  })

  it('does not fall back to IMDSv1 unless asked', async () => {
    const imds = await fakeImds({ v2: false })
    const e = asProviderError(await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } })()))
    expect(e.message).toContain('IMDSv1 fallback is disabled')
    expect(e.statusCode).toBe(403)
    expect(imds.requests).toHaveLength(1)

    const c = await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, allowImdsV1Fallback: true })()
    expect(c.accessKeyId).toBe('AKIDIMDS')
    expect(imds.requests.slice(1).every((r) => r.headers['x-aws-ec2-metadata-token'] === undefined)).toBe(true)
  })

  it('is not configured when disabled, unreachable, or without a role', async () => {
    const disabled = asProviderError(await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_DISABLED: 'TRUE' } })()))
    expect(disabled.tryNextLink).toBe(true)
    const port = await closedPort()
    const unreachable = asProviderError(
      await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}` } })()),
    )
    expect(unreachable.tryNextLink).toBe(true)
    expect(unreachable.message).toContain('not reachable')
    const imds = await fakeImds({ role: undefined })
    const noRole = asProviderError(await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } })()))
    expect(noRole.tryNextLink).toBe(true)
    expect(noRole.message).toContain('no IAM role')
  })

  it('treats a token request that times out as unreachable, after one short wait', async () => {
    const imds = await serve(() => ({ delayMs: 2_000, body: 'late' }))
    const started = Date.now()
    const e = asProviderError(await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, timeoutMs: 150 })()))
    expect(e.tryNextLink).toBe(true)
    expect(e.message).toContain('timed out')
    expect(Date.now() - started).toBeLessThan(1_500)
    expect(imds.requests).toHaveLength(1)
  })

  it('retries throttled metadata GETs', async () => {
    let throttled = 0
    const imds = await serve((req) => {
      if (req.method === 'PUT') return { body: 'tok' }
      if (req.url.endsWith('/security-credentials/') && throttled++ < 2) return { status: 429 }
      return req.url.endsWith('/security-credentials/') ? { body: 'r' } : { body: imdsCreds }
    })
    const c = await fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, retryDelayMs: 0 })()
    expect(c.accessKeyId).toBe('AKIDIMDS')
    expect(throttled).toBe(3)
  })

  it('rejects an unsuccessful or malformed credentials document without leaking it', async () => {
    const imds = await serve((req) =>
      req.method === 'PUT'
        ? { body: 'tok' }
        : req.url.endsWith('/security-credentials/')
          ? { body: 'r' }
          : { body: JSON.stringify({ Code: 'AssumeRoleUnauthorizedAccess', SecretAccessKey: SECRET }) },
    )
    const e = await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } })())
    expect(asProviderError(e).code).toBe('AssumeRoleUnauthorizedAccess')
    expectNoSecrets(e, ALL_SECRETS)
  })

  it('validates the endpoint settings', async () => {
    expect(asProviderError(await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: '::' } })())).message).toContain('valid URL')
    expect(asProviderError(await rejectionOf(fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv5' } })())).message).toContain('IPv4 or IPv6')
  })
})

// -------------------------------------------------------------------------------------------------

describe('defaultCredentialChain', () => {
  /** An environment where every provider is unconfigured and IMDS is unreachable (fast). */
  const bare = async (env: Record<string, string> = {}) => ({
    ...files('', ''),
    env: { ...files('', '').env, AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, ...env },
  })

  it('prefers environment variables over the shared profile', async () => {
    const base = await bare({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: SECRET })
    tmp.file('credentials', `[default]\naws_access_key_id = AKIDINI\naws_secret_access_key = ${SECRET}\n`)
    expect((await defaultCredentialChain(base)()).accessKeyId).toBe('AKIDENV')
  })

  it('skips environment keys when a profile is selected, as AWS SDK v3 does, and warns', async () => {
    const warnings: string[] = []
    const base = await bare({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: SECRET, AWS_PROFILE: 'p' })
    tmp.file('credentials', `[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = ${SECRET}\n`)
    const c = await defaultCredentialChain({ ...base, logger: { warn: (m) => warnings.push(m) } })()
    expect(c.accessKeyId).toBe('AKIDPROFILE')
    expect(warnings.join()).toContain('AWS_ACCESS_KEY_ID')
  })

  it('falls through to web identity, then the container, in order', async () => {
    const sts = await fakeSts()
    const ecs = await serve(() => ({ body: JSON.stringify({ AccessKeyId: 'AKIDECS', SecretAccessKey: SECRET, Token: TOKEN, Expiration: LATER }) }))
    const tokenFile = tmp.file('token', WEB_TOKEN)
    const withWeb = await bare({
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: 'arn:r',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url,
    })
    expect((await defaultCredentialChain(withWeb)()).accessKeyId).toBe('ASIAROLE0')
    expect(ecs.requests).toHaveLength(0)
    const containerOnly = await bare({ AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url })
    expect((await defaultCredentialChain(containerOnly)()).accessKeyId).toBe('AKIDECS')
  })

  it('reaches instance metadata last', async () => {
    const imds = await serve((req) =>
      req.method === 'PUT'
        ? { body: 'tok' }
        : req.url.endsWith('/security-credentials/')
          ? { body: 'r' }
          : { body: JSON.stringify({ AccessKeyId: 'AKIDIMDS', SecretAccessKey: SECRET, Token: TOKEN, Expiration: LATER }) },
    )
    const env = await bare({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url })
    expect((await defaultCredentialChain(env)()).accessKeyId).toBe('AKIDIMDS')
  })

  it('stops at a configured provider that fails, without trying later ones', async () => {
    const ecs = await serve(() => ({ body: '{}' }))
    const script = tmp.file('fail.mjs', 'process.exit(1)')
    const env = await bare({ AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url })
    tmp.file('config', `[default]\ncredential_process = ${nodeCommand(script)}\n`)
    const e = asProviderError(await rejectionOf(defaultCredentialChain(env)()))
    expect(e.provider).toBe('fromProcess')
    expect(e.tryNextLink).toBe(false)
    expect(ecs.requests).toHaveLength(0)
  })

  it('lists every provider tried when none is configured, without secrets', async () => {
    const env = await bare({ AWS_SESSION_TOKEN: TOKEN })
    const e = asProviderError(await rejectionOf(defaultCredentialChain(env)()))
    expect(e.provider).toBe('defaultCredentialChain')
    for (const label of ['environment variables', 'shared config profile', 'web identity token file', 'container metadata', 'instance metadata']) {
      expect(e.message).toContain(label)
    }
    expect(e.message.indexOf('environment variables')).toBeLessThan(e.message.indexOf('instance metadata'))
    expectNoSecrets(e, ALL_SECRETS)
  })

  it('says no credentials were found, listing every source, when the last resort (IMDS) answers but refuses', async () => {
    // A newcomer with nothing configured, in a container whose IMDS answers the token request with 403.
    const imds = await serve(() => ({ status: 403 }))
    const env = await bare({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url })
    const e = asProviderError(await rejectionOf(defaultCredentialChain(env)()))
    expect(e.provider).toBe('defaultCredentialChain')
    expect(e.message).toMatch(/^No AWS credentials found\./)
    const labels = ['environment variables', 'shared config profile', 'web identity token file', 'container metadata', 'instance metadata']
    const at = labels.map((l) => e.message.indexOf(l))
    expect(at.every((i) => i >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    // ...and the reason of the last one is kept.
    expect(e.message).toContain('HTTP 403')
  })

  it('keeps secrets out of every failure it can produce', async () => {
    const script = tmp.file('leak.mjs', `process.stdout.write('not json ${SECRET} ${TOKEN}')`)
    const env = await bare()
    tmp.file('credentials', `[default]\ncredential_process = ${nodeCommand(script)}\naws_session_token = ${TOKEN}\n`)
    const e = await rejectionOf(defaultCredentialChain(env)())
    expectNoSecrets(e, ALL_SECRETS)
  })

  it('is memoized: one resolution for many calls', async () => {
    const counter = tmp.file('count.txt', '')
    const script = tmp.file(
      'counting.mjs',
      `import fs from 'node:fs'; fs.appendFileSync(${JSON.stringify(counter)}, 'x');
       process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROC', SecretAccessKey: 's' }))`,
    )
    const env = await bare()
    tmp.file('config', `[default]\ncredential_process = ${nodeCommand(script)}\n`)
    const chain = defaultCredentialChain(env)
    const results = await Promise.all(Array.from({ length: 10 }, () => chain()))
    await chain()
    expect(results.every((c) => c.accessKeyId === 'AKIDPROC')).toBe(true)
    expect((await import('node:fs')).readFileSync(counter, 'utf8')).toBe('x')
  })
})
