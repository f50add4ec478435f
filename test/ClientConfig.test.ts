import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import { EC2Client } from '@aws-sdk/client-ec2'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CONFIG_DEFAULTS,
  type ClientConfig,
  defaultEnvironment,
  parseEndpoint,
  type ResolvedConfig,
  resolveConfig,
  resolveProxy,
} from '../src/ClientConfig.js'
import { ec2EndpointFor } from '../src/internal/config/Endpoints.js'
import type { ProviderEnvironment } from '../src/internal/config/SharedConfigFiles.js'
import { PARTITIONS, partitionOf } from '../src/internal/config/Partition.js'
import { expectNoSecrets, rejectionOf, tempDir } from './helpers/cred-fakes.js'

const SECRET = 'cfg-FAKE-SECRET-do-not-leak-5d20'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

/** An environment with only the given variables and shared files in a temp dir. */
const envWith = (vars: Record<string, string> = {}, config = '', credentials = ''): ProviderEnvironment => ({
  env: {
    AWS_CONFIG_FILE: tmp.file('config', config),
    AWS_SHARED_CREDENTIALS_FILE: tmp.file('credentials', credentials),
    // Keeps any default-chain test off the network.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...vars,
  },
  homedir: tmp.dir,
})

const ok = (config: ClientConfig, env: ProviderEnvironment = envWith()): ResolvedConfig => {
  const r = resolveConfig(config, env)
  if (E.isLeft(r)) throw new Error(`expected Right, got ${r.left.message}`)
  return r.right
}

const err = (config: ClientConfig, env: ProviderEnvironment = envWith()): string => {
  const r = resolveConfig(config, env)
  if (E.isRight(r)) throw new Error(`expected Left, got endpoint ${r.right.endpoint.href}`)
  expect(r.left._tag).toBe('ConfigError')
  return r.left.message
}

// -------------------------------------------------------------------------------------------------
// the SDK as oracle
// -------------------------------------------------------------------------------------------------

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'
const sdkEndpointProvider = new EC2Client({ region: 'us-east-1' }).config.endpointProvider

/** What AWS SDK v3's EC2 endpoint ruleset says, as a URL or an error. */
const sdkEndpoint = (region: string, useFips: boolean, useDualstack: boolean): string | Error => {
  try {
    return sdkEndpointProvider({ Region: region, UseFIPS: useFips, UseDualStack: useDualstack }).url.href
  } catch (e) {
    return e as Error
  }
}

/** The SDK's partition data, read from the installed `@aws-sdk/core` (the same data its `partition()` uses). */
const sdkPartitionData = (): { partitions: Array<{ id: string; regionRegex: string; regions: Record<string, unknown>; outputs: Record<string, unknown> }> } => {
  const file = createRequire(import.meta.url).resolve('@aws-sdk/core/client')
  const src = fs.readFileSync(file, 'utf8')
  const start = src.indexOf('const partitionsInfo = ')
  const end = src.indexOf('\n};', start)
  if (start < 0 || end < 0) throw new Error(`partition data not found in ${file}; the SDK layout changed`)
  return JSON.parse(src.slice(start + 'const partitionsInfo = '.length, end + 2)) as ReturnType<typeof sdkPartitionData>
}
const sdkPartition = (createRequire(import.meta.url)('@aws-sdk/core/client') as { partition: (r: string) => Record<string, unknown> }).partition

const SDK_PARTITIONS = sdkPartitionData().partitions
const SDK_REGIONS = SDK_PARTITIONS.flatMap((p) => Object.keys(p.regions))
// Regions no table lists yet: they must resolve through the regexes and the `aws` default exactly as in the SDK.
const FUTURE_REGIONS = ['ap-southeast-9', 'eu-south-3', 'us-gov-central-1', 'cn-south-1', 'us-iso-north-1', 'us-isob-south-1', 'eu-isoe-north-1', 'us-isof-west-1', 'eusc-de-west-1', 'zz-nowhere-1', 'local']

describe('partitions and endpoints match AWS SDK v3', () => {
  it('has the SDK partition table (ids, suffixes, regexes, listed regions)', () => {
    expect(PARTITIONS.map((p) => p.id)).toEqual(SDK_PARTITIONS.map((p) => p.id))
    for (const sdk of SDK_PARTITIONS) {
      const ours = PARTITIONS.find((p) => p.id === sdk.id)!
      expect(ours.regionRegex.source.replace(/\\-/g, '-'), sdk.id).toBe(sdk.regionRegex.replace(/\\-/g, '-'))
      expect([...ours.regions].sort(), sdk.id).toEqual(Object.keys(sdk.regions).sort())
      expect({
        dnsSuffix: ours.dnsSuffix,
        dualStackDnsSuffix: ours.dualStackDnsSuffix,
        supportsFIPS: ours.supportsFIPS,
        supportsDualStack: ours.supportsDualStack,
      }).toEqual({
        dnsSuffix: sdk.outputs['dnsSuffix'],
        dualStackDnsSuffix: sdk.outputs['dualStackDnsSuffix'],
        supportsFIPS: sdk.outputs['supportsFIPS'],
        supportsDualStack: sdk.outputs['supportsDualStack'],
      })
    }
  })

  it('assigns every region to the partition the SDK does', () => {
    for (const region of [...SDK_REGIONS, ...FUTURE_REGIONS]) {
      expect(partitionOf(region).id, region).toBe(sdkPartition(region)['name'])
    }
  })

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('resolves the same EC2 endpoint as the SDK ruleset for every region (fips=%s, dualstack=%s)', (fips, dual) => {
    expect(SDK_REGIONS.length).toBeGreaterThan(40)
    for (const region of [...SDK_REGIONS, ...FUTURE_REGIONS]) {
      const expected = sdkEndpoint(region, fips, dual)
      const ours = ec2EndpointFor(region, { useFipsEndpoint: fips, useDualstackEndpoint: dual })
      if (expected instanceof Error) {
        expect(E.isLeft(ours), `${region}: SDK says ${expected.message}`).toBe(true)
      } else {
        expect(E.isRight(ours) ? ours.right.href : ours.left.message, region).toBe(expected)
        // And through the whole resolution, flags coming from the config.
        expect(ok({ region, useFipsEndpoint: fips, useDualstackEndpoint: dual, credentials: { accessKeyId: 'A', secretAccessKey: 'S' } }).endpoint.href, region).toBe(expected)
      }
    }
  })

  it('spot-checks the endpoints people ask about', () => {
    const at = (region: string, useFipsEndpoint = false, useDualstackEndpoint = false) =>
      ok({ region, useFipsEndpoint, useDualstackEndpoint }).endpoint.href
    expect(at('eu-west-1')).toBe('https://ec2.eu-west-1.amazonaws.com/')
    expect(at('cn-north-1')).toBe('https://ec2.cn-north-1.amazonaws.com.cn/')
    expect(at('us-gov-west-1', true)).toBe('https://ec2.us-gov-west-1.amazonaws.com/')
    expect(at('us-gov-west-1', true, true)).toBe('https://ec2-fips.us-gov-west-1.api.aws/')
    expect(at('us-east-1', true)).toBe('https://ec2-fips.us-east-1.amazonaws.com/')
    expect(at('us-east-1', false, true)).toBe('https://ec2.us-east-1.api.aws/')
    expect(at('us-iso-east-1')).toBe('https://ec2.us-iso-east-1.c2s.ic.gov/')
    expect(at('us-isob-east-1')).toBe('https://ec2.us-isob-east-1.sc2s.sgov.gov/')
  })
})

// -------------------------------------------------------------------------------------------------

describe('region', () => {
  it('takes config, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
    const config = '[default]\nregion = ca-central-1\n[profile p]\nregion = sa-east-1\n'
    const all = envWith({ AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-3' }, config)
    expect(ok({ region: 'us-west-1' }, all).region).toBe('us-west-1')
    expect(ok({}, all).region).toBe('eu-west-2')
    expect(ok({}, envWith({ AWS_DEFAULT_REGION: 'eu-west-3' }, config)).region).toBe('eu-west-3')
    expect(ok({}, envWith({}, config)).region).toBe('ca-central-1')
    expect(ok({}, envWith({ AWS_PROFILE: 'p' }, config)).region).toBe('sa-east-1')
    expect(ok({ profile: 'p' }, envWith({ AWS_PROFILE: 'default' }, config)).region).toBe('sa-east-1')
  })

  it('reads the region from the credentials file too, the config file winning', () => {
    expect(ok({}, envWith({}, '', '[default]\nregion = af-south-1\n')).region).toBe('af-south-1')
    expect(ok({}, envWith({}, '[default]\nregion = me-south-1\n', '[default]\nregion = af-south-1\n')).region).toBe('me-south-1')
  })

  it('is a ConfigError when nothing names one', () => {
    const m = err({}, envWith({ AWS_PROFILE: 'p' }))
    expect(m).toContain('No AWS region')
    expect(m).toContain('"p"')
  })

  it('rejects a name that cannot be a host label', () => {
    expect(err({ region: 'us-east-1/../evil' })).toContain('not a valid region')
    expect(err({ region: '' })).toContain('region')
    expect(err({}, envWith({ AWS_REGION: 'a b' }))).toContain('AWS_REGION')
  })

  it('maps FIPS pseudo-regions to the region with FIPS on, as the SDKs do', () => {
    const r = ok({ region: 'fips-us-gov-west-1' })
    expect(r.region).toBe('us-gov-west-1')
    expect(r.signingRegion).toBe('us-gov-west-1')
    expect(r.useFipsEndpoint).toBe(true)
    expect(r.endpoint.href).toBe('https://ec2.us-gov-west-1.amazonaws.com/')
    expect(ok({ region: 'us-east-2-fips' }).endpoint.href).toBe('https://ec2-fips.us-east-2.amazonaws.com/')
  })
})

describe('endpoint', () => {
  const config = '[default]\nendpoint_url = http://localhost:4001\nservices = local\n[services local]\nec2 =\n  endpoint_url = http://localhost:4002\n'

  it('takes config, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, the services section, the profile, then the partition', () => {
    const env = { AWS_ENDPOINT_URL_EC2: 'http://localhost:4003', AWS_ENDPOINT_URL: 'http://localhost:4004' }
    expect(ok({ region: 'us-east-1', endpoint: 'http://localhost:4000' }, envWith(env, config)).endpoint.port).toBe('4000')
    expect(ok({ region: 'us-east-1' }, envWith(env, config)).endpoint.port).toBe('4003')
    expect(ok({ region: 'us-east-1' }, envWith({ AWS_ENDPOINT_URL: 'http://localhost:4004' }, config)).endpoint.port).toBe('4004')
    expect(ok({ region: 'us-east-1' }, envWith({}, config)).endpoint.port).toBe('4002')
    expect(ok({ region: 'us-east-1' }, envWith({}, '[default]\nendpoint_url = http://localhost:4001\n')).endpoint.port).toBe('4001')
    expect(ok({ region: 'us-east-1' }, envWith()).endpoint.href).toBe('https://ec2.us-east-1.amazonaws.com/')
  })

  it('ignores configured endpoints when told to, but never the explicit one', () => {
    const vars = { AWS_ENDPOINT_URL_EC2: 'http://localhost:4003', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }
    expect(ok({ region: 'us-east-1' }, envWith(vars, config)).endpoint.href).toBe('https://ec2.us-east-1.amazonaws.com/')
    const ignoring = config.replace('[default]\n', '[default]\nignore_configured_endpoint_urls = true\n')
    expect(ok({ region: 'us-east-1' }, envWith({ AWS_ENDPOINT_URL: 'http://localhost:4004' }, ignoring)).endpoint.href).toBe('https://ec2.us-east-1.amazonaws.com/')
    expect(ok({ region: 'us-east-1' }, envWith({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }, ignoring)).endpoint.port).toBe('4002')
    expect(ok({ region: 'us-east-1', endpoint: 'https://vpce.example.com' }, envWith(vars)).endpoint.host).toBe('vpce.example.com')
  })

  it('keeps the region for signing with a custom endpoint', () => {
    const r = ok({ region: 'eu-north-1', endpoint: 'https://ec2.vpce-1.eu-north-1.vpce.amazonaws.com' })
    expect(r.signingRegion).toBe('eu-north-1')
    expect(r.endpoint.hostname).toBe('ec2.vpce-1.eu-north-1.vpce.amazonaws.com')
  })

  it.each(['http://127.0.0.1:8080', 'http://127.9.8.7', 'http://localhost:1', 'http://[::1]:9000', 'http://127.1:5000', 'https://example.com', 'https://10.0.0.1:8443/base'])(
    'accepts %s',
    (endpoint) => {
      expect(ok({ region: 'us-east-1', endpoint }).endpoint.protocol).toMatch(/^https?:$/)
    },
  )

  it.each([
    ['http://10.0.0.1', 'loopback'],
    ['http://ec2.us-east-1.amazonaws.com', 'loopback'],
    ['http://169.254.169.254', 'loopback'],
    ['http://localhost.evil.com', 'loopback'],
    ['ftp://127.0.0.1', 'https://'],
    ['not a url', 'not a valid URL'],
    ['https://example.com/?x=1', 'query'],
  ])('refuses %s', (endpoint, why) => {
    expect(err({ region: 'us-east-1', endpoint })).toContain(why)
  })

  it('refuses user info without echoing the password', () => {
    const m = err({ region: 'us-east-1', endpoint: `https://user:${SECRET}@example.com` })
    expect(m).toContain('user name or password')
    expect(m).not.toContain(SECRET)
  })

  it('names the source of a bad configured endpoint', () => {
    expect(err({ region: 'us-east-1' }, envWith({ AWS_ENDPOINT_URL_EC2: 'http://10.1.1.1' }))).toContain('AWS_ENDPOINT_URL_EC2')
    expect(err({ region: 'us-east-1' }, envWith({}, '[default]\nendpoint_url = http://10.1.1.1\n'))).toContain('endpoint_url of profile "default"')
  })

  it('parseEndpoint is usable on its own', () => {
    expect(E.isRight(parseEndpoint('http://[::1]:1', 'x'))).toBe(true)
    expect(E.isLeft(parseEndpoint('http://[::2]:1', 'x'))).toBe(true)
  })
})

describe('FIPS and dual-stack flags', () => {
  it('take config, then the environment, then the profile', () => {
    expect(ok({ region: 'us-east-1', useFipsEndpoint: false }, envWith({ AWS_USE_FIPS_ENDPOINT: 'true' })).useFipsEndpoint).toBe(false)
    expect(ok({ region: 'us-east-1' }, envWith({ AWS_USE_FIPS_ENDPOINT: 'True' })).endpoint.host).toBe('ec2-fips.us-east-1.amazonaws.com')
    expect(ok({ region: 'us-east-1' }, envWith({ AWS_USE_FIPS_ENDPOINT: 'false' }, '[default]\nuse_fips_endpoint = true\n')).useFipsEndpoint).toBe(false)
    expect(ok({ region: 'us-east-1' }, envWith({}, '[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n')).endpoint.host).toBe('ec2-fips.us-east-1.api.aws')
    expect(ok({ region: 'us-east-1' }, envWith({ AWS_USE_DUALSTACK_ENDPOINT: 'true' })).endpoint.host).toBe('ec2.us-east-1.api.aws')
  })

  it('reject values other than true/false', () => {
    expect(err({ region: 'us-east-1' }, envWith({ AWS_USE_FIPS_ENDPOINT: 'yes' }))).toContain('AWS_USE_FIPS_ENDPOINT')
    expect(err({ region: 'us-east-1' }, envWith({}, '[default]\nuse_dualstack_endpoint = 1\n'))).toContain('use_dualstack_endpoint')
  })

  it('cannot be combined with a custom endpoint, as in the SDKs', () => {
    expect(err({ region: 'us-east-1', endpoint: 'https://example.com', useFipsEndpoint: true })).toContain('FIPS')
    expect(err({ region: 'us-east-1', useDualstackEndpoint: true }, envWith({ AWS_ENDPOINT_URL: 'http://localhost:1' }))).toContain('dual-stack')
    expect(() => sdkEndpointProvider({ Region: 'us-east-1', UseFIPS: true, UseDualStack: false, Endpoint: 'https://example.com' } as never)).toThrow(
      'FIPS and custom endpoint are not supported',
    )
  })
})

describe('maxAttempts, retry, timeouts, limits', () => {
  it('defaults as documented', () => {
    const r = ok({ region: 'us-east-1' })
    expect(r.maxAttempts).toBe(3)
    expect(r.retry).toEqual({ baseDelayMs: 100, maxDelayMs: 20_000 })
    expect(r.connectTimeoutMs).toBe(10_000)
    expect(r.requestTimeoutMs).toBe(60_000)
    expect(r.maxResponseBytes).toBe(10 * 1024 * 1024)
    expect(CONFIG_DEFAULTS.maxAttempts).toBe(3)
    expect(r.useFipsEndpoint).toBe(false)
    expect(r.useDualstackEndpoint).toBe(false)
    expect(r.profile).toBeUndefined()
    expect(r.dispatcher).toBeUndefined()
    expect(r.logger).toBeUndefined()
  })

  it('takes maxAttempts from config, then AWS_MAX_ATTEMPTS, then the profile', () => {
    const env = envWith({ AWS_MAX_ATTEMPTS: '7' }, '[default]\nmax_attempts = 9\n')
    expect(ok({ region: 'us-east-1', maxAttempts: 1 }, env).maxAttempts).toBe(1)
    expect(ok({ region: 'us-east-1' }, env).maxAttempts).toBe(7)
    expect(ok({ region: 'us-east-1' }, envWith({}, '[default]\nmax_attempts = 9\n')).maxAttempts).toBe(9)
  })

  it.each([
    [{ maxAttempts: 0 }, {}, 'maxAttempts'],
    [{ maxAttempts: 1.5 }, {}, 'maxAttempts'],
    [{ maxAttempts: Number.NaN }, {}, 'maxAttempts'],
    [{}, { AWS_MAX_ATTEMPTS: 'three' }, 'AWS_MAX_ATTEMPTS'],
    [{}, { AWS_MAX_ATTEMPTS: '0' }, 'AWS_MAX_ATTEMPTS'],
    [{}, { AWS_MAX_ATTEMPTS: '-2' }, 'AWS_MAX_ATTEMPTS'],
    [{ retry: { baseDelayMs: -1 } }, {}, 'retry.baseDelayMs'],
    [{ retry: { baseDelayMs: 500, maxDelayMs: 100 } }, {}, 'retry.maxDelayMs'],
    [{ connectTimeoutMs: 0 }, {}, 'connectTimeoutMs'],
    [{ requestTimeoutMs: Number.POSITIVE_INFINITY }, {}, 'requestTimeoutMs'],
    [{ maxResponseBytes: 0 }, {}, 'maxResponseBytes'],
  ] as const)('rejects %j with env %j', (config, vars, name) => {
    expect(err({ region: 'us-east-1', ...config }, envWith(vars))).toContain(name)
  })

  it('rejects a bad max_attempts in the profile', () => {
    expect(err({ region: 'us-east-1' }, envWith({}, '[default]\nmax_attempts = lots\n'))).toContain('max_attempts')
  })

  it('passes retry, timeouts, dispatcher and logger through', () => {
    const logger = { debug: () => undefined }
    const r = ok({ region: 'us-east-1', retry: { baseDelayMs: 0, maxDelayMs: 0 }, connectTimeoutMs: 5, requestTimeoutMs: 6, maxResponseBytes: 7, logger, profile: 'x' })
    expect(r.retry).toEqual({ baseDelayMs: 0, maxDelayMs: 0 })
    expect([r.connectTimeoutMs, r.requestTimeoutMs, r.maxResponseBytes]).toEqual([5, 6, 7])
    expect(r.logger).toBe(logger)
    expect(r.profile).toBe('x')
  })
})

describe('credentials', () => {
  it('wraps an object in a provider returning it', async () => {
    const r = ok({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDOBJ', secretAccessKey: SECRET, sessionToken: 't' } })
    expect(await r.credentials()).toEqual({ accessKeyId: 'AKIDOBJ', secretAccessKey: SECRET, sessionToken: 't' })
  })

  it('rejects a malformed object without echoing the secret', () => {
    const m = err({ region: 'us-east-1', credentials: { accessKeyId: '', secretAccessKey: SECRET } })
    expect(m).toContain('accessKeyId')
    expect(m).not.toContain(SECRET)
    expect(err({ region: 'us-east-1', credentials: 'AKID:SECRET' as never })).toContain('not an object')
  })

  it('memoizes a provider function', async () => {
    let calls = 0
    const r = ok({ region: 'us-east-1', credentials: async () => ({ accessKeyId: `AKID${++calls}`, secretAccessKey: SECRET }) })
    await Promise.all([r.credentials(), r.credentials(), r.credentials()])
    expect((await r.credentials()).accessKeyId).toBe('AKID1')
    expect(calls).toBe(1)
  })

  it('uses the default chain over the same environment when absent', async () => {
    const r = ok({ region: 'us-east-1' }, envWith({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: SECRET }))
    expect((await r.credentials()).accessKeyId).toBe('AKIDENV')
  })

  it('passes the selected profile to the default chain', async () => {
    const r = ok({ region: 'us-east-1', profile: 'team' }, envWith({}, '', `[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = ${SECRET}\n`))
    expect((await r.credentials()).accessKeyId).toBe('AKIDTEAM')
  })

  it('reports an unconfigured chain on use, not on resolution, without secrets', async () => {
    const r = ok({ region: 'us-east-1' }, envWith({ AWS_SESSION_TOKEN: SECRET }))
    const e = await rejectionOf(r.credentials())
    expect((e as Error).message).toContain('No AWS credentials found')
    expectNoSecrets(e, [SECRET])
  })
})

describe('proxy', () => {
  it('reads the proxy variables, lower case first, and keeps loopback direct', () => {
    expect(resolveProxy({})).toEqual({ httpProxy: '', httpsProxy: '', noProxy: '' })
    const p = resolveProxy({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1', NO_PROXY: '.corp, 10.0.0.1' })
    expect(p.httpsProxy).toBe('http://lower:1')
    expect(p.noProxy.split(',')).toEqual(['.corp', '10.0.0.1', 'localhost', '127.0.0.1', '[::1]'])
    expect(resolveProxy({ HTTP_PROXY: 'http://p:1', no_proxy: '*' }).noProxy).toBe('*')
    expect(ok({ region: 'us-east-1' }, envWith({ HTTPS_PROXY: 'http://proxy:3128' })).proxy.httpsProxy).toBe('http://proxy:3128')
  })
})

describe('defaultEnvironment', () => {
  it('snapshots process.env and the home directory', () => {
    process.env['CRED_TEST_MARKER'] = 'present'
    try {
      const env = defaultEnvironment()
      expect(env.env['CRED_TEST_MARKER']).toBe('present')
      expect(env.homedir).toBe(os.homedir())
      process.env['CRED_TEST_MARKER'] = 'changed'
      expect(env.env['CRED_TEST_MARKER']).toBe('present')
      expect(env.readFile?.(tmp.file('x.txt', 'hello'))).toBe('hello')
    } finally {
      delete process.env['CRED_TEST_MARKER']
    }
  })
})

describe('endpoints per service', () => {
  const CREDS = { accessKeyId: 'AKID', secretAccessKey: SECRET }
  const urls = (r: ResolvedConfig) => Object.fromEntries(Object.entries(r.services).map(([k, v]) => [k, `${v.url.href} ${v.signingRegion} ${v.custom}`]))

  it('computes each service\'s endpoint and signing region from the partition', () => {
    expect(urls(ok({ region: 'eu-west-1', credentials: CREDS }))).toEqual({
      ec2: 'https://ec2.eu-west-1.amazonaws.com/ eu-west-1 false',
      sts: 'https://sts.eu-west-1.amazonaws.com/ eu-west-1 false',
      iam: 'https://iam.amazonaws.com/ us-east-1 false',
      s3: 'https://s3.eu-west-1.amazonaws.com/ eu-west-1 false',
    })
    expect(urls(ok({ region: 'cn-northwest-1', credentials: CREDS })).iam).toBe('https://iam.cn-north-1.amazonaws.com.cn/ cn-north-1 false')
    expect(urls(ok({ region: 'us-gov-east-1', credentials: CREDS })).iam).toBe('https://iam.us-gov.amazonaws.com/ us-gov-west-1 false')
    expect(urls(ok({ region: 'us-east-2', useFipsEndpoint: true, credentials: CREDS })).s3).toBe('https://s3-fips.us-east-2.amazonaws.com/ us-east-2 false')
  })

  it('points every service at one endpoint given as a string, as AWS_ENDPOINT_URL does', () => {
    const r = ok({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566', credentials: CREDS })
    for (const id of ['ec2', 'sts', 'iam', 's3'] as const) {
      expect(r.services[id].url.href).toBe('http://127.0.0.1:4566/')
      expect(r.services[id].custom).toBe(true)
      expect(r.services[id].signingRegion).toBe('eu-west-1')
    }
    expect(r.endpoint.href).toBe('http://127.0.0.1:4566/')
  })

  it('lets one service be overridden, explicitly or by AWS_ENDPOINT_URL_<SERVICE>, over the global one', () => {
    const r = ok(
      { region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', endpoints: { s3: 'https://bucket.vpce-1.s3.eu-west-1.vpce.amazonaws.com' }, credentials: CREDS },
      envWith({ AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:2' }),
    )
    expect(r.services.s3.url.host).toBe('bucket.vpce-1.s3.eu-west-1.vpce.amazonaws.com')
    // The explicit global endpoint wins over the environment's per-service one, as explicit beats environment.
    expect(r.services.iam.url.href).toBe('http://127.0.0.1:1/')
    const fromEnv = ok({ region: 'eu-west-1', credentials: CREDS }, envWith({ AWS_ENDPOINT_URL: 'http://127.0.0.1:3', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4' }))
    expect(fromEnv.services.s3.url.href).toBe('http://127.0.0.1:4/')
    expect(fromEnv.services.ec2.url.href).toBe('http://127.0.0.1:3/')
  })

  it('refuses a plain-http endpoint for one service off loopback, naming it', () => {
    const r = resolveConfig({ region: 'eu-west-1', endpoints: { iam: 'http://iam.example.com' }, credentials: CREDS }, envWith())
    expect(E.isLeft(r) && r.left.message).toMatch(/^endpoints\.iam uses http:\/\/ for iam\.example\.com/)
  })
})
