import { afterAll, beforeAll, expect, it } from 'vitest'
import { createClient, type Ec2ImportClient } from '../src/index.js'
import { startEmulator, type Emulator } from '../src/emulator.js'
import { cancelTask, describeTasks, startImport, waitForImage } from '../examples/operations.js'

let emu: Emulator
let ec2: Ec2ImportClient

beforeAll(async () => {
  emu = await startEmulator({ clock: 'manual' })
  ec2 = createClient(
    { endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials },
    {
      environment: { env: {}, homedir: '/nonexistent-home' },
      sleep: async (ms) => emu.clock.advance(ms),
    },
  )
})
afterAll(async () => {
  await ec2.close()
  await emu.close()
})

it('the README examples run: import, describe, wait, cancel', async () => {
  const first = await startImport(ec2)
  expect(first).toMatch(/^import-ami-[0-9a-f]{17}$/)
  const seen = await describeTasks(ec2, first)
  expect(seen.map((t) => t.ImportTaskId)).toEqual([first, first])
  expect(await waitForImage(ec2, first)).toMatch(/^ami-[0-9a-f]{17}$/)
  const second = await startImport(ec2) // the same request, a new ClientToken: a second task
  expect(second).not.toBe(first)
  expect(await cancelTask(ec2, second)).toBe('deleting')
})
