/**
 * `ec2-import-image import … --name N`, the whole import from the command line: piped (plain lines, then the AMI id
 * per region), on a terminal (lines redrawn in place), as JSON, with a usage mistake, with a failed import, and
 * interrupted (asked, declined: the task goes on and a re-run picks it up). Then the built command run as a process
 * on a real pseudo-terminal (`script`) and piped.
 */
import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EXIT, main, type CliIo } from '../../src/cli/cli.js'
import { startEmulator, type Emulator } from '../../src/emulator.js'

let emu: Emulator
beforeEach(async () => {
  emu = await startEmulator({ region: 'eu-west-1', regions: 'any', clock: { speed: 2_000 }, imagePendingMs: 20_000 })
})
afterEach(() => emu.close())

const cli = async (argv: Array<string>, opts: { tty?: boolean; interrupt?: AbortSignal } = {}) => {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty === true },
    stderr: { write: (s: string) => (stderr += s) },
    interrupt: opts.interrupt,
    config: { endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials },
    runtime: { environment: { env: {}, homedir: '/nonexistent-home' } },
  }
  const code = await main(argv, io)
  return { code, stdout, stderr }
}

const WORKFLOW = ['import', '--bucket', 'images', '--key', 'web.raw', '--name', 'web 1.4', '--min-delay-ms', '20', '--max-delay-ms', '50']

describe('import --name (in process)', () => {
  it('piped: one plain line per event, then the AMI id per region; tags, arch and IMDSv2 reach the AMI', async () => {
    const r = await cli([...WORKFLOW, '--arch', 'arm64', '--boot-mode', 'uefi', '--imds-v2', '--tag', 'app=web', '--copy-to', 'us-west-2', '--share-with', '210987654321'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(EXIT.ok)
    const lines = r.stdout.trim().split('\n')
    const ids = lines.slice(-2)
    expect(ids[0]).toMatch(/^eu-west-1 {2}ami-[0-9a-f]{17}$/)
    expect(ids[1]).toMatch(/^us-west-2 {2}ami-[0-9a-f]{17}$/)
    expect(lines.slice(0, -2).every((l) => /^\d\d:\d\d:\d\d (eu-west-1|us-west-2) (validate|import|register|available|tag|copy|share) /.test(l))).toBe(true)
    expect(r.stdout).not.toContain('\x1b[')
    const image = emu.images('eu-west-1')[0]!
    expect(image).toMatchObject({ Name: 'web 1.4', Architecture: 'arm64', BootMode: 'uefi', ImdsSupport: 'v2.0' })
    expect(image.Tags).toContainEqual({ Key: 'app', Value: 'web' })
    expect(emu.images('us-west-2')).toHaveLength(1)
  })

  it('on a terminal: lines redrawn in place, with the elapsed time', async () => {
    const r = await cli(WORKFLOW, { tty: true })
    expect(r.code).toBe(EXIT.ok)
    expect(r.stdout).toContain('\x1b[2K')
    expect(r.stdout).toMatch(/elapsed \d\d:\d\d:\d\d/)
    expect(r.stdout).toMatch(/eu-west-1 +register/)
  })

  it('--json: one progress event per line, then the result', async () => {
    const r = await cli([...WORKFLOW, '--json'])
    expect(r.code).toBe(EXIT.ok)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; phase?: string; images?: Record<string, { imageId: string }> })
    expect(events.at(-1)!.event).toBe('completed')
    expect(events.at(-1)!.images!['eu-west-1']!.imageId).toMatch(/^ami-/)
    expect(events.slice(0, -1).every((e) => e.event === 'progress' && typeof e.phase === 'string')).toBe(true)
  })

  it('a usage mistake exits 2 and sends nothing', async () => {
    const r = await cli([...WORKFLOW, '--method', 'sideways'])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stderr).toContain('--method sideways')
    const v = await cli(['import', '--bucket', 'b', '--key', 'disk.vhdx', '--name', 'web 1.4'])
    expect(v.code).toBe(EXIT.usage)
    expect(v.stderr).toContain('VHD, VMDK and RAW only')
    expect(emu.requests).toHaveLength(0)
  })

  it('a failed import exits 1 with the reason and a hint', async () => {
    const r = await cli(['import', '--bucket', 'images', '--key', 'fail.vmdk', '--name', 'web 1.4', '--min-delay-ms', '20', '--max-delay-ms', '50'])
    expect(r.code).toBe(EXIT.importFailed)
    expect(r.stderr).toMatch(/failed in phase import/)
    expect(r.stderr).toMatch(/^hint: /m)
  })

  it('interrupted during the import and not confirmed: the task goes on, and the same command picks it up', async () => {
    await emu.close()
    // Import work 200× real time: about 0.7 s of wall time for the snapshot import, so the interrupt lands in it.
    emu = await startEmulator({ region: 'eu-west-1', regions: 'any', clock: { speed: 200 }, imagePendingMs: 20_000 })
    const ctrlC = new AbortController()
    setTimeout(() => ctrlC.abort(), 150)
    const first = await cli(WORKFLOW, { interrupt: ctrlC.signal })
    expect(first.code).toBe(EXIT.interrupted)
    expect(first.stderr).toMatch(/goes on; run the same command again/)
    expect(emu.snapshotTasks('eu-west-1')[0]!.SnapshotTaskDetail?.Status).toBe('active')
    const again = await cli(WORKFLOW)
    expect(again.code).toBe(EXIT.ok)
    expect(emu.snapshotTasks('eu-west-1')).toHaveLength(1)
    expect(emu.images('eu-west-1')).toHaveLength(1)
  })
})

const BIN = resolve(import.meta.dirname, '../../dist/cli.js')

describe.skipIf(!existsSync(BIN))('import --name, the built command as a process', () => {
  it('piped: plain lines and the AMI ids, exit 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'import', '--local', '--bucket', 'images', '--key', 'web.raw', '--name', 'web 1.4', '--copy-to', 'us-west-2'], { timeout: 60_000 })
    const lines = stdout.trim().split('\n')
    expect(lines.at(-2)).toMatch(/^us-east-1 {2}ami-/)
    expect(lines.at(-1)).toMatch(/^us-west-2 {2}ami-/)
    expect(stdout).not.toContain('\x1b[')
  })

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('on a pseudo-terminal (script): redrawn lines and the AMI id', () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} import --local --bucket images --key web.raw --name 'web 1.4'`
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('\x1b[2K')
    expect(r.stdout).toMatch(/us-east-1 {2}ami-[0-9a-f]{17}/)
  })
})
