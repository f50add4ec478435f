// `ec2-import-image emulator`: the standalone server, started as a child process, driven over HTTP by
// @aws-sdk/client-ec2 (a client we did not write, as the AWS CLI or Terraform would be), and stopped with SIGINT or
// SIGTERM. The executable is bundled from the current source with esbuild (what tsup uses), so the test needs no
// `npm run build` and never runs a stale dist/.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { DescribeImagesCommand, DescribeImportSnapshotTasksCommand, EC2Client, ImportSnapshotCommand } from '@aws-sdk/client-ec2'
import { build } from 'esbuild'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EXIT, main, type CliIo } from '../../src/cli/cli.js'

const root = resolve(__dirname, '../..')
const outDir = resolve(root, 'temp/emulator-command')
const bin = resolve(outDir, 'cli.mjs')

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true })
  await build({
    entryPoints: [resolve(root, 'src/cli/bin.ts')],
    outfile: bin,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // dependencies resolve from the package's node_modules, as they do for the published dist/cli.js
    packages: 'external',
    logLevel: 'silent',
  })
}, 60_000)

interface Running {
  readonly child: ChildProcessWithoutNullStreams
  readonly env: Record<string, string>
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children: Array<ChildProcessWithoutNullStreams> = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})

/** Start `ec2-import-image emulator ARGS` and resolve once it has printed its environment lines. */
const serve = (args: Array<string>): Promise<Running> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, 'emulator', ...args], { cwd: root, stdio: 'pipe' })
    children.push(child)
    let out = ''
    let err = ''
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    )
    const timer = setTimeout(() => reject(new Error(`no endpoint printed; stderr: ${err}`)), 15_000)
    // stdout and stderr are separate pipes: ready once both the env lines and the banner have arrived
    const check = () => {
      if (/^export .*\n/m.test(out) && err.includes('listening')) {
        clearTimeout(timer)
        const env = Object.fromEntries(
          out
            .split('\n')
            .filter((l) => /^[A-Z_]+=/.test(l))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        )
        resolvePromise({ child, env, stdout: () => out, stderr: () => err, exit })
      }
    }
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString()
      check()
    })
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      check()
    })
    void exit.then(({ code }) => reject(new Error(`exited ${code} before serving; stderr: ${err}`)))
  })

const sdk = (env: Record<string, string>, region: string) =>
  new EC2Client({
    endpoint: env['AWS_ENDPOINT_URL']!,
    region,
    credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID']!, secretAccessKey: env['AWS_SECRET_ACCESS_KEY']! },
    maxAttempts: 1,
  })

const portIsFree = (port: number): Promise<boolean> =>
  new Promise((r) => {
    const probe = createServer()
    probe.once('error', () => r(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => r(true)))
  })

describe('ec2-import-image emulator (a child process)', () => {
  it('prints the endpoint and keys as env lines, serves the snapshot path in many regions, and stops on SIGINT', async () => {
    const run = await serve(['--port', '0', '--regions', 'us-east-1,eu-west-1'])
    // only env lines on stdout: NAME=value, then one export line naming them
    expect(run.stdout()).toMatch(
      /^AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+\nAWS_ACCESS_KEY_ID=\S+\nAWS_SECRET_ACCESS_KEY=\S+\nAWS_REGION=us-east-1\nAWS_DEFAULT_REGION=us-east-1\nexport AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION AWS_DEFAULT_REGION\n$/,
    )
    expect(run.stderr()).toContain('regions us-east-1, eu-west-1')
    const port = Number(new URL(run.env['AWS_ENDPOINT_URL']!).port)

    const east = sdk(run.env, 'us-east-1')
    const west = sdk(run.env, 'eu-west-1')
    try {
      const started = await west.send(
        new ImportSnapshotCommand({ DiskContainer: { Format: 'VMDK', UserBucket: { S3Bucket: 'b', S3Key: 'disk.vmdk' } } }),
      )
      expect(started.ImportTaskId).toMatch(/^import-snap-/)
      expect(started.SnapshotTaskDetail?.Status).toBe('active')
      // the task is in eu-west-1 only
      const inWest = await west.send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [started.ImportTaskId!] }))
      expect(inWest.ImportSnapshotTasks?.[0]?.ImportTaskId).toBe(started.ImportTaskId)
      await expect(east.send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [started.ImportTaskId!] }))).rejects.toMatchObject({
        name: 'InvalidConversionTaskId.Malformed',
      })
      expect((await east.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toStrictEqual([])
      // a region outside --regions is refused
      const south = sdk(run.env, 'ap-south-1')
      await expect(south.send(new DescribeImagesCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' })
      south.destroy()
    } finally {
      east.destroy()
      west.destroy()
    }

    run.child.kill('SIGINT')
    const { code } = await run.exit
    expect(code).toBe(EXIT.ok)
    expect(run.stderr()).toContain('stopped')
    expect(await portIsFree(port)).toBe(true)
  }, 30_000)

  it('says one endpoint serves EC2, S3, IAM and STS, and with --strict refuses an import without the vmimport role', async () => {
    const run = await serve(['--strict', '--regions', 'us-east-1'])
    expect(run.stderr()).toContain('one endpoint serves EC2, S3 (path style), IAM and STS')
    expect(run.stderr()).toContain('strict')
    const east = sdk(run.env, 'us-east-1')
    try {
      await expect(
        east.send(new ImportSnapshotCommand({ DiskContainer: { Format: 'VMDK', UserBucket: { S3Bucket: 'b', S3Key: 'disk.vmdk' } } })),
      ).rejects.toMatchObject({
        name: 'InvalidParameter',
        message: 'The service role vmimport provided does not exist or does not have sufficient permissions',
      })
    } finally {
      east.destroy()
    }
    run.child.kill('SIGTERM')
    expect((await run.exit).code).toBe(EXIT.ok)
  }, 30_000)

  it('serves any region by default, listens on --port, and stops on SIGTERM', async () => {
    const free = await new Promise<number>((r) => {
      const probe = createServer()
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port
        probe.close(() => r(p))
      })
    })
    const run = await serve(['--port', String(free)])
    expect(run.env['AWS_ENDPOINT_URL']).toBe(`http://127.0.0.1:${free}`)
    expect(run.stderr()).toContain('any region')
    const client = sdk(run.env, 'ap-southeast-2')
    try {
      expect((await client.send(new DescribeImagesCommand({}))).Images).toStrictEqual([])
    } finally {
      client.destroy()
    }
    run.child.kill('SIGTERM')
    const { code } = await run.exit
    expect(code).toBe(EXIT.ok)
    expect(await portIsFree(free)).toBe(true)
  }, 30_000)

  it('exits 2 with a message for a bad --port or --regions, and 3 for a port in use', async () => {
    const runTo = (args: Array<string>) =>
      new Promise<{ code: number | null; stderr: string }>((r) => {
        const child = spawn(process.execPath, [bin, 'emulator', ...args], { cwd: root, stdio: 'pipe' })
        children.push(child)
        let err = ''
        child.stderr.on('data', (b: Buffer) => (err += b.toString()))
        child.on('exit', (code) => r({ code, stderr: err }))
      })
    const badPort = await runTo(['--port', 'http'])
    expect(badPort.code).toBe(EXIT.usage)
    expect(badPort.stderr).toContain('--port')
    const badRegion = await runTo(['--regions', 'us-east-1,Mars'])
    expect(badRegion.code).toBe(EXIT.usage)
    expect(badRegion.stderr).toContain("'Mars' is not a region name")

    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    try {
      const taken = await runTo(['--port', String((holder.address() as { port: number }).port)])
      expect(taken.code).toBe(EXIT.awsError)
      expect(taken.stderr).toMatch(/EADDRINUSE/)
    } finally {
      await new Promise<void>((r) => holder.close(() => r()))
    }
  }, 30_000)
})

describe('ec2-import-image emulator (in process)', () => {
  it('serves until the interrupt signal, then closes', async () => {
    const interrupt = new AbortController()
    let stdout = ''
    let stderr = ''
    const io: CliIo = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      interrupt: interrupt.signal,
    }
    const running = main(['emulator', '--regions', 'eu-central-2', '--port', '0'], io)
    await expect.poll(() => stdout, { timeout: 5000 }).toContain('export ')
    const endpoint = /^AWS_ENDPOINT_URL=(.*)$/m.exec(stdout)![1]!
    expect(stdout).toContain('AWS_REGION=eu-central-2')
    const res = await fetch(`${endpoint}/`, { method: 'POST', body: 'Action=DescribeImages&Version=2016-11-15' })
    // reached, and refused as EC2 refuses an unsigned request
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>')
    interrupt.abort()
    expect(await running).toBe(EXIT.ok)
    expect(stderr).toContain('stopped')
    await expect(fetch(`${endpoint}/`)).rejects.toThrow()
  })

  it('refuses arguments it does not take', async () => {
    let stderr = ''
    const code = await main(['emulator', 'extra'], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } })
    expect(code).toBe(EXIT.usage)
    expect(stderr).toContain('no arguments')
  })
})
