/**
 * `ec2-import-image`: the command line for the import flow — start an import, watch it with a progress bar, cancel
 * it, list tasks — against EC2 or, with `--local`, against an embedded emulator; and `emulator`, which serves that
 * emulator on its own for other tools (the AWS CLI, boto3, Terraform, Packer) until it is stopped.
 *
 * `main` takes its input and output as arguments and returns the exit code, so tests drive it without a process.
 *
 * @since 0.1.0
 */
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { createClient, type Ec2ImportClient, type Runtime } from '../Client.js'
import type { ClientConfig } from '../ClientConfig.js'
import { ImportImageTask } from '../shapes/DescribeImportImageTasks.js'
import { ImportImageResult } from '../shapes/ImportImage.js'
import { redact } from '../internal/schema/Schema.js'
import type { Ec2ImportError } from '../Ec2ImportError.js'
import type { ImportImageRequest } from '../shapes/ImportImage.js'
import type { ImportProgress } from '../Waiter.js'
import { clock } from './format.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The exit codes: a script can tell a failed import from a usage mistake and from an AWS error.
 *
 * @internal
 */
export const EXIT = { ok: 0, importFailed: 1, usage: 2, awsError: 3, interrupted: 130 } as const

/**
 * Where the command line reads and writes.
 *
 * @internal
 */
export interface CliIo {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean | undefined }
  readonly stderr: { write(s: string): unknown }
  readonly stdin?: NodeJS.ReadableStream | undefined
  /** The signal Ctrl-C raises; the CLI asks whether to cancel the task when it fires during a wait. */
  readonly interrupt?: AbortSignal | undefined
  /**
   * The signal SIGTERM raises. Only `emulator` listens for it (a server is stopped that way by service managers and
   * test harnesses); a command that does not listen lets the process end as it would without a handler.
   *
   * @since 0.2.0
   */
  readonly terminate?: AbortSignal | undefined
  /** Client effects, for tests. */
  readonly runtime?: Partial<Runtime> | undefined
  /** Extra client config (tests pass credentials and a dispatcher). */
  readonly config?: ClientConfig | undefined
}

const USAGE = `Usage: ec2-import-image <command> [options]

Commands:
  import   --bucket B --key K --name N [--method snapshot|image|auto] [--arch x86_64|arm64] [--boot-mode uefi]
           [--imds-v2] [--volume-type gp3] [--tag k=v ...] [--copy-to r1,r2] [--share-with ACCOUNT ...]
           [--share-snapshots] [--cleanup-on-failure] [--cancel-on-interrupt]
           the whole import: named, tagged AMIs in every region (safe to run again after a crash)
  import   --format F (--bucket B --key K | --url U | --snapshot-id S) [--boot-mode legacy-bios|uefi]
           [--platform Linux|Windows] [--license-type AWS|BYOL | --usage-operation OP] [--architecture i386|x86_64]
           [--description D] [--role-name R] [--encrypted [--kms-key-id K]] [--tag k=v ...]
           [--client-token T] [--dry-run] [--wait]
  status   TASK_ID       show one import task
  wait     TASK_ID       wait for a task, with progress; Ctrl-C offers to cancel it
  cancel   TASK_ID [--reason R]
  list     [--state active|completed|deleting|deleted]
  import   FILE --bucket B --name N [--key K] [--ensure-role] [--delete-source-after-import] [workflow options]
           detect the format, check the role and the bucket (preflight), upload, then the whole import
  preflight --bucket B --key K [--role R] [--kms-key-id K]
           what would make the import fail, before it is started (exit 1 when a check fails)
  role ensure --bucket B [--kms-key ARN ...] [--role R] [--dry-run]
           create the vmimport role, or bring its trust and policy up to what VM Import needs
  upload   FILE --bucket B [--key K] [--checksum CRC32|CRC32C|SHA256] [--concurrency N] [--keep-parts]
           a multipart upload with checksums S3 verifies; resumes an interrupted one
  emulator [--port N] [--regions a,b | any] [--region R] [--strict]
           serve one local endpoint for EC2 (VM Import and the snapshot path), S3, IAM and STS until Ctrl-C or
           SIGTERM; prints the endpoint and keys as lines a shell can eval (AWS_ENDPOINT_URL=...
           AWS_ACCESS_KEY_ID=...); --strict checks the vmimport role and the S3 object as VM Import does

Options:
  --region R   --profile P   --endpoint URL   --local (start an embedded emulator)   --json
  --timeout SECONDS (wait, default 14400)   --cancel-on-interrupt (cancel without asking)
  --help
`

// -------------------------------------------------------------------------------------------------
// output
// -------------------------------------------------------------------------------------------------

const errorLine = (e: Ec2ImportError): string => {
  switch (e._tag) {
    case 'ServiceError':
      return `error: ${e.code}: ${e.serviceMessage} (HTTP ${e.statusCode}, request id ${e.requestId ?? 'unknown'})`
    case 'ValidationError':
      return `error: invalid request: ${e.errors.map((f) => (f.path === '' ? f.message : `${f.path}: ${f.message}`)).join('; ')}`
    default:
      return `error: ${e.message}`
  }
}

const exitFor = (e: Ec2ImportError): number =>
  e._tag === 'WaitError' ? (e.reason === 'aborted' ? EXIT.interrupted : EXIT.importFailed) : e._tag === 'ValidationError' ? EXIT.usage : EXIT.awsError

const bar = (p: ImportProgress, width = 30): string => {
  const pct = p.status === 'completed' ? 100 : Math.max(0, Math.min(100, p.progress ?? 0))
  const filled = Math.round((pct / 100) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(pct)).padStart(3)}% ${p.statusMessage ?? p.status ?? ''} ${clock(p.elapsedMs)}`
}

const taskLine = (t: ImportImageTask): string =>
  [
    t.ImportTaskId,
    t.Status,
    t.StatusMessage ?? '',
    t.Progress === undefined ? '' : `${t.Progress}%`,
    t.ImageId ?? '',
  ]
    .filter((s) => s !== '')
    .join('  ')

// -------------------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------------------

const OPTIONS = {
  format: { type: 'string' },
  bucket: { type: 'string' },
  key: { type: 'string' },
  url: { type: 'string' },
  'snapshot-id': { type: 'string' },
  'boot-mode': { type: 'string' },
  platform: { type: 'string' },
  'license-type': { type: 'string' },
  'usage-operation': { type: 'string' },
  architecture: { type: 'string' },
  description: { type: 'string' },
  'role-name': { type: 'string' },
  encrypted: { type: 'boolean' },
  'kms-key-id': { type: 'string' },
  tag: { type: 'string', multiple: true },
  'client-token': { type: 'string' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'boolean' },
  reason: { type: 'string' },
  state: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  local: { type: 'boolean' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  'cancel-on-interrupt': { type: 'boolean' },
  'min-delay-ms': { type: 'string' },
  'max-delay-ms': { type: 'string' },
  port: { type: 'string' },
  regions: { type: 'string' },
  strict: { type: 'boolean' },
  // the workflow (import --name)
  name: { type: 'string' },
  method: { type: 'string' },
  arch: { type: 'string' },
  'imds-v2': { type: 'boolean' },
  'tpm-v2': { type: 'boolean' },
  'volume-type': { type: 'string' },
  'root-device-name': { type: 'string' },
  'copy-to': { type: 'string' },
  'share-with': { type: 'string', multiple: true },
  'share-snapshots': { type: 'boolean' },
  public: { type: 'boolean' },
  'cleanup-on-failure': { type: 'boolean' },
  'ensure-role': { type: 'boolean' },
  'delete-source-after-import': { type: 'boolean' },
  // preflight, role ensure, upload
  role: { type: 'string' },
  'kms-key': { type: 'string', multiple: true },
  checksum: { type: 'string' },
  concurrency: { type: 'string' },
  'keep-parts': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

class UsageError {
  constructor(readonly message: string) {}
}

const buildImportRequest = (v: Values): ImportImageRequest => {
  if (v.format === undefined) throw new UsageError('import needs --format (ova, vhd, vhdx, vmdk or raw)')
  const sources = [v.bucket !== undefined || v.key !== undefined, v.url !== undefined, v['snapshot-id'] !== undefined].filter(Boolean).length
  if (sources !== 1) throw new UsageError('import needs exactly one source: --bucket and --key, --url, or --snapshot-id')
  if ((v.bucket === undefined) !== (v.key === undefined)) throw new UsageError('--bucket and --key go together')
  const tags = (v.tag ?? []).map((t) => {
    const i = t.indexOf('=')
    if (i <= 0) throw new UsageError(`--tag ${t}: expected key=value`)
    return { Key: t.slice(0, i), Value: t.slice(i + 1) }
  })
  const request: Record<string, unknown> = {
    DiskContainers: [
      {
        Format: v.format,
        ...(v.bucket !== undefined && v.key !== undefined ? { UserBucket: { S3Bucket: v.bucket, S3Key: v.key } } : {}),
        ...(v.url !== undefined ? { Url: v.url } : {}),
        ...(v['snapshot-id'] !== undefined ? { SnapshotId: v['snapshot-id'] } : {}),
      },
    ],
    ...(v['boot-mode'] !== undefined ? { BootMode: v['boot-mode'] } : {}),
    ...(v.platform !== undefined ? { Platform: v.platform } : {}),
    ...(v['license-type'] !== undefined ? { LicenseType: v['license-type'] } : {}),
    ...(v['usage-operation'] !== undefined ? { UsageOperation: v['usage-operation'] } : {}),
    ...(v.architecture !== undefined ? { Architecture: v.architecture } : {}),
    ...(v.description !== undefined ? { Description: v.description } : {}),
    ...(v['role-name'] !== undefined ? { RoleName: v['role-name'] } : {}),
    ...(v.encrypted === true ? { Encrypted: true } : {}),
    ...(v['kms-key-id'] !== undefined ? { KmsKeyId: v['kms-key-id'] } : {}),
    ...(v['client-token'] !== undefined ? { ClientToken: v['client-token'] } : {}),
    ...(tags.length > 0 ? { TagSpecifications: [{ ResourceType: 'import-image-task', Tags: tags }] } : {}),
  }
  // The codec checks the values (formats, enums, rules) and names the flag's member when one is wrong.
  return request as unknown as ImportImageRequest
}

const positiveInt = (s: string | undefined, flag: string): number | undefined => {
  if (s === undefined) return undefined
  const n = Number(s)
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${s}: expected a positive number`)
  return n
}

/** One line from stdin ('' when it closes first). */
const readLine = async (stdin: NodeJS.ReadableStream): Promise<string> => {
  const rl = createInterface({ input: stdin, terminal: false })
  try {
    return await new Promise<string>((resolve) => {
      rl.once('line', resolve)
      rl.once('close', () => resolve(''))
    })
  } finally {
    rl.close()
  }
}

const askToCancel = async (io: CliIo, taskId: string): Promise<boolean> => {
  if (io.stdin === undefined || io.stdout.isTTY !== true) return false
  io.stdout.write(`\nCancel import task ${taskId}? [y/N] `)
  return /^y(es)?$/i.test((await readLine(io.stdin)).trim())
}

/** A role profile with `mfa_serial`: the code is asked for on the terminal (stderr, so stdout stays data). */
const mfaPrompt = (io: CliIo): ClientConfig['mfaCodeProvider'] => {
  const stdin = io.stdin
  if (stdin === undefined || (stdin as { isTTY?: boolean }).isTTY !== true) return undefined
  return async (serial) => {
    io.stderr.write(`MFA code for ${serial}: `)
    return readLine(stdin)
  }
}

const waitFor = async (client: Ec2ImportClient, taskId: string, v: Values, io: CliIo): Promise<number> => {
  const tty = io.stdout.isTTY === true && v.json !== true
  let lastLine = ''
  const stop = new AbortController()
  let interrupted = false
  const onInterrupt = () => {
    interrupted = true
    stop.abort()
  }
  io.interrupt?.addEventListener('abort', onInterrupt, { once: true })
  const timeoutS = positiveInt(v.timeout, '--timeout')
  const minDelayMs = positiveInt(v['min-delay-ms'], '--min-delay-ms')
  const maxDelayMs = positiveInt(v['max-delay-ms'], '--max-delay-ms')
  const r = await client.waitForImportImageTask(taskId, {
    signal: stop.signal,
    ...(timeoutS === undefined ? {} : { timeoutMs: timeoutS * 1000 }),
    ...(minDelayMs === undefined ? {} : { minDelayMs }),
    ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
    onProgress: (p) => {
      if (v.json === true) {
        io.stdout.write(`${JSON.stringify({ event: 'progress', importTaskId: p.importTaskId, status: p.status, statusMessage: p.statusMessage, progress: p.progress, elapsedMs: p.elapsedMs })}\n`)
      } else if (tty) {
        io.stdout.write(`\r${bar(p)}\x1b[K`)
      } else {
        const line = `${clock(p.elapsedMs)} ${p.importTaskId} ${p.status ?? ''} ${p.statusMessage ?? ''} ${p.progress === undefined ? '' : `${p.progress}%`}`.trimEnd()
        if (line.slice(9) !== lastLine.slice(9)) io.stdout.write(`${line}\n`)
        lastLine = line
      }
    },
  })()
  io.interrupt?.removeEventListener('abort', onInterrupt)
  if (tty) io.stdout.write('\n')
  if (r._tag === 'Right') {
    if (v.json === true) io.stdout.write(`${JSON.stringify({ event: 'completed', task: redact(ImportImageTask, r.right) })}\n`)
    else io.stdout.write(`completed: ${r.right.ImageId ?? '(no image id)'}\n`)
    return EXIT.ok
  }
  if (interrupted) {
    const cancel = v['cancel-on-interrupt'] === true || (await askToCancel(io, taskId))
    if (cancel) {
      const c = await client.cancelImportTask({ ImportTaskId: taskId, CancelReason: 'Cancelled from the command line' })()
      if (c._tag === 'Left') {
        io.stderr.write(`${errorLine(c.left)}\n`)
        return EXIT.awsError
      }
      io.stderr.write(`cancelled ${taskId} (${c.right.PreviousState ?? '?'} -> ${c.right.State ?? '?'})\n`)
    } else {
      io.stderr.write(`stopped waiting; ${taskId} goes on (ec2-import-image wait ${taskId} to resume)\n`)
    }
    return EXIT.interrupted
  }
  io.stderr.write(`${errorLine(r.left)}\n`)
  return exitFor(r.left)
}

// -------------------------------------------------------------------------------------------------
// main
// -------------------------------------------------------------------------------------------------

// -------------------------------------------------------------------------------------------------
// emulator
// -------------------------------------------------------------------------------------------------

// Values a shell reads back unchanged without quotes; anything else is single-quoted.
const shellValue = (s: string): string => (/^[A-Za-z0-9_./:@%+,=-]*$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

/**
 * `emulator`: start the emulator, print how to reach it, serve until Ctrl-C or SIGTERM, then close it.
 *
 * stdout carries only `NAME=value` lines and one `export` line, so `eval "$(…)"`-style use and `.env` readers both
 * work; what a person reads goes to stderr.
 */
const serveEmulator = async (v: Values, io: CliIo): Promise<number> => {
  const port = v.port === undefined ? 0 : Number(v.port)
  if (!/^\d{1,5}$/.test(v.port ?? '0') || !Number.isInteger(port) || port > 65535) {
    io.stderr.write(`error: --port must be a port number (0-65535; 0 picks a free one), got ${v.port ?? ''}\n`)
    return EXIT.usage
  }
  // Without --regions every region name is served: a tool pointed at the endpoint may sign for any region.
  const regions =
    v.regions === undefined || v.regions.trim() === 'any'
      ? ('any' as const)
      : v.regions
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== '')
  const { startEmulator } = await import('../emulator.js')
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  try {
    emulator = await startEmulator({
      port,
      regions,
      ...(v.region === undefined ? {} : { region: v.region }),
      ...(v.strict === true ? { strict: true } : {}),
    })
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    io.stderr.write(`error: ${message.replace(/^startEmulator: /, '')}\n`)
    // A setting the emulator refuses is a usage error; a port it cannot listen on is not.
    return e instanceof RangeError ? EXIT.usage : EXIT.awsError
  }
  const env: ReadonlyArray<readonly [string, string]> = [
    ['AWS_ENDPOINT_URL', emulator.endpoint],
    ['AWS_ACCESS_KEY_ID', emulator.credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', emulator.credentials.secretAccessKey],
    ['AWS_REGION', emulator.region],
    ['AWS_DEFAULT_REGION', emulator.region],
  ]
  io.stdout.write(`${env.map(([k, val]) => `${k}=${shellValue(val)}`).join('\n')}\nexport ${env.map(([k]) => k).join(' ')}\n`)
  const served = emulator.regions === 'any' ? 'any region' : `regions ${emulator.regions.join(', ')}`
  io.stderr.write(
    `ec2-import-image emulator listening on ${emulator.endpoint}: one endpoint serves EC2, S3 (path style), IAM and STS (${served}, account ${emulator.accountId}${emulator.strict ? ', strict' : ''}); Ctrl-C to stop\n`,
  )

  await new Promise<void>((resolve) => {
    const signals = [io.interrupt, io.terminate].filter((x): x is AbortSignal => x !== undefined)
    if (signals.some((x) => x.aborted)) return resolve()
    for (const x of signals) x.addEventListener('abort', () => resolve(), { once: true })
  })
  await emulator.close()
  io.stderr.write('ec2-import-image emulator stopped\n')
  return EXIT.ok
}

/**
 * Run the command line with `argv` (without `node` and the script) and return the exit code.
 *
 * @internal
 */
export const main = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  let parsed: { values: Values; positionals: Array<string> }
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (e) {
    io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`)
    return EXIT.usage
  }
  const { values: v, positionals } = parsed
  const [command, ...rest] = positionals
  if (v.help === true || command === undefined) {
    ;(v.help === true ? io.stdout : io.stderr).write(USAGE)
    return v.help === true ? EXIT.ok : EXIT.usage
  }
  if (command === 'emulator') {
    if (rest.length > 0) {
      io.stderr.write(`error: emulator takes no arguments, got ${rest.join(' ')}\n`)
      return EXIT.usage
    }
    return await serveEmulator(v, io)
  }
  const needsId = command === 'status' || command === 'wait' || command === 'cancel'
  if (!['import', 'status', 'wait', 'cancel', 'list', 'emulator', 'preflight', 'role', 'upload'].includes(command)) {
    io.stderr.write(`error: unknown command ${command}\n${USAGE}`)
    return EXIT.usage
  }
  if (command === 'role' && (rest.length !== 1 || rest[0] !== 'ensure')) {
    io.stderr.write('error: the role command is `role ensure --bucket B`\n')
    return EXIT.usage
  }
  if (command === 'import' && rest.length > 0 && v.name === undefined) {
    io.stderr.write('error: importing a file (import FILE) runs the whole workflow: give the AMI a --name\n')
    return EXIT.usage
  }
  if (needsId && rest.length !== 1) {
    io.stderr.write(`error: ${command} needs one TASK_ID\n`)
    return EXIT.usage
  }

  let emulator: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; close(): Promise<void> } | undefined
  const workflow = command === 'import' && v.name !== undefined
  if (v.local === true) {
    const { startEmulator } = await import('../emulator.js')
    // The workflow copies to other regions: the embedded emulator serves any region then, and runs its work fast.
    const staged = workflow || command === 'preflight' || command === 'role' || command === 'upload'
    emulator = await startEmulator(
      staged ? { regions: 'any', clock: { speed: 1_000 }, ...(v.bucket === undefined ? {} : { buckets: [{ name: v.bucket }] }) } : {},
    )
  }
  const mfaCodeProvider = emulator === undefined ? mfaPrompt(io) : undefined
  const config: ClientConfig = {
    ...(emulator === undefined ? {} : { endpoint: emulator.endpoint, region: emulator.region, credentials: emulator.credentials }),
    ...(v.region === undefined ? {} : { region: v.region }),
    ...(v.profile === undefined ? {} : { profile: v.profile }),
    ...(v.endpoint === undefined ? {} : { endpoint: v.endpoint }),
    ...(mfaCodeProvider === undefined ? {} : { mfaCodeProvider }),
    ...(io.config ?? {}),
  }
  if (command === 'preflight' || command === 'role' || command === 'upload') {
    const prepare = await import('./prepare.js')
    const pio = { stdout: io.stdout, stderr: io.stderr, interrupt: io.interrupt, runtime: io.runtime }
    const flags = { ...v, 'kms-key': v['kms-key'] }
    try {
      if (command === 'preflight') return await prepare.preflightCommand(flags, config, pio)
      if (command === 'role') return await prepare.roleEnsureCommand({ ...flags, buckets: v.bucket === undefined ? [] : [v.bucket] }, config, pio)
      return await prepare.uploadCommand(rest[0], flags, config, pio)
    } finally {
      await emulator?.close()
    }
  }
  const client = createClient(config, io.runtime ?? {})
  try {
    const out = (value: unknown, human: string) => io.stdout.write(v.json === true ? `${JSON.stringify(value)}\n` : `${human}\n`)
    switch (command) {
      case 'import': {
        if (workflow) {
          const { runImportWorkflow } = await import('./importWorkflow.js')
          const local = emulator === undefined ? {} : { 'min-delay-ms': v['min-delay-ms'] ?? '250', 'max-delay-ms': v['max-delay-ms'] ?? '1000' }
          return await runImportWorkflow({ ...v, ...local, name: v.name!, ...(rest[0] === undefined ? {} : { file: rest[0] }) }, config, {
            stdout: io.stdout,
            stderr: io.stderr,
            interrupt: io.interrupt,
            runtime: io.runtime,
            confirm: async (question) => {
              if (io.stdin === undefined || io.stdout.isTTY !== true) return false
              io.stdout.write(`\n${question}`)
              return /^y(es)?$/i.test((await readLine(io.stdin)).trim())
            },
          })
        }
        const request = buildImportRequest(v)
        if (v['dry-run'] === true) {
          const r = await client.dryRun.importImage(request)()
          if (r._tag === 'Left') {
            io.stderr.write(`${errorLine(r.left)}\n`)
            return exitFor(r.left)
          }
          out(r.right, r.right.allowed ? 'dry run: the import would be allowed' : `dry run: not allowed: ${r.right.message}`)
          return r.right.allowed ? EXIT.ok : EXIT.awsError
        }
        const r = await client.importImage(request)()
        if (r._tag === 'Left') {
          io.stderr.write(`${errorLine(r.left)}\n`)
          return exitFor(r.left)
        }
        const taskId = r.right.ImportTaskId ?? ''
        out({ ...(redact(ImportImageResult, r.right) as object), $metadata: r.right.$metadata }, `started ${taskId} (${r.right.Status ?? ''} ${r.right.StatusMessage ?? ''})`.trimEnd())
        if (v.wait !== true) return EXIT.ok
        return await waitFor(client, taskId, v, io)
      }
      case 'status': {
        const r = await client.describeImportImageTasks({ ImportTaskIds: [rest[0]!] })()
        if (r._tag === 'Left') {
          io.stderr.write(`${errorLine(r.left)}\n`)
          return exitFor(r.left)
        }
        const task = (r.right.ImportImageTasks ?? [])[0]
        if (task === undefined) {
          io.stderr.write(`error: import task ${rest[0]} not found (EC2 keeps tasks 7 days)\n`)
          return EXIT.awsError
        }
        out(redact(ImportImageTask, task), taskLine(task))
        return EXIT.ok
      }
      case 'wait':
        return await waitFor(client, rest[0]!, v, io)
      case 'cancel': {
        const r = await client.cancelImportTask({ ImportTaskId: rest[0]!, ...(v.reason === undefined ? {} : { CancelReason: v.reason }) })()
        if (r._tag === 'Left') {
          io.stderr.write(`${errorLine(r.left)}\n`)
          return exitFor(r.left)
        }
        out(r.right, `cancelled ${r.right.ImportTaskId ?? rest[0]} (${r.right.PreviousState ?? '?'} -> ${r.right.State ?? '?'})`)
        return EXIT.ok
      }
      default: {
        const filters = v.state === undefined ? {} : { Filters: [{ Name: 'task-state', Values: [v.state] }] }
        const tasks: Array<ImportImageTask> = []
        for await (const r of client.listImportImageTasks(filters)) {
          if (r._tag === 'Left') {
            io.stderr.write(`${errorLine(r.left)}\n`)
            return exitFor(r.left)
          }
          tasks.push(r.right)
        }
        if (v.json === true) io.stdout.write(`${JSON.stringify(tasks.map((t) => redact(ImportImageTask, t)))}\n`)
        else for (const t of tasks) io.stdout.write(`${taskLine(t)}\n`)
        return EXIT.ok
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n`)
      return EXIT.usage
    }
    io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
    return EXIT.awsError
  } finally {
    await client.close()
    await emulator?.close()
  }
}
