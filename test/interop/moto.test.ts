/**
 * The interop harness itself: moto starts, answers STS GetCallerIdentity signed by our pipeline's signer, and stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { available, startMoto, type Moto } from './moto.js'

const why = available()
if (why !== true && process.env['MOTO_REQUIRED'] === '1') throw new Error(`the interop suite needs moto: ${why}`)

describe.skipIf(why !== true)(`moto's server${why === true ? '' : ` (skipped: ${why})`}`, () => {
  let moto: Moto
  beforeAll(async () => {
    moto = await startMoto()
  }, 60_000)
  afterAll(() => moto?.stop())

  it('starts on a free loopback port and answers', async () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const r = await fetch(`${moto.endpoint}/moto-api/`)
    expect(r.status).toBeLessThan(500)
  })
})
