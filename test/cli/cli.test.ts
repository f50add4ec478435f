import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EXIT, main, type CliIo } from '../../src/cli/cli.js'
import { startEmulator, type Emulator } from '../../src/emulator.js'
import { startServer, stsErrorXml, stsSuccessXml, tempDir } from '../helpers/cred-fakes.js'

let emu: Emulator

beforeEach(async () => {
  emu = await startEmulator({ clock: 'manual' })
})
afterEach(async () => {
  await emu.close()
})

/** An in-process run of the command line: output captured, waits stepped on the emulator's clock. */
const cli = async (argv: Array<string>, opts: { tty?: boolean; stdin?: NodeJS.ReadableStream; interrupt?: AbortSignal; onSleep?: () => void } = {}) => {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty === true },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: opts.stdin,
    interrupt: opts.interrupt,
    config: { endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials },
    runtime: {
      environment: { env: {}, homedir: '/nonexistent-home' },
      // no jitter: every poll waits the 15 s minimum on the emulator's clock, the same in every run
      random: () => 0,
      sleep: async (ms) => {
        emu.clock.advance(ms)
        opts.onSleep?.()
      },
    },
  }
  const code = await main(argv, io)
  return { code, stdout, stderr }
}

const IMPORT = ['import', '--format', 'vmdk', '--bucket', 'images', '--key', 'web.vmdk', '--boot-mode', 'uefi', '--platform', 'Linux', '--tag', 'team=platform']

describe('ec2-import-image (in process)', () => {
  it('import starts a task and prints its id', async () => {
    const r = await cli(IMPORT)
    expect(r.code).toBe(EXIT.ok)
    expect(r.stdout).toMatch(/^started import-ami-[0-9a-f]{17} \(active pending\)\n$/)
    const task = emu.tasks()[0]!
    expect(task.Tags).toEqual([{ Key: 'team', Value: 'platform' }])
  })

  it('import --wait piped prints plain progress lines and the AMI id', async () => {
    const r = await cli([...IMPORT, '--wait'])
    expect(r.code).toBe(EXIT.ok)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^started import-ami-/)
    expect(lines.some((l) => /active converting \d+%$/.test(l))).toBe(true)
    expect(lines.at(-1)).toMatch(/^completed: ami-[0-9a-f]{17}$/)
    expect(r.stdout).not.toContain('\r')
    expect(r.stdout).not.toContain('\x1b[')
  })

  it('import --wait on a terminal draws a progress bar in place', async () => {
    const r = await cli([...IMPORT, '--wait'], { tty: true })
    expect(r.code).toBe(EXIT.ok)
    expect(r.stdout).toMatch(/\r\[#*-*\] +\d+% converting \d\d:\d\d:\d\d\x1b\[K/)
    expect(r.stdout).toMatch(/completed: ami-[0-9a-f]{17}\n$/)
  })

  it('--json prints machine-readable results', async () => {
    const started = await cli([...IMPORT, '--json'])
    const result = JSON.parse(started.stdout) as { ImportTaskId: string; $metadata: { attempts: number } }
    expect(result.ImportTaskId).toMatch(/^import-ami-/)
    expect(result.$metadata.attempts).toBe(1)
    const status = await cli(['status', result.ImportTaskId, '--json'])
    expect(JSON.parse(status.stdout).Status).toBe('active')
    const list = await cli(['list', '--state', 'active', '--json'])
    expect((JSON.parse(list.stdout) as Array<{ ImportTaskId: string }>).map((t) => t.ImportTaskId)).toEqual([result.ImportTaskId])
  })

  it('a failed import exits 1 with the classified reason on one line', async () => {
    const r = await cli(['import', '--format', 'vmdk', '--bucket', 'images', '--key', 'fail-this.vmdk', '--wait'])
    expect(r.code).toBe(EXIT.importFailed)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^error: import task import-ami-[0-9a-f]+ ended deleted: .+\(unknown-os\)/)
  })

  it('an AWS error exits 3 with the EC2 code and request id', async () => {
    const r = await cli(['cancel', 'import-ami-00000000000000000'])
    expect(r.code).toBe(EXIT.awsError)
    expect(r.stderr).toMatch(/^error: InvalidConversionTaskId\.Malformed: .+ \(HTTP 400, request id [0-9a-f-]{36}\)\n$/)
  })

  it('usage errors exit 2 and send nothing', async () => {
    for (const argv of [['import', '--format', 'vmdk'], ['import', '--format', 'qcow2', '--url', 's3://b/k'], ['frobnicate'], ['wait'], ['import', '--nope']]) {
      const r = await cli(argv)
      expect(r.code, argv.join(' ')).toBe(EXIT.usage)
      expect(r.stderr).toMatch(/^error: /)
    }
    expect(emu.requests).toHaveLength(0)
  })

  it('--dry-run asks EC2 without importing', async () => {
    const r = await cli([...IMPORT, '--dry-run'])
    expect(r.code).toBe(EXIT.ok)
    expect(r.stdout).toBe('dry run: the import would be allowed\n')
    expect(emu.tasks()).toHaveLength(0)
  })

  it('Ctrl-C during a wait on a terminal offers to cancel, and yes cancels the task', async () => {
    const started = await cli([...IMPORT, '--json'])
    const id = (JSON.parse(started.stdout) as { ImportTaskId: string }).ImportTaskId
    const ctrlC = new AbortController()
    const stdin = new PassThrough()
    const r = await cli(['wait', id], {
      tty: true,
      stdin,
      interrupt: ctrlC.signal,
      onSleep: () => {
        ctrlC.abort()
        setTimeout(() => stdin.write('y\n'), 20)
      },
    })
    expect(r.code).toBe(EXIT.interrupted)
    expect(r.stdout).toContain(`Cancel import task ${id}? [y/N] `)
    expect(r.stderr).toBe(`cancelled ${id} (active -> deleting)\n`)
    expect(emu.requests.some((q) => q.action === 'CancelImportTask')).toBe(true)
  })

  it('Ctrl-C during a piped wait stops waiting and leaves the task running', async () => {
    const started = await cli([...IMPORT, '--json'])
    const id = (JSON.parse(started.stdout) as { ImportTaskId: string }).ImportTaskId
    const ctrlC = new AbortController()
    const r = await cli(['wait', id], { interrupt: ctrlC.signal, onSleep: () => ctrlC.abort() })
    expect(r.code).toBe(EXIT.interrupted)
    expect(r.stderr).toContain(`stopped waiting; ${id} goes on`)
    expect(emu.requests.some((q) => q.action === 'CancelImportTask')).toBe(false)
  })
})

const bin = resolve(__dirname, '../../dist/cli.js')

describe.runIf(existsSync(bin))('ec2-import-image (the built executable)', () => {
  const run = promisify(execFile)

  it('--local --wait on a real pseudo-terminal shows the bar and the AMI id', async () => {
    // script(1) gives the process a pseudo-terminal, so stdout.isTTY is true as in a person's shell.
    const cmd = `node ${bin} import --local --format vmdk --bucket b --key k.vmdk --wait --min-delay-ms 100 --max-delay-ms 300`
    const { stdout } = await run('script', ['-qec', cmd, '/dev/null'], { timeout: 60_000 })
    expect(stdout).toMatch(/\r\[#*-*\] +\d+% /)
    expect(stdout).toMatch(/completed: ami-[0-9a-f]{17}/)
  })

  it('--local --wait piped prints lines, no control characters', async () => {
    const { stdout } = await run('node', [bin, 'import', '--local', '--format', 'vmdk', '--bucket', 'b', '--key', 'k.vmdk', '--wait', '--min-delay-ms', '100', '--max-delay-ms', '300'], { timeout: 60_000 })
    expect(stdout).not.toContain('\x1b[')
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^completed: ami-[0-9a-f]{17}$/)
  })

  it('exits 2 on a usage error', async () => {
    await expect(run('node', [bin, 'import'])).rejects.toMatchObject({ code: 2 })
  })
})

describe('a profile whose role requires MFA', () => {
  it('asks for the code on the terminal (stderr), assumes the role with it, and goes on', async () => {
    const role = { accessKeyId: 'ASIAMFAROLE', secretAccessKey: 'mfa-role-secret-value-0123456789', sessionToken: 'mfa-role-session-token-value' }
    const ec2 = await startEmulator({ clock: 'manual', credentials: role })
    const sts = await startServer((req) => {
      const form = new URLSearchParams(req.body)
      return form.get('TokenCode') === '123456' && form.get('SerialNumber') === 'arn:aws:iam::123456789012:mfa/me'
        ? { headers: { 'content-type': 'text/xml' }, body: stsSuccessXml('AssumeRole', { ...role, expiration: new Date(Date.now() + 3_600_000).toISOString() }) }
        : { status: 403, headers: { 'content-type': 'text/xml' }, body: stsErrorXml('AccessDenied', 'MultiFactorAuthentication failed') }
    })
    const home = tempDir()
    const config = home.file('config', `[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/importer\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\nregion = ${ec2.region}\n`)
    const credentials = home.file('credentials', '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret-value-0123456789\n')
    const stdin = Object.assign(new PassThrough(), { isTTY: true })
    let stdout = ''
    let stderr = ''
    const io: CliIo = {
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: {
        write: (s: string) => {
          stderr += s
          // the person types the code once asked
          if (s.startsWith('MFA code for ')) stdin.write('123456\n')
        },
      },
      stdin,
      config: { endpoint: ec2.endpoint },
      runtime: {
        environment: {
          env: { AWS_PROFILE: 'mfa', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_ENDPOINT_URL_STS: sts.url },
          homedir: home.dir,
        },
      },
    }
    try {
      const code = await main(['list'], io)
      expect(stderr).toContain('MFA code for arn:aws:iam::123456789012:mfa/me: ')
      expect(code).toBe(EXIT.ok)
      expect(sts.requests).toHaveLength(1)
      expect(ec2.requests.map((q) => q.action)).toEqual(['DescribeImportImageTasks'])
    } finally {
      await Promise.all([ec2.close(), sts.close()])
      home.cleanup()
    }
  })
})
