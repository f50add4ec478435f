import { describe, expect, it } from 'vitest'
import {
  type AwsCredentialIdentity,
  CredentialsProviderError,
  credentialsProblem,
  isCredentialsProviderError,
  memoizeCredentials,
  validateCredentials,
} from '../src/Credentials.js'
import { expectNoSecrets, rejectionOf } from './helpers/cred-fakes.js'

const MIN = 60_000
const SECRET = 'memo-SECRET-key-do-not-leak-81f2'

const creds = (n: number, expiration?: number): AwsCredentialIdentity => ({
  accessKeyId: `AKID${n}`,
  secretAccessKey: SECRET,
  ...(expiration !== undefined ? { expiration: new Date(expiration) } : {}),
})

const deferred = <A>() => {
  let resolve!: (a: A) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<A>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('CredentialsProviderError', () => {
  it('defaults tryNextLink to false and keeps provider, code and status', () => {
    const e = new CredentialsProviderError('nope', { provider: 'fromX', code: 'AccessDenied', statusCode: 403 })
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('CredentialsProviderError')
    expect(e.tryNextLink).toBe(false)
    expect(e.provider).toBe('fromX')
    expect(e.code).toBe('AccessDenied')
    expect(e.statusCode).toBe(403)
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ provider: 'fromX', tryNextLink: false, code: 'AccessDenied' })
  })

  it('carries a cause when given one', () => {
    const cause = new Error('socket hang up')
    const e = new CredentialsProviderError('x', { provider: 'p', tryNextLink: true, cause })
    expect(e.cause).toBe(cause)
    expect(e.tryNextLink).toBe(true)
  })

  it('is recognised by shape as well as by class (dual ESM/CJS loading)', () => {
    const foreign = Object.assign(new Error('x'), { name: 'CredentialsProviderError', provider: 'p', tryNextLink: true })
    expect(isCredentialsProviderError(foreign)).toBe(true)
    expect(isCredentialsProviderError(new CredentialsProviderError('x', { provider: 'p' }))).toBe(true)
    expect(isCredentialsProviderError(new Error('x'))).toBe(false)
    expect(isCredentialsProviderError({ provider: 'p', tryNextLink: true })).toBe(false)
  })
})

describe('credentialsProblem / validateCredentials', () => {
  it('accepts well-formed credentials', () => {
    expect(credentialsProblem(creds(1))).toBeUndefined()
    expect(credentialsProblem({ ...creds(1), sessionToken: 't', expiration: new Date(0) })).toBeUndefined()
  })

  it.each([
    [null, 'not an object'],
    ['AKID', 'not an object'],
    [{ secretAccessKey: SECRET }, 'accessKeyId'],
    [{ accessKeyId: 'A', secretAccessKey: '' }, 'secretAccessKey'],
    [{ accessKeyId: 'A', secretAccessKey: SECRET, sessionToken: 5 }, 'sessionToken'],
    [{ accessKeyId: 'A', secretAccessKey: SECRET, expiration: 'tomorrow' }, 'expiration'],
    [{ accessKeyId: 'A', secretAccessKey: SECRET, expiration: new Date(Number.NaN) }, 'expiration'],
  ])('names the problem of %j without quoting values', (value, problem) => {
    expect(credentialsProblem(value)).toContain(problem)
    const e = (() => {
      try {
        validateCredentials(value, 'test provider')
      } catch (err) {
        return err
      }
      return undefined
    })()
    expect(isCredentialsProviderError(e)).toBe(true)
    expectNoSecrets(e, [SECRET])
  })
})

describe('memoizeCredentials', () => {
  it('caches credentials without expiration forever', async () => {
    let t = 0
    let calls = 0
    const p = memoizeCredentials(async () => creds(++calls), { now: () => t })
    expect((await p()).accessKeyId).toBe('AKID1')
    t = 365 * 24 * 60 * MIN
    expect((await p()).accessKeyId).toBe('AKID1')
    expect(calls).toBe(1)
  })

  it('refreshes credentials 5 minutes before they expire, not earlier', async () => {
    let t = 0
    let calls = 0
    const p = memoizeCredentials(async () => {
      calls++
      return creds(calls, t + 60 * MIN)
    }, { now: () => t })
    expect((await p()).accessKeyId).toBe('AKID1')
    t = 54 * MIN
    expect((await p()).accessKeyId).toBe('AKID1')
    expect(calls).toBe(1)
    t = 55 * MIN + 1
    expect((await p()).accessKeyId).toBe('AKID2')
    expect(calls).toBe(2)
    expect((await p()).accessKeyId).toBe('AKID2')
    expect(calls).toBe(2)
  })

  it('honours refreshBeforeMs', async () => {
    let t = 0
    let calls = 0
    const p = memoizeCredentials(async () => creds(++calls, 10 * MIN), { now: () => t, refreshBeforeMs: MIN })
    await p()
    t = 8 * MIN
    await p()
    expect(calls).toBe(1)
    t = 9 * MIN + 1
    await p()
    expect(calls).toBe(2)
  })

  it('shares one in-flight refresh among 10 concurrent callers', async () => {
    let calls = 0
    const d = deferred<AwsCredentialIdentity>()
    const p = memoizeCredentials(() => {
      calls++
      return d.promise
    })
    const all = Promise.all(Array.from({ length: 10 }, () => p()))
    d.resolve(creds(7))
    const results = await all
    expect(calls).toBe(1)
    expect(new Set(results.map((c) => c.accessKeyId))).toEqual(new Set(['AKID7']))
  })

  it('shares one in-flight refresh when cached credentials are due for refresh', async () => {
    let t = 0
    let calls = 0
    let d = deferred<AwsCredentialIdentity>()
    const p = memoizeCredentials(() => {
      calls++
      return d.promise
    }, { now: () => t })
    const first = p()
    d.resolve(creds(1, 60 * MIN))
    await first
    d = deferred()
    t = 58 * MIN
    const all = Promise.all(Array.from({ length: 10 }, () => p()))
    d.resolve(creds(2, 120 * MIN))
    expect((await all).every((c) => c.accessKeyId === 'AKID2')).toBe(true)
    expect(calls).toBe(2)
  })

  it('does not cache a failure', async () => {
    let calls = 0
    const p = memoizeCredentials(async () => {
      calls++
      if (calls === 1) throw new CredentialsProviderError('temporary', { provider: 'fake' })
      return creds(calls)
    })
    const e = await rejectionOf(p())
    expect((e as Error).message).toBe('temporary')
    expect((await p()).accessKeyId).toBe('AKID2')
    expect(calls).toBe(2)
  })

  it('shares a failing in-flight call, then tries again', async () => {
    let calls = 0
    const d = deferred<AwsCredentialIdentity>()
    const p = memoizeCredentials(() => {
      calls++
      return calls === 1 ? d.promise : Promise.resolve(creds(calls))
    })
    const all = Promise.allSettled(Array.from({ length: 5 }, () => p()))
    d.reject(new CredentialsProviderError('down', { provider: 'fake' }))
    expect((await all).every((r) => r.status === 'rejected')).toBe(true)
    expect(calls).toBe(1)
    expect((await p()).accessKeyId).toBe('AKID2')
  })

  it('falls back to still-valid credentials when a refresh fails, and retries on the next call', async () => {
    let t = 0
    let calls = 0
    const p = memoizeCredentials(async () => {
      calls++
      if (calls === 2) throw new CredentialsProviderError('blip', { provider: 'fake' })
      return creds(calls, t + 60 * MIN)
    }, { now: () => t })
    await p()
    t = 57 * MIN
    expect((await p()).accessKeyId).toBe('AKID1')
    expect(calls).toBe(2)
    expect((await p()).accessKeyId).toBe('AKID3')
    expect(calls).toBe(3)
  })

  it('rejects once the cached credentials have expired and the refresh fails', async () => {
    let t = 0
    let calls = 0
    const p = memoizeCredentials(async () => {
      calls++
      if (calls > 1) throw new CredentialsProviderError('gone', { provider: 'fake' })
      return creds(1, 60 * MIN)
    }, { now: () => t })
    await p()
    t = 61 * MIN
    expect(((await rejectionOf(p())) as Error).message).toBe('gone')
  })

  it('refreshes on demand with forceRefresh', async () => {
    let calls = 0
    const p = memoizeCredentials(async () => creds(++calls))
    await p()
    expect((await p({ forceRefresh: true })).accessKeyId).toBe('AKID2')
    expect((await p()).accessKeyId).toBe('AKID2')
  })

  it('rejects malformed provider output without caching it or leaking the secret', async () => {
    let calls = 0
    const p = memoizeCredentials(async () => {
      calls++
      return (calls === 1 ? { accessKeyId: '', secretAccessKey: SECRET } : creds(2)) as AwsCredentialIdentity
    })
    const e = await rejectionOf(p())
    expect(isCredentialsProviderError(e)).toBe(true)
    expectNoSecrets(e, [SECRET])
    expect((await p()).accessKeyId).toBe('AKID2')
  })

  it('turns a provider that throws synchronously into a rejection', async () => {
    const p = memoizeCredentials((() => {
      throw new Error('sync')
    }) as () => Promise<AwsCredentialIdentity>)
    await expect(p()).rejects.toThrow('sync')
  })
})
