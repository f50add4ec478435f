/**
 * `ec2-import-image import … --name N`: the whole import (`importDiskImage`) from the command line. On a terminal,
 * one line per phase and region, redrawn in place, with the elapsed time ticking every second between polls; piped,
 * one plain line per event. At the end, the AMI id per region (or the JSON result). Ctrl-C asks whether to cancel the
 * import task (or cancels at once with `--cancel-on-interrupt`); declining leaves it running, and the same command
 * run again picks it up.
 *
 * @since 0.2.0
 */
import type { Runtime } from '../Call.js'
import { createClient } from '../Client.js'
import type { ClientConfig } from '../ClientConfig.js'
import { importDiskImage, type ImportDiskImageOptions, type ImportDiskImageProgress, type ImportWorkflowError } from '../ImportDiskImage.js'
import { clock } from './format.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The flags of the workflow, as `parseArgs` gives them.
 *
 * @internal
 */
export interface WorkflowFlags {
  readonly name: string
  /** A disk image file on this machine (`import FILE`): uploaded to `--bucket` first. */
  readonly file?: string | undefined
  readonly bucket?: string | undefined
  readonly key?: string | undefined
  readonly url?: string | undefined
  readonly format?: string | undefined
  readonly method?: string | undefined
  readonly arch?: string | undefined
  readonly architecture?: string | undefined
  readonly 'boot-mode'?: string | undefined
  readonly 'imds-v2'?: boolean | undefined
  readonly 'tpm-v2'?: boolean | undefined
  readonly 'volume-type'?: string | undefined
  readonly 'root-device-name'?: string | undefined
  readonly description?: string | undefined
  readonly 'role-name'?: string | undefined
  readonly encrypted?: boolean | undefined
  readonly 'kms-key-id'?: string | undefined
  readonly 'license-type'?: string | undefined
  readonly 'usage-operation'?: string | undefined
  readonly tag?: ReadonlyArray<string> | undefined
  readonly 'copy-to'?: string | undefined
  readonly 'share-with'?: ReadonlyArray<string> | undefined
  readonly 'share-snapshots'?: boolean | undefined
  readonly public?: boolean | undefined
  readonly 'cleanup-on-failure'?: boolean | undefined
  readonly 'ensure-role'?: boolean | undefined
  readonly 'delete-source-after-import'?: boolean | undefined
  readonly 'cancel-on-interrupt'?: boolean | undefined
  readonly json?: boolean | undefined
  readonly timeout?: string | undefined
  readonly 'min-delay-ms'?: string | undefined
  readonly 'max-delay-ms'?: string | undefined
}

/**
 * Where the workflow command reads and writes (the command line's own `CliIo`, reduced to what it uses).
 *
 * @internal
 */
export interface WorkflowIo {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean | undefined }
  readonly stderr: { write(s: string): unknown }
  readonly interrupt?: AbortSignal | undefined
  /** Asks the person whether to cancel the import task; false when nobody can answer. */
  readonly confirm: (question: string) => Promise<boolean>
  readonly runtime?: Partial<Runtime> | undefined
}

/**
 * The exit codes (the command line's).
 *
 * @internal
 */
export const WORKFLOW_EXIT = { ok: 0, importFailed: 1, usage: 2, awsError: 3, interrupted: 130 } as const

// -------------------------------------------------------------------------------------------------
// internal
// -------------------------------------------------------------------------------------------------

class FlagError {
  constructor(readonly message: string) {}
}

const positive = (s: string | undefined, flag: string): number | undefined => {
  if (s === undefined) return undefined
  const n = Number(s)
  if (!Number.isFinite(n) || n <= 0) throw new FlagError(`${flag} ${s}: expected a positive number`)
  return n
}

const oneOf = <A extends string>(value: string | undefined, flag: string, allowed: ReadonlyArray<A>): A | undefined => {
  if (value === undefined) return undefined
  if (!(allowed as ReadonlyArray<string>).includes(value)) throw new FlagError(`${flag} ${value}: expected one of ${allowed.join(', ')}`)
  return value as A
}

/** The workflow's options from the flags; a `FlagError` names the flag that is wrong. */
const optionsOf = (f: WorkflowFlags, config: ClientConfig): ImportDiskImageOptions => {
  if (f.file !== undefined) {
    if (f.bucket === undefined) throw new FlagError('import FILE needs the --bucket to upload it to')
    if (f.url !== undefined) throw new FlagError('import FILE takes no --url')
  } else {
    const sources = [f.bucket !== undefined || f.key !== undefined, f.url !== undefined].filter(Boolean).length
    if (sources !== 1) throw new FlagError('import --name needs one source: a FILE, --bucket and --key, or --url')
    if ((f.bucket === undefined) !== (f.key === undefined)) throw new FlagError('--bucket and --key go together')
  }
  const tags: Record<string, string> = {}
  for (const t of f.tag ?? []) {
    const i = t.indexOf('=')
    if (i <= 0) throw new FlagError(`--tag ${t}: expected key=value`)
    tags[t.slice(0, i)] = t.slice(i + 1)
  }
  const format = f.format?.toUpperCase()
  const timeoutS = positive(f.timeout, '--timeout')
  const minDelayMs = positive(f['min-delay-ms'], '--min-delay-ms')
  const maxDelayMs = positive(f['max-delay-ms'], '--max-delay-ms')
  const copyTo = (f['copy-to'] ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '')
  const accounts = f['share-with'] ?? []
  const o: Record<string, unknown> = {
    config,
    source:
      f.file !== undefined
        ? { file: f.file, bucket: f.bucket!, ...(f.key === undefined ? {} : { key: f.key }) }
        : f.url !== undefined
          ? { url: f.url }
          : { bucket: f.bucket!, key: f.key! },
    ...(f['ensure-role'] === true ? { ensureRole: true } : {}),
    ...(f['delete-source-after-import'] === true ? { deleteSourceAfterImport: true } : {}),
    name: f.name,
    ...(format === undefined ? {} : { format: oneOf(format, '--format', ['VMDK', 'VHD', 'VHDX', 'OVA', 'RAW'] as const) }),
    ...(f.method === undefined ? {} : { method: oneOf(f.method, '--method', ['snapshot', 'image', 'auto'] as const) }),
    ...((f.arch ?? f.architecture) === undefined ? {} : { architecture: oneOf(f.arch ?? f.architecture, '--arch', ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'] as const) }),
    ...(f['boot-mode'] === undefined ? {} : { bootMode: oneOf(f['boot-mode'], '--boot-mode', ['legacy-bios', 'uefi', 'uefi-preferred'] as const) }),
    ...(f['imds-v2'] === true ? { imdsSupport: 'v2.0' } : {}),
    ...(f['tpm-v2'] === true ? { tpmSupport: 'v2.0' } : {}),
    ...(f['volume-type'] === undefined ? {} : { volumeType: oneOf(f['volume-type'], '--volume-type', ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const) }),
    ...(f['root-device-name'] === undefined ? {} : { rootDeviceName: f['root-device-name'] }),
    ...(f.description === undefined ? {} : { description: f.description }),
    ...(f['role-name'] === undefined ? {} : { roleName: f['role-name'] }),
    ...(f.encrypted === true ? { encrypted: true } : {}),
    ...(f['kms-key-id'] === undefined ? {} : { kmsKeyId: f['kms-key-id'] }),
    ...(f['license-type'] === undefined ? {} : { licenseType: oneOf(f['license-type'], '--license-type', ['AWS', 'BYOL'] as const) }),
    ...(f['usage-operation'] === undefined ? {} : { usageOperation: f['usage-operation'] }),
    ...(Object.keys(tags).length === 0 ? {} : { tags }),
    ...(copyTo.length === 0 ? {} : { copyTo }),
    ...(accounts.length === 0 && f.public !== true
      ? {}
      : { shareWith: { accounts, ...(f.public === true ? { public: true } : {}), ...(f['share-snapshots'] === true ? { shareSnapshots: true } : {}) } }),
    ...(f['cleanup-on-failure'] === true ? { cleanupOnFailure: true } : {}),
    ...(timeoutS === undefined ? {} : { timeoutMs: timeoutS * 1000 }),
    ...(minDelayMs === undefined ? {} : { minDelayMs }),
    ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
    // The command line asks before cancelling (below), so the workflow itself never cancels on the interrupt.
    cancelOnAbort: false,
  }
  return o as unknown as ImportDiskImageOptions
}

const exitOf = (e: ImportWorkflowError): number =>
  e.aborted ? WORKFLOW_EXIT.interrupted : e.phase === 'validate' ? WORKFLOW_EXIT.usage : e.failure !== undefined ? WORKFLOW_EXIT.importFailed : WORKFLOW_EXIT.awsError

/** One line per phase and region on a terminal, redrawn in place; the elapsed time ticks between events. */
class Board {
  private readonly lines = new Map<string, ImportDiskImageProgress>()
  private drawn = 0
  constructor(
    private readonly out: WorkflowIo['stdout'],
    private readonly started: number,
    private readonly now: () => number,
  ) {}
  update(e: ImportDiskImageProgress): void {
    this.lines.set(`${e.region} ${e.phase}`, e)
    this.draw()
  }
  draw(): void {
    const elapsed = clock(this.now() - this.started)
    const text = [...this.lines.values()].map((e) => {
      const pct = e.percent === undefined ? '    ' : `${String(Math.round(e.percent)).padStart(3)}%`
      return `${e.region.padEnd(14)} ${e.phase.padEnd(9)} ${pct} ${e.message}`.slice(0, 150)
    })
    text.push(`elapsed ${elapsed}`)
    // Up over what was drawn, then each line cleared and written again.
    this.out.write(`${this.drawn > 0 ? `\x1b[${this.drawn}F` : ''}${text.map((l) => `\x1b[2K${l}\n`).join('')}`)
    this.drawn = text.length
  }
}

// -------------------------------------------------------------------------------------------------
// the command
// -------------------------------------------------------------------------------------------------

/**
 * Run the workflow for the flags; returns the exit code.
 *
 * @internal
 */
export const runImportWorkflow = async (flags: WorkflowFlags, config: ClientConfig, io: WorkflowIo): Promise<number> => {
  let options: ImportDiskImageOptions
  try {
    options = optionsOf(flags, config)
  } catch (e) {
    if (!(e instanceof FlagError)) throw e
    io.stderr.write(`error: ${e.message}\n`)
    return WORKFLOW_EXIT.usage
  }
  const now = io.runtime?.now ?? Date.now
  const started = now()
  const tty = io.stdout.isTTY === true && flags.json !== true
  const board = tty ? new Board(io.stdout, started, now) : undefined
  const tick = board === undefined ? undefined : setInterval(() => board.draw(), 1000)
  let last = ''
  const stop = new AbortController()
  let interrupted = false
  const onInterrupt = () => {
    interrupted = true
    stop.abort()
  }
  io.interrupt?.addEventListener('abort', onInterrupt, { once: true })
  const onProgress = (e: ImportDiskImageProgress) => {
    if (flags.json === true) io.stdout.write(`${JSON.stringify({ event: 'progress', ...e, elapsedMs: now() - started })}\n`)
    else if (board !== undefined) board.update(e)
    else {
      const line = `${e.region} ${e.phase} ${e.percent === undefined ? '' : `${Math.round(e.percent)}% `}${e.message}`
      if (line !== last) io.stdout.write(`${clock(now() - started)} ${line}\n`)
      last = line
    }
  }
  try {
    const r = await importDiskImage({ ...options, signal: stop.signal, onProgress }, io.runtime ?? {})()
    if (r._tag === 'Right') {
      if (flags.json === true) io.stdout.write(`${JSON.stringify({ event: 'completed', ...r.right })}\n`)
      else for (const [region, image] of Object.entries(r.right.images)) io.stdout.write(`${region}  ${image.imageId}\n`)
      return WORKFLOW_EXIT.ok
    }
    const e = r.left
    if (interrupted) {
      const task = e.created.importTaskIds[e.created.importTaskIds.length - 1]
      const inImport = e.phase === 'import' && task !== undefined
      const cancel = inImport && (flags['cancel-on-interrupt'] === true || (await io.confirm(`Cancel import task ${task}? [y/N] `)))
      if (cancel) {
        const ec2 = createClient(config, io.runtime ?? {})
        const c = await ec2.cancelImportTask({ ImportTaskId: task, CancelReason: 'Cancelled from the command line' })()
        await ec2.close()
        io.stderr.write(c._tag === 'Right' ? `cancelled ${task}\n` : `error: could not cancel ${task}: ${c.left.message}\n`)
      } else {
        io.stderr.write(`stopped; ${inImport ? `${task} goes on; ` : ''}run the same command again to continue where it stopped\n`)
      }
      return WORKFLOW_EXIT.interrupted
    }
    io.stderr.write(`error: ${e.message}\n`)
    if (e.failure !== undefined) io.stderr.write(`hint: ${e.failure.hint}\n`)
    if (flags.json === true) io.stdout.write(`${JSON.stringify({ event: 'failed', phase: e.phase, region: e.region, message: e.message, created: e.created, available: e.available, cleanup: e.cleanup })}\n`)
    return exitOf(e)
  } finally {
    if (tick !== undefined) clearInterval(tick)
    io.interrupt?.removeEventListener('abort', onInterrupt)
  }
}
