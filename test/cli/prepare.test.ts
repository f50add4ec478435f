/**
 * The commands before an import, in process against the emulator: `role ensure` (dry run writes nothing; then it
 * makes the role, and a second run changes nothing), `upload` (the object lands with its checksum), `preflight` (a
 * table; exit 1 while something would fail, 0 once role and object are there), and `import FILE --name`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EXIT, main, type CliIo } from '../../src/cli/cli.js'
import { startEmulator, type Emulator } from '../../src/emulator.js'
// @ts-expect-error -- a plain ES module of the examples, without declarations
import { writeSmallUefiDisk } from '../../examples/disk-image.mjs'

let emu: Emulator
let dir: string
let file: string
beforeEach(async () => {
  emu = await startEmulator({ region: 'eu-west-1', regions: 'any', strict: true, clock: { speed: 2_000 }, imagePendingMs: 20_000, buckets: [{ name: 'images' }] })
  dir = mkdtempSync(join(tmpdir(), 'cli-prepare-'))
  file = join(dir, 'web.raw')
  ;(writeSmallUefiDisk as (path: string) => number)(file)
})
afterEach(async () => {
  await emu.close()
  rmSync(dir, { recursive: true, force: true })
})

const cli = async (argv: Array<string>) => {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    config: { endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials },
    runtime: { environment: { env: {}, homedir: '/nonexistent-home' } },
  }
  return { code: await main(argv, io), stdout, stderr }
}

describe('preflight, role ensure, upload, import FILE', () => {
  it('role ensure: a dry run writes nothing; then the role is made; again, nothing changes', async () => {
    const dry = await cli(['role', 'ensure', '--bucket', 'images', '--dry-run'])
    expect(dry.code).toBe(EXIT.ok)
    expect(dry.stdout).toMatch(/^would call: CreateRole, PutRolePolicy/)
    expect(emu.role('vmimport')).toBeUndefined()
    const made = await cli(['role', 'ensure', '--bucket', 'images'])
    expect(made.stdout).toMatch(/^called: CreateRole, PutRolePolicy/)
    expect(emu.role('vmimport')).toBeDefined()
    const again = await cli(['role', 'ensure', '--bucket', 'images'])
    expect(again.stdout).toMatch(/nothing changed/)
  })

  it('preflight fails (exit 1) without role and object, and passes (exit 0) once both are there', async () => {
    const before = await cli(['preflight', '--bucket', 'images', '--key', 'web.raw'])
    expect(before.code).toBe(1)
    expect(before.stdout).toMatch(/^FAIL +role /m)
    expect(before.stdout).toMatch(/^FAIL +object /m)
    expect((await cli(['role', 'ensure', '--bucket', 'images'])).code).toBe(EXIT.ok)
    const up = await cli(['upload', file, '--bucket', 'images'])
    expect(up.code).toBe(EXIT.ok)
    expect(up.stdout).toMatch(/s3:\/\/images\/web\.raw uploaded: RAW, 8\.0 MiB, CRC32 /)
    expect(emu.s3Object('images', 'web.raw')?.size).toBe(8 * 1024 * 1024)
    const after = await cli(['preflight', '--bucket', 'images', '--key', 'web.raw', '--json'])
    expect(after.code).toBe(EXIT.ok)
    const report = JSON.parse(after.stdout) as { ok: boolean; checks: Array<{ id: string; status: string }> }
    expect(report.ok).toBe(true)
    expect(report.checks.find((c) => c.id === 'role-trust')?.status).toBe('pass')
  })

  it('import FILE --name: role, preflight, upload and the import, then the AMI id', async () => {
    const r = await cli(['import', file, '--bucket', 'images', '--name', 'web 1.4', '--ensure-role', '--min-delay-ms', '20', '--max-delay-ms', '50'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(EXIT.ok)
    expect(r.stdout).toMatch(/ eu-west-1 upload /)
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^eu-west-1 {2}ami-[0-9a-f]{17}$/)
    expect(emu.images('eu-west-1')[0]?.BootMode).toBe('uefi')
  })

  it('usage mistakes exit 2', async () => {
    expect((await cli(['role', 'make', '--bucket', 'images'])).code).toBe(EXIT.usage)
    expect((await cli(['upload', '--bucket', 'images'])).code).toBe(EXIT.usage)
    expect((await cli(['import', file, '--bucket', 'images'])).code).toBe(EXIT.usage)
    expect((await cli(['preflight', '--bucket', 'images'])).code).toBe(EXIT.usage)
  })
})
