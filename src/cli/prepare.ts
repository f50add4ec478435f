/**
 * The commands that come before an import: `preflight` (what would make it fail, as a table), `role ensure` (the
 * vmimport role made or brought up to the guide) and `upload` (a disk image file to S3, with a progress line).
 *
 * @since 0.2.0
 */
import type { Runtime } from '../Call.js'
import type { ClientConfig } from '../ClientConfig.js'
import type { Ec2ImportError } from '../Ec2ImportError.js'
import { preflightImport } from '../PreflightImport.js'
import { uploadDiskImage, type UploadChecksum, type UploadProgress } from '../UploadDiskImage.js'
import { ensureVmImportRole } from '../VmImportRole.js'
import { clock } from './format.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * What the commands read and write.
 *
 * @internal
 */
export interface PrepareIo {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean | undefined }
  readonly stderr: { write(s: string): unknown }
  readonly interrupt?: AbortSignal | undefined
  readonly runtime?: Partial<Runtime> | undefined
}

/**
 * The flags the commands take.
 *
 * @internal
 */
export interface PrepareFlags {
  readonly bucket?: string | undefined
  readonly key?: string | undefined
  readonly role?: string | undefined
  readonly 'role-name'?: string | undefined
  readonly 'kms-key'?: ReadonlyArray<string> | undefined
  readonly 'kms-key-id'?: string | undefined
  readonly 'dry-run'?: boolean | undefined
  readonly json?: boolean | undefined
  readonly checksum?: string | undefined
  readonly concurrency?: string | undefined
  readonly format?: string | undefined
  readonly 'keep-parts'?: boolean | undefined
}

const EXIT = { ok: 0, failed: 1, usage: 2, awsError: 3, interrupted: 130 } as const

const awsExit = (io: PrepareIo, e: Ec2ImportError): number => {
  io.stderr.write(`error: ${e.message}\n`)
  return e._tag === 'ValidationError' || e._tag === 'ConfigError' ? EXIT.usage : EXIT.awsError
}

const interruptible = (io: PrepareIo): AbortSignal => {
  const c = new AbortController()
  io.interrupt?.addEventListener('abort', () => c.abort(), { once: true })
  return c.signal
}

// -------------------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------------------

const STATUS_MARK = { pass: 'ok  ', warn: 'warn', fail: 'FAIL', skipped: 'skip' } as const

/**
 * `preflight --bucket B --key K [--role R] [--kms-key-id K]`: exit 0 when nothing would fail, 1 when a check fails.
 *
 * @internal
 */
export const preflightCommand = async (f: PrepareFlags, config: ClientConfig, io: PrepareIo): Promise<number> => {
  if (f.bucket === undefined || f.key === undefined) {
    io.stderr.write('error: preflight needs --bucket and --key\n')
    return EXIT.usage
  }
  const roleName = f.role ?? f['role-name']
  const r = await preflightImport(
    {
      config,
      bucket: f.bucket,
      key: f.key,
      ...(roleName === undefined ? {} : { roleName }),
      ...(f['kms-key-id'] === undefined ? {} : { kmsKeyId: f['kms-key-id'] }),
      signal: interruptible(io),
    },
    io.runtime ?? {},
  )()
  if (r._tag === 'Left') return awsExit(io, r.left)
  if (f.json === true) io.stdout.write(`${JSON.stringify(r.right)}\n`)
  else {
    const width = Math.max(...r.right.checks.map((c) => c.id.length))
    for (const c of r.right.checks) {
      io.stdout.write(`${STATUS_MARK[c.status]}  ${c.id.padEnd(width)}  ${c.message}\n`)
      if (c.fix !== undefined && c.status !== 'pass') io.stdout.write(`${' '.repeat(width + 8)}fix: ${c.fix}\n`)
    }
    io.stdout.write(r.right.ok ? 'nothing found that would make the import fail\n' : 'the import would fail: see FAIL above\n')
  }
  return r.right.ok ? EXIT.ok : EXIT.failed
}

/**
 * `role ensure --bucket B [--bucket B2 …] [--kms-key ARN …] [--role R] [--dry-run]`.
 *
 * @internal
 */
export const roleEnsureCommand = async (f: PrepareFlags & { readonly buckets: ReadonlyArray<string> }, config: ClientConfig, io: PrepareIo): Promise<number> => {
  if (f.buckets.length === 0) {
    io.stderr.write('error: role ensure needs --bucket\n')
    return EXIT.usage
  }
  const roleName = f.role ?? f['role-name']
  const r = await ensureVmImportRole(
    {
      config,
      buckets: f.buckets,
      ...(roleName === undefined ? {} : { roleName }),
      ...(f['kms-key'] === undefined ? {} : { kmsKeyArns: f['kms-key'] }),
      ...(f['dry-run'] === true ? { dryRun: true } : {}),
      signal: interruptible(io),
    },
    io.runtime ?? {},
  )()
  if (r._tag === 'Left') return awsExit(io, r.left)
  if (f.json === true) io.stdout.write(`${JSON.stringify(r.right)}\n`)
  else if (r.right.changed.length === 0) io.stdout.write(`${r.right.role.name} already allows VM Import to read ${f.buckets.join(', ')}: nothing changed\n`)
  else {
    io.stdout.write(`${f['dry-run'] === true ? 'would call' : 'called'}: ${r.right.changed.join(', ')} (${r.right.role.arn})\n`)
    if (f['dry-run'] === true) {
      io.stdout.write(`trust policy:\n${JSON.stringify(r.right.policies.trust, null, 2)}\n`)
      io.stdout.write(`inline policy ${r.right.policies.inline.name}:\n${JSON.stringify(r.right.policies.inline.document, null, 2)}\n`)
    }
  }
  return EXIT.ok
}

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`

const progressLine = (p: UploadProgress, elapsedMs: number): string => {
  const pct = p.bytesTotal === 0 ? 100 : (p.bytesDone / p.bytesTotal) * 100
  const width = 30
  const filled = Math.round((pct / 100) * width)
  const rate = p.bytesPerSecond > 0 ? `${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s` : ''
  const eta = p.etaSeconds === undefined ? '' : `ETA ${clock(p.etaSeconds * 1000)}`
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}% ${mib(p.bytesDone)} of ${mib(p.bytesTotal)} ${rate} ${eta} ${clock(elapsedMs)} ${p.phase}`.replace(/ +/g, ' ')
}

/**
 * `upload FILE --bucket B [--key K] [--checksum CRC32|CRC32C|SHA256] [--concurrency N] [--keep-parts]`.
 *
 * @internal
 */
export const uploadCommand = async (file: string | undefined, f: PrepareFlags, config: ClientConfig, io: PrepareIo): Promise<number> => {
  if (file === undefined || f.bucket === undefined) {
    io.stderr.write('error: upload needs FILE and --bucket\n')
    return EXIT.usage
  }
  const checksum = f.checksum?.toUpperCase()
  if (checksum !== undefined && !['CRC32', 'CRC32C', 'SHA256'].includes(checksum)) {
    io.stderr.write(`error: --checksum ${f.checksum}: expected CRC32, CRC32C or SHA256\n`)
    return EXIT.usage
  }
  const concurrency = f.concurrency === undefined ? undefined : Number(f.concurrency)
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    io.stderr.write(`error: --concurrency ${f.concurrency}: expected a positive integer\n`)
    return EXIT.usage
  }
  const key = f.key ?? file.split(/[\\/]/).pop()!
  const tty = io.stdout.isTTY === true && f.json !== true
  const now = io.runtime?.now ?? Date.now
  const started = now()
  let last = ''
  const signal = interruptible(io)
  const r = await uploadDiskImage(
    {
      config,
      file,
      bucket: f.bucket,
      key,
      signal,
      ...(f.format === undefined ? {} : { format: f.format.toUpperCase() as 'RAW' }),
      ...(checksum === undefined ? {} : { checksumAlgorithm: checksum as UploadChecksum }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(f['keep-parts'] === true ? { keepPartsOnAbort: true } : {}),
      onProgress: (p) => {
        if (f.json === true) io.stdout.write(`${JSON.stringify({ event: 'progress', ...p })}\n`)
        else if (tty) io.stdout.write(`\r${progressLine(p, now() - started)}\x1b[K`)
        else if (p.phase !== last) {
          io.stdout.write(`${progressLine(p, now() - started)}\n`)
          last = p.phase
        }
      },
    },
    io.runtime ?? {},
  )()
  if (tty) io.stdout.write('\n')
  if (r._tag === 'Left') {
    io.stderr.write(`error: ${r.left.message}\n`)
    return r.left.reason === 'aborted' ? EXIT.interrupted : r.left.reason === 'invalid-options' || r.left.reason === 'format' || r.left.reason === 'file' ? EXIT.usage : EXIT.awsError
  }
  if (f.json === true) io.stdout.write(`${JSON.stringify({ event: 'completed', ...r.right })}\n`)
  else io.stdout.write(`s3://${r.right.bucket}/${r.right.key} ${r.right.outcome}: ${r.right.format}, ${mib(r.right.size)}, ${r.right.checksum.algorithm} ${r.right.checksum.value}\n`)
  return EXIT.ok
}
