/**
 * Secrets. With a known secret key and session token, and a presigned S3 `Url` (its query holds a signature and —
 * presigned with the same temporary credentials, as is usual — the same session token), nothing a person can see
 * holds them: no `Left` (`message`, `String()`, `JSON.stringify`, `util.inspect`, a stack), no log line, no line of
 * CLI output, not the emulator's request log; nor any SigV4 signature that went over the wire. The presigned `Url`
 * shows in log lines with its query string redacted.
 *
 * Every other file of the suite sweeps its own Lefts and log lines the same way (`helpers/sweep.ts`); this one adds
 * the scenarios built around the presigned `Url`, credentials, and the command line.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../src/cli/cli.js'
import { createClient } from '../../src/Client.js'
import type { ClientConfig } from '../../src/ClientConfig.js'
import { startEmulator, type Emulator } from '../../src/emulator.js'
import { ec2Error, NS, startScriptedServer, type Answer, type ScriptedServer } from '../helpers/scripted-server.js'
import { outcomeOf, recordCase } from './helpers/cases.js'
import {
  ACCESS_KEY_ID,
  CREDENTIALS,
  EMPTY_ENVIRONMENT,
  PRESIGNED_REDACTED,
  PRESIGNED_URL,
  SECRET_KEY,
  SESSION_TOKEN,
  renderings,
  secretSink,
} from './helpers/secrets.js'
import { watchFile } from './helpers/sweep.js'

const watch = watchFile('secrets.test.ts', 'secrets', { keepLogLines: true })
const sink = watch.sink

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** An ImportImage result that echoes the disk's presigned `Url`, as EC2 does in `snapshotDetailSet`. */
const echoingResult = (taskId = 'import-ami-0ec0000000000000a') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<ImportImageResponse xmlns="${NS}">
  <requestId>req-echo</requestId>
  <importTaskId>${taskId}</importTaskId>
  <progress>2</progress>
  <snapshotDetailSet>
    <item><diskImageSize>0.0</diskImageSize><format>VMDK</format><url>${xmlEscape(PRESIGNED_URL)}</url></item>
  </snapshotDetailSet>
  <status>active</status>
  <statusMessage>pending</statusMessage>
</ImportImageResponse>`

const URL_DISK = { DiskContainers: [{ Format: 'VMDK' as const, Url: PRESIGNED_URL }] }

describe('the library', () => {
  let server: ScriptedServer
  afterAll(async () => {
    await server.close()
  })

  it('Lefts and log lines of every kind of failure hold no secret; the presigned Url is logged redacted', async (ctx) => {
    server = await startScriptedServer()
    const answers: Array<[string, Answer]> = [
      ['AuthFailure', { status: 401, body: ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials') }],
      ['SignatureDoesNotMatch', { status: 403, body: ec2Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.') }],
      ['proxy HTML', { status: 502, body: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } }],
      ['reset', { reset: true }],
      ['stall', { stall: true }],
      ['non-XML 200', { status: 200, body: 'OK' }],
      ['result echoing the Url', { status: 200, body: echoingResult() }],
    ]
    const results: Array<string> = []
    const started = performance.now()
    for (const [name, answer] of answers) {
      server.script(answer)
      const client = createClient(
        { region: 'us-east-1', endpoint: server.endpoint, credentials: CREDENTIALS, logger: sink.logger, maxAttempts: 2, retry: { baseDelayMs: 1, maxDelayMs: 5 }, requestTimeoutMs: 200 },
        { environment: EMPTY_ENVIRONMENT },
      )
      const r = await client.importImage(URL_DISK)()
      sink.either(r)
      // The client object itself shows nothing either.
      sink.text(renderings(client).join('\n') + inspect(client, { showHidden: true, depth: null }))
      await client.close()
      results.push(`${name}: ${outcomeOf(r)}`)
    }
    // The log shows where the disk is, not how to read it.
    const lines = sink.logLines()
    const redacted = lines.filter((l) => l.includes(PRESIGNED_REDACTED)).length
    recordCase(ctx, {
      area: 'secrets',
      name: `${answers.length} failure kinds with secret creds + presigned Url`,
      expected: '0 leaks; Url logged as …?[redacted]',
      actual: `${sink.leaks().length} leaks; ${redacted} of ${lines.length} log lines show the redacted Url`,
      ms: performance.now() - started,
    })
    expect(results).toHaveLength(answers.length)
    expect(redacted).toBeGreaterThanOrEqual(answers.length)
    expect(sink.leaks()).toEqual([])
  })

  it('a DecodeError that keeps a body echoing the presigned Url does not keep its query', async (ctx) => {
    // A proxy cut the response short after the <url> element: the body is kept "so a person can see what came
    // back" — and it holds the presigned Url, whose query holds the session token and a signature.
    const own = await startScriptedServer()
    const body = echoingResult()
    own.script({ status: 200, body: body.slice(0, body.indexOf('</snapshotDetailSet>')) })
    const local = secretSink(() => new Set())
    const client = createClient({ region: 'us-east-1', endpoint: own.endpoint, credentials: CREDENTIALS, maxAttempts: 1 }, { environment: EMPTY_ENVIRONMENT })
    const started = performance.now()
    const r = await client.importImage(URL_DISK)()
    await client.close()
    await own.close()
    local.either(r)
    recordCase(ctx, {
      area: 'secrets',
      name: 'DecodeError of a truncated result that echoes the presigned Url',
      expected: 'Left DecodeError, body kept with the Url query redacted',
      actual: `${outcomeOf(r)}; ${local.leaks().length} leaks${local.leaks().length > 0 ? ' (session token and signature in .body)' : ''}`,
      ms: performance.now() - started,
    })
    expect(r._tag === 'Left' && r.left._tag).toBe('DecodeError')
    expect(local.leaks()).toEqual([])
  })

  it('malformed credentials and failing providers: the ConfigError/CredentialsError names the problem, not the secret', async (ctx) => {
    const own = await startScriptedServer()
    own.script({ status: 200, body: echoingResult() })
    const local = secretSink(() => new Set())
    const configs: ReadonlyArray<[string, ClientConfig['credentials']]> = [
      ['static, empty accessKeyId', { accessKeyId: '', secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN }],
      ['static, sessionToken not a string', { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, sessionToken: 42 as never }],
      ['provider, expiration not a Date', async () => ({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN, expiration: 'soon' as never })],
      ['provider that rejects', async () => Promise.reject(Object.assign(new Error('sts: AccessDenied'), { provider: 'fromTemporaryCredentials' }))],
      ['provider that returns null', async () => null as never],
    ]
    const outcomes: Array<string> = []
    for (const [, credentials] of configs) {
      const client = createClient({ region: 'us-east-1', endpoint: own.endpoint, credentials, maxAttempts: 1 }, { environment: EMPTY_ENVIRONMENT })
      const r = await client.importImage(URL_DISK)()
      await client.close()
      local.either(r)
      outcomes.push(outcomeOf(r))
    }
    const sent = own.requests.length
    await own.close()
    recordCase(ctx, {
      area: 'secrets',
      name: `${configs.length} malformed credentials / failing providers`,
      expected: 'ConfigError | CredentialsError, 0 leaks, 0 sent',
      actual: `${[...new Set(outcomes)].join(', ')}; ${local.leaks().length} leaks; ${sent} sent`,
      ms: 0,
    })
    expect(outcomes.every((o) => /^Left (ConfigError|CredentialsError)/.test(o))).toBe(true)
    expect(sent).toBe(0)
    expect(local.leaks()).toEqual([])
  })
  it('an IAM Identity Center profile: its cached access token and the role credentials stay out of every Left', async (ctx) => {
    // The SSO access token is a bearer secret: here it is SESSION_TOKEN, so the sink looks for it everywhere.
    const home = mkdtempSync(join(tmpdir(), 'sso-secrets-'))
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true })
    writeFileSync(
      join(home, '.aws', 'config'),
      '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Importer\nregion = us-east-1\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    )
    writeFileSync(
      join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`),
      JSON.stringify({ accessToken: SESSION_TOKEN, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
    )
    let portalAnswer: 'refuse' | 'grant' = 'refuse'
    const portal = createServer((req, res) => {
      const ok = portalAnswer === 'grant' && req.headers['x-amz-sso_bearer_token'] === SESSION_TOKEN
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
      res.end(
        ok
          ? JSON.stringify({ roleCredentials: { accessKeyId: 'ASIASSOSECRETS', secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN, expiration: Date.now() + 3_600_000 } })
          : JSON.stringify({ message: 'Session token not found or invalid' }),
      )
    })
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve))
    const own = await startScriptedServer()
    own.script({ status: 403, body: ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.') })
    const local = secretSink(() => new Set())
    const environment = { env: { AWS_PROFILE: 'dev', AWS_ENDPOINT_URL_SSO: `http://127.0.0.1:${(portal.address() as AddressInfo).port}` }, homedir: home }
    const outcomes: Array<string> = []
    for (const answer of ['refuse', 'grant'] as const) {
      portalAnswer = answer
      const client = createClient({ endpoint: own.endpoint, maxAttempts: 1, logger: local.logger }, { environment })
      const r = await client.importImage(URL_DISK)()
      await client.close()
      local.either(r)
      outcomes.push(outcomeOf(r))
    }
    const signedWithSso = own.requests.filter((q) => String(q.headers['authorization']).includes('Credential=ASIASSOSECRETS/')).length
    await own.close()
    await new Promise((resolve) => portal.close(resolve))
    rmSync(home, { recursive: true, force: true })
    recordCase(ctx, {
      area: 'secrets',
      name: 'SSO profile: portal refuses the cached login, then grants role credentials (EC2 answers 403)',
      expected: 'Left CredentialsError, then Left ServiceError signed with the SSO role; 0 leaks',
      actual: `${outcomes.join(', ')}; ${signedWithSso} signed with the SSO role; ${local.leaks().length} leaks`,
      ms: 0,
    })
    expect(outcomes[0]).toMatch(/^Left CredentialsError/)
    expect(outcomes[1]).toMatch(/^Left ServiceError/)
    expect(signedWithSso).toBe(1)
    expect(local.leaks()).toEqual([])
  })
})

// -------------------------------------------------------------------------------------------------
// the command line
// -------------------------------------------------------------------------------------------------

describe('the command line', () => {
  let em: Emulator
  let failing: ScriptedServer
  afterAll(async () => {
    await em.close()
    await failing.close()
  })

  const cli = async (argv: ReadonlyArray<string>, config: ClientConfig): Promise<{ code: number; out: string }> => {
    let out = ''
    const io: CliIo = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (out += s) },
      runtime: { environment: EMPTY_ENVIRONMENT },
      config: { credentials: CREDENTIALS, maxAttempts: 2, retry: { baseDelayMs: 1, maxDelayMs: 5 }, requestTimeoutMs: 300, ...config },
    }
    const code = await main(argv, io)
    return { code, out }
  }

  it('no output of any command holds a secret, a signature or the presigned Url query', async (ctx) => {
    // 290 s of import work at speed 10,000: about 30 ms.
    em = await startEmulator({ clock: { speed: 10_000 }, credentials: CREDENTIALS })
    failing = await startScriptedServer()
    failing.script(
      { status: 500, body: '<html>Internal proxy error</html>' },
      { status: 500, body: '<html>Internal proxy error</html>' },
      { status: 403, body: ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials') },
      { reset: true },
    )
    const toEmulator: ClientConfig = { endpoint: em.endpoint, region: em.region }
    const local = secretSink(watch.signatures)
    const runs: Array<[string, number, string]> = []
    const run = async (argv: ReadonlyArray<string>, config: ClientConfig) => {
      const r = await cli(argv, config)
      local.text(r.out)
      runs.push([argv.join(' ').replace(PRESIGNED_URL, 'PRESIGNED_URL'), r.code, r.out])
      return r
    }
    const started = performance.now()
    const human = await run(['import', '--format', 'vmdk', '--url', PRESIGNED_URL], toEmulator)
    const id = /import-ami-[0-9a-f]+/.exec(human.out)?.[0] ?? 'import-ami-00000000000000000'
    await run(['import', '--format', 'vmdk', '--url', PRESIGNED_URL, '--json'], toEmulator)
    await run(['import', '--format', 'vmdk', '--url', PRESIGNED_URL, '--dry-run'], toEmulator)
    await run(['status', id], toEmulator)
    await run(['status', id, '--json'], toEmulator)
    await run(['list'], toEmulator)
    await run(['list', '--json'], toEmulator)
    await run(['wait', id, '--min-delay-ms', '10', '--max-delay-ms', '20'], toEmulator)
    await run(['wait', id, '--json', '--min-delay-ms', '10', '--max-delay-ms', '20'], toEmulator)
    await run(['cancel', id], toEmulator)
    await run(['import', '--format', 'vmdk', '--url', PRESIGNED_URL], { endpoint: failing.endpoint, region: 'us-east-1' })
    await run(['import', '--format', 'vmdk', '--url', PRESIGNED_URL, '--json'], { endpoint: failing.endpoint, region: 'us-east-1' })
    await run(['status', id], { endpoint: failing.endpoint, region: 'us-east-1' })
    await run(['import', '--format', 'qcow2', '--url', PRESIGNED_URL], toEmulator)
    await run(['import', '--format', 'vmdk', '--url', PRESIGNED_URL, '--endpoint', 'http://10.1.2.3'], { region: 'us-east-1' })
    // The emulator's own request log is a log too.
    local.text(JSON.stringify(em.requests))
    const leaking = runs.filter(([, , out]) => {
      const one = secretSink(watch.signatures)
      one.text(out)
      return one.leaks().length > 0
    })
    recordCase(ctx, {
      area: 'secrets',
      name: `CLI: ${runs.length} runs (import/status/list/wait/cancel, --json, errors)`,
      expected: '0 leaks in stdout/stderr; emulator log clean',
      actual: `${local.leaks().length} leaks${leaking.length > 0 ? ` — in: ${leaking.map(([a]) => a.replace(/ --(min|max)-delay-ms \d+/g, '')).join(' | ')}` : ''}`,
      attempts: `exit codes ${runs.map(([, c]) => c).join(',')}`,
      ms: performance.now() - started,
    })
    expect(runs.map(([, code]) => code).slice(0, 3)).toEqual([0, 0, 0])
    expect(local.leaks()).toEqual([])
  })
})

// -------------------------------------------------------------------------------------------------
// the raw server side: what a signed request carried, for the sweep to look for
// -------------------------------------------------------------------------------------------------

describe('the wire', () => {
  it('the session token and signatures did travel (so the sweep looks for something real)', async (ctx) => {
    const own = await startScriptedServer()
    let seen: IncomingMessage['headers'] = {}
    own.script({
      custom: (req: IncomingMessage, res: ServerResponse) => {
        seen = req.headers
        res.writeHead(200, { 'content-type': 'text/xml' }).end(echoingResult())
      },
    })
    const client = createClient({ region: 'us-east-1', endpoint: own.endpoint, credentials: CREDENTIALS }, { environment: EMPTY_ENVIRONMENT })
    const r = await client.importImage(URL_DISK)()
    await client.close()
    await own.close()
    const signature = /Signature=([0-9a-f]{64})/.exec(String(seen.authorization))?.[1]
    recordCase(ctx, {
      area: 'secrets',
      name: 'control: the secrets are on the wire where they belong',
      expected: 'X-Amz-Security-Token sent; signature tapped',
      actual: `${seen['x-amz-security-token'] === SESSION_TOKEN ? 'token sent' : 'token NOT sent'}; ${signature !== undefined && watch.signatures().has(signature) ? 'signature tapped' : 'signature NOT tapped'}; ${outcomeOf(r)}`,
      ms: 0,
    })
    expect(seen['x-amz-security-token']).toBe(SESSION_TOKEN)
    expect(signature !== undefined && watch.signatures().has(signature)).toBe(true)
  })
})

watch.sweep()
