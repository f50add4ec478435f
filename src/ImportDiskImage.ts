/**
 * `importDiskImage`: from a disk image in S3 to a named, tagged AMI in every region the caller names, as one typed
 * call that is safe to run again.
 *
 * ```
 * validate options ─► import (ImportSnapshot → wait, or ImportImage → wait) ─► register (RegisterImage, or CopyImage
 * of the import-ami-… and DeregisterImage of it) ─► available ─► tag ─► copy to each region (in parallel) ─► share
 * ```
 *
 * What makes it safe to repeat after a crash, a Ctrl-C or a lost connection:
 * - every `ClientToken` is derived from the AMI name, the source's identity, a hash of the options and an attempt
 *   number, so the same call finds the same import task and the same copies instead of starting new ones; the
 *   attempt goes up only when the task found is dead (`deleted`), so a failed import can be retried without renaming;
 * - `RegisterImage` has no token: it first looks the AMI up by name and adopts it when its tags say it is this
 *   import's; an AMI of that name from elsewhere is an error that says so. It never makes a second AMI of that name;
 * - tags and permissions are set again harmlessly; a deregister or delete that finds nothing is done.
 *
 * A failure is a `Left` that names the phase, the region, the cause, every resource already made and the AMIs
 * already available elsewhere; with `cleanupOnFailure` it removes what it made and says so.
 *
 * @since 0.2.0
 */
import { createHash } from 'node:crypto'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Runtime } from './Call.js'
import { createClient, type Ec2ImportClient } from './Client.js'
import { DeleteObject, HeadObject, S3 } from './operations/S3.js'
import { detectDiskImageFormat, type DetectedDiskImage } from './DetectDiskImageFormat.js'
import { preflightImport } from './PreflightImport.js'
import { uploadDiskImage } from './UploadDiskImage.js'
import { ensureVmImportRole } from './VmImportRole.js'
import { basename } from 'node:path'
import { createServiceCaller } from './ServiceCaller.js'
import type { ClientConfig } from './ClientConfig.js'
import type { Ec2ImportError } from './Ec2ImportError.js'
import { classifyImportFailure, type ImportFailure } from './ImportTaskFailure.js'
import { isValidRegionName, partitionOf } from './internal/config/Partition.js'
import type { ArchitectureValues, Image } from './shapes/Image.js'
import type { ImportImageLicenseConfigurationRequest } from './shapes/ImportImage.js'
import type { Tag } from './shapes/Tag.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * How the disk image becomes an AMI.
 *
 * - `snapshot`: `ImportSnapshot` → `RegisterImage`. The image is registered exactly as given (architecture, boot
 *   mode, ENA, gp3, IMDSv2): what image publishers use. VHD, VMDK and RAW only.
 * - `image`: `ImportImage`, which inspects and changes the guest (drivers, boot loader) — for Windows and licences.
 *   The AMI is then named through `CopyImage`, and the `import-ami-…` original deregistered.
 * - `auto`: `image` first, and the snapshot path when the import fails for a reason the snapshot path avoids
 *   (unknown OS, unsupported kernel, boot loader or EFI); VHDX and OVA always take `image`, `arm64` always `snapshot`.
 *
 * @public
 * @since 0.2.0
 */
export type ImportMethod = 'snapshot' | 'image' | 'auto'

/**
 * Where the disk image is.
 *
 * @public
 * @since 0.2.0
 */
export type DiskImageSource =
  | {
      readonly bucket: string
      readonly key: string
      /**
       * What identifies this version of the object. Left out, the object's version id or ETag is read with
       * `HeadObject`, so a rebuilt image under the same key is a new import; when it cannot be read (no permission, or
       * an endpoint that does not hold the object), the bucket and key alone identify it, and a progress event says so.
       */
      readonly identity?: string | undefined
    }
  | { readonly url: string; readonly identity?: string | undefined }
  | {
      /** A disk image on this machine: detected, checked (preflight), uploaded to `bucket`, then imported. */
      readonly file: string
      readonly bucket: string
      /** Default: the file's name. */
      readonly key?: string | undefined
    }

/** Where the import reads the image from: S3 or a URL (a file source becomes an S3 one once uploaded). */
type ImportSource = Exclude<DiskImageSource, { readonly file: string }>
/**
 * A phase of the workflow.
 *
 * @public
 * @since 0.2.0
 */
export type ImportPhase =
  | 'detect'
  | 'role'
  | 'preflight'
  | 'upload'
  | 'validate'
  | 'import'
  | 'register'
  | 'available'
  | 'tag'
  | 'copy'
  | 'share'
  | 'cleanup'

/**
 * One progress event.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportDiskImageProgress {
  readonly phase: ImportPhase
  readonly region: string
  /** The task's or the copy's percentage, where EC2 gives one. */
  readonly percent: number | undefined
  /** The import task's `StatusMessage` (`converting`, …), where there is one. */
  readonly statusMessage: string | undefined
  /** What happened, in a sentence. */
  readonly message: string
}

/**
 * Who may launch the AMIs.
 *
 * @public
 * @since 0.2.0
 */
export interface ShareWith {
  /** 12-digit account ids. */
  readonly accounts?: ReadonlyArray<string> | undefined
  readonly organizationArns?: ReadonlyArray<string> | undefined
  readonly organizationalUnitArns?: ReadonlyArray<string> | undefined
  /** Everyone (`Group: 'all'`). An account that blocks public AMIs refuses this, and the error says so. */
  readonly public?: boolean | undefined
  /**
   * Also give the accounts create-volume permission on the AMIs' snapshots (not needed to launch; snapshots take no
   * organisation ARNs).
   */
  readonly shareSnapshots?: boolean | undefined
}

/**
 * A region to copy to, with its own KMS key when the AMI is encrypted (KMS keys are regional).
 *
 * @public
 * @since 0.2.0
 */
export type CopyTarget = string | { readonly region: string; readonly kmsKeyId?: string | undefined }

/**
 * Options of {@link importDiskImage}.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportDiskImageOptions {
  /** The client configuration; its region is where the import runs. */
  readonly config: ClientConfig
  readonly source: DiskImageSource
  /** The disk image format; else from the key's or URL's extension. */
  readonly format?: 'VMDK' | 'VHD' | 'VHDX' | 'OVA' | 'RAW' | undefined
  /** The AMI name, in every region: 3–128 letters, digits, spaces and `( ) [ ] . / - _ ' @`. */
  readonly name: string
  readonly description?: string | undefined
  /** Default `snapshot`. */
  readonly method?: ImportMethod | undefined
  /** Default `x86_64` (`RegisterImage` itself would default to `i386`). */
  readonly architecture?: ArchitectureValues | undefined
  readonly bootMode?: 'legacy-bios' | 'uefi' | 'uefi-preferred' | undefined
  /** `v2.0`: instances launched from the AMI require IMDSv2. */
  readonly imdsSupport?: 'v2.0' | undefined
  readonly tpmSupport?: 'v2.0' | undefined
  /** Default true. */
  readonly enaSupport?: boolean | undefined
  readonly sriovNetSupport?: 'simple' | undefined
  /** The root volume's type. Default `gp3`. */
  readonly volumeType?: 'gp2' | 'gp3' | 'io1' | 'io2' | 'st1' | 'sc1' | 'standard' | undefined
  /** Default `/dev/xvda`. */
  readonly rootDeviceName?: string | undefined
  readonly encrypted?: boolean | undefined
  /** The KMS key in the import region; a copy region takes its own (`copyTo`). */
  readonly kmsKeyId?: string | undefined
  /** The VM Import service role. Default `vmimport`. */
  readonly roleName?: string | undefined
  /** For `method: 'image'`. */
  readonly licenseType?: 'AWS' | 'BYOL' | undefined
  readonly usageOperation?: string | undefined
  readonly licenseSpecifications?: ReadonlyArray<ImportImageLicenseConfigurationRequest> | undefined
  /** Put on the import task, on every AMI and on every snapshot behind it, in every region. */
  readonly tags?: Readonly<Record<string, string>> | undefined
  readonly copyTo?: ReadonlyArray<CopyTarget> | undefined
  readonly shareWith?: ShareWith | undefined
  readonly onProgress?: ((event: ImportDiskImageProgress) => void) | undefined
  /** Aborting cancels the active import task and stops waiting on copies (see `cleanupOnFailure`). */
  readonly signal?: AbortSignal | undefined
  /**
   * Cancel the active import task when `signal` aborts. Default true; false leaves it running (a later run with the
   * same options picks it up), as a command line does when the user declines to cancel.
   */
  readonly cancelOnAbort?: boolean | undefined
  /** The whole workflow's deadline. Default 8 hours: large images take hours to import and to copy. */
  readonly timeoutMs?: number | undefined
  /** On failure or abort, deregister the AMIs and delete the snapshots this run made, and report that. */
  readonly cleanupOnFailure?: boolean | undefined
  /**
   * With a `file` source: create the VM Import service role, or bring it up to what the guide specifies for the
   * bucket (`ensureVmImportRole`), before the preflight. Default false: the role is only checked.
   */
  readonly ensureRole?: boolean | undefined
  /** With a `file` source: delete the uploaded object once the import task has completed (never before). */
  readonly deleteSourceAfterImport?: boolean | undefined
  /** With a `file` source: the upload's part size and parallel parts (`uploadDiskImage`'s defaults otherwise). */
  readonly partSizeBytes?: number | undefined
  readonly uploadConcurrency?: number | undefined
  /** Poll bounds of the waiters (tests make them short). */
  readonly minDelayMs?: number | undefined
  readonly maxDelayMs?: number | undefined
}

/**
 * One region's AMI.
 *
 * @public
 * @since 0.2.0
 */
export interface RegionImage {
  readonly imageId: string
  readonly snapshotIds: ReadonlyArray<string>
}

/**
 * What {@link importDiskImage} made.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportDiskImageResult {
  readonly name: string
  /** The method that made the AMI (`auto` resolved). */
  readonly method: 'snapshot' | 'image'
  /** The import task whose result became the AMI. */
  readonly importTaskId: string
  readonly images: Readonly<Record<string, RegionImage>>
}

/**
 * The resources a run made or found, as far as it got.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportResources {
  readonly importTaskIds: ReadonlyArray<string>
  /** Per region: the AMI ids (the `import-ami-…` original included). */
  readonly imageIds: Readonly<Record<string, ReadonlyArray<string>>>
  /** Per region: the snapshot ids. */
  readonly snapshotIds: Readonly<Record<string, ReadonlyArray<string>>>
}

/**
 * The workflow failed or was aborted: where, why, what exists, and what was cleaned up.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportWorkflowError {
  readonly _tag: 'ImportWorkflowError'
  readonly phase: ImportPhase
  readonly region: string
  readonly message: string
  /** The AWS error behind it, when there is one. */
  readonly cause: Ec2ImportError | undefined
  /** The import's classified failure, when the import task failed. */
  readonly failure: ImportFailure | undefined
  readonly aborted: boolean
  /** Everything this run made or adopted. */
  readonly created: ImportResources
  /** The AMIs that were available when it stopped, by region. */
  readonly available: Readonly<Record<string, RegionImage>>
  /** With `cleanupOnFailure`: what was removed, and what could not be. */
  readonly cleanup: { readonly removed: ReadonlyArray<string>; readonly failed: ReadonlyArray<string> } | undefined
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The tag keys that say an AMI, snapshot or task is this workflow's, for which source, and from which import task.
 *
 * @public
 * @since 0.2.0
 */
export const WORKFLOW_TAGS = { name: 'ec2-import-image:name', source: 'ec2-import-image:source', task: 'ec2-import-image:task' } as const

const DEFAULT_TIMEOUT_MS = 8 * 60 * 60 * 1000
const DEFAULT_ROOT_DEVICE = '/dev/xvda'
const LIMIT_RETRY_MS = 60_000
// "Too many active import tasks": the issue reports name ResourceCountLimitExceeded; EC2's generic limit code (and the
// emulator's) is ResourceLimitExceeded. Either is waited out.
const TOO_MANY_TASKS: ReadonlySet<string> = new Set(['ResourceCountLimitExceeded', 'ResourceLimitExceeded'])
const AMI_NAME = /^[A-Za-z0-9 ()[\]./\-_'@]{3,128}$/
const SNAPSHOT_FORMATS = new Set(['VHD', 'VMDK', 'RAW'])
// Import failures the snapshot path avoids: it does not inspect or change the guest.
const SNAPSHOT_PATH_AVOIDS = new Set(['unknown-os', 'unsupported-kernel', 'bootloader', 'initramfs-unreadable', 'first-boot-failure'])

// -------------------------------------------------------------------------------------------------
// internal
// -------------------------------------------------------------------------------------------------

const sha = (s: string): string => createHash('sha256').update(s).digest('hex')

const formatOf = (o: ImportDiskImageOptions, source: ImportSource): string | undefined => {
  if (o.format !== undefined) return o.format.toUpperCase()
  const path = 'key' in source ? source.key : source.url.replace(/[?#].*$/, '')
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase()
  const byExt: Readonly<Record<string, string>> = { vmdk: 'VMDK', vhd: 'VHD', vhdx: 'VHDX', ova: 'OVA', raw: 'RAW', img: 'RAW' }
  return ext === undefined ? undefined : byExt[ext]
}

const targetsOf = (o: ImportDiskImageOptions): Array<{ readonly region: string; readonly kmsKeyId: string | undefined }> =>
  (o.copyTo ?? []).map((t) => (typeof t === 'string' ? { region: t, kmsKeyId: undefined } : { region: t.region, kmsKeyId: t.kmsKeyId }))

class Failed {
  constructor(
    readonly phase: ImportPhase,
    readonly region: string,
    readonly message: string,
    readonly cause: Ec2ImportError | undefined = undefined,
    readonly failure: ImportFailure | undefined = undefined,
  ) {}
}

const isAborted = (e: Ec2ImportError): boolean =>
  (e._tag === 'TransportError' && e.reason === 'aborted') || (e._tag === 'WaitError' && e.reason === 'aborted')

// -------------------------------------------------------------------------------------------------
// the workflow
// -------------------------------------------------------------------------------------------------

/**
 * Import a disk image from S3 (or a URL) and make it a named, tagged AMI in the import region and every `copyTo`
 * region, shared as `shareWith` says. Safe to run again with the same options: it continues where a previous run
 * stopped and never makes a second import task or a second AMI of that name.
 *
 * @example
 * ```ts
 * import { importDiskImage } from 'ec2-import-image'
 *
 * const r = await importDiskImage({
 *   config: { region: 'eu-west-1' },
 *   source: { bucket: 'images', key: 'web-1.4.raw' },
 *   name: 'web 1.4',
 *   architecture: 'arm64', bootMode: 'uefi', imdsSupport: 'v2.0',
 *   tags: { app: 'web' },
 *   copyTo: ['us-east-1'],
 *   onProgress: (e) => console.log(e.phase, e.region, e.percent ?? '', e.message),
 * })()
 * if (r._tag === 'Right') console.log(r.right.images) // { 'eu-west-1': { imageId, snapshotIds }, 'us-east-1': … }
 * ```
 *
 * @public
 * @since 0.2.0
 */
export const importDiskImage =
  (options: ImportDiskImageOptions, runtime: Partial<Runtime> = {}): TaskEither<ImportWorkflowError, ImportDiskImageResult> =>
  async () => {
    const run = new Run(options, createClient(options.config, runtime), runtime)
    try {
      return await run.start()
    } finally {
      await run.closeAll()
    }
  }

/** The state of one run: the clients per region, what it made, and its deadline. */
class Run {
  private readonly clients = new Map<string, Ec2ImportClient>()
  private readonly importTaskIds: Array<string> = []
  private readonly imageIds = new Map<string, Array<string>>()
  private readonly snapshotIds = new Map<string, Array<string>>()
  /** What this run itself made (not adopted): the only things cleanup removes. */
  private readonly made: Array<{ readonly region: string; readonly kind: 'image' | 'snapshot'; readonly id: string }> = []
  private readonly available: Record<string, RegionImage> = {}
  private readonly deadline: number
  private readonly now: () => number
  private readonly region: string
  private identity: string
  private tags: ReadonlyArray<Tag>
  /** The S3 object or URL the import reads; for a file source, set once the file is uploaded. */
  private source: ImportSource
  /** The boot mode: the caller's, else what detection suggests for a file (a GPT with an EFI system partition). */
  private bootMode: ImportDiskImageOptions['bootMode']
  private readonly optionsHash: string

  constructor(
    private readonly o: ImportDiskImageOptions,
    home: Ec2ImportClient,
    private readonly runtime: Partial<Runtime>,
  ) {
    this.now = runtime.now ?? Date.now
    this.deadline = this.now() + (o.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    this.region = o.config.region ?? ''
    this.clients.set(this.region, home)
    this.source = 'file' in o.source ? { bucket: o.source.bucket, key: o.source.key ?? basename(o.source.file) } : o.source
    this.bootMode = o.bootMode
    this.identity = this.identityOf('file' in o.source ? undefined : o.source.identity)
    const { config: _c, onProgress: _p, signal: _s, timeoutMs: _t, cleanupOnFailure: _cl, cancelOnAbort: _ca, minDelayMs: _mi, maxDelayMs: _ma, source: _so, ...rest } = o
    this.optionsHash = sha(JSON.stringify(rest, Object.keys(rest).sort())).slice(0, 16)
    this.tags = this.tagsFor(this.identity)
  }

  private identityOf(version: string | undefined): string {
    const src = this.source
    return sha('key' in src ? `s3://${src.bucket}/${src.key}#${version ?? ''}` : `${src.url.replace(/\?.*$/, '')}#${version ?? ''}`).slice(0, 40)
  }

  private tagsFor(identity: string): ReadonlyArray<Tag> {
    return [
      ...Object.entries(this.o.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      { Key: WORKFLOW_TAGS.name, Value: this.o.name },
      { Key: WORKFLOW_TAGS.source, Value: identity },
    ]
  }

  /** The source object's version (its version id, else its ETag), read once, when the caller did not give one. */
  async identify(): Promise<void> {
    const src = this.source
    if (!('key' in src) || src.identity !== undefined) return
    const s3 = createServiceCaller(this.o.config, this.runtime)
    try {
      const head = await s3.call(S3, HeadObject, { Bucket: src.bucket, Key: src.key }, { signal: this.o.signal })()
      if (head._tag === 'Right') {
        const version = head.right.VersionId ?? head.right.ETag
        if (version !== undefined) {
          this.identity = this.identityOf(version)
          this.tags = this.tagsFor(this.identity)
        }
        return
      }
      this.progress('validate', this.region, `could not read s3://${src.bucket}/${src.key} (${head.left.message}); identifying the image by bucket and key alone`)
    } finally {
      await s3.close()
    }
  }

  // ----- bookkeeping

  private client(region: string): Ec2ImportClient {
    let c = this.clients.get(region)
    if (c === undefined) {
      c = createClient({ ...this.o.config, region }, this.runtime)
      this.clients.set(region, c)
    }
    return c
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()))
  }

  private note(kind: 'image' | 'snapshot', region: string, id: string, made: boolean): void {
    const m = kind === 'image' ? this.imageIds : this.snapshotIds
    const list = m.get(region) ?? []
    if (!list.includes(id)) list.push(id)
    m.set(region, list)
    if (made && !this.made.some((x) => x.id === id)) this.made.push({ region, kind, id })
  }

  private progress(phase: ImportPhase, region: string, message: string, percent?: number, statusMessage?: string): void {
    try {
      this.o.onProgress?.({ phase, region, percent, statusMessage, message })
    } catch {
      // A progress callback that throws must not stop an import.
    }
  }

  /** Every call of the run stops when the run is aborted. */
  private get callOptions(): { readonly signal: AbortSignal | undefined } {
    return { signal: this.o.signal }
  }

  private remaining(): number {
    return Math.max(0, this.deadline - this.now())
  }

  private waitOptions() {
    return {
      signal: this.o.signal,
      timeoutMs: this.remaining(),
      ...(this.o.minDelayMs === undefined ? {} : { minDelayMs: this.o.minDelayMs }),
      ...(this.o.maxDelayMs === undefined ? {} : { maxDelayMs: this.o.maxDelayMs }),
    }
  }

  private token(...parts: ReadonlyArray<string | number>): string {
    return sha([this.o.name, this.identity, this.optionsHash, ...parts].join('\u0000')).slice(0, 64)
  }

  private async must<A>(phase: ImportPhase, region: string, what: string, te: TaskEither<Ec2ImportError, A>): Promise<A> {
    const r = await te()
    if (r._tag === 'Right') return r.right
    throw new Failed(phase, region, `${what} failed: ${r.left.message}`, r.left)
  }

  private sleep(ms: number): Promise<void> {
    const sleep = this.runtime.sleep
    if (sleep !== undefined) return sleep(ms, this.o.signal)
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms)
      this.o.signal?.addEventListener('abort', () => {
        clearTimeout(t)
        resolve()
      }, { once: true })
    })
  }

  // ----- validation

  private validate(): { readonly method: 'snapshot' | 'image'; readonly fallback: boolean; readonly format: string } {
    const o = this.o
    const problems: Array<string> = []
    if (!AMI_NAME.test(o.name)) problems.push(`name must be 3–128 letters, digits, spaces and ( ) [ ] . / - _ ' @ (got ${JSON.stringify(o.name)})`)
    // A file's detected format wins over its name's extension; the caller's `format` over both.
    const format = o.format !== undefined ? o.format.toUpperCase() : (this.detected?.format ?? formatOf(o, this.source))
    if (format === undefined || !['VMDK', 'VHD', 'VHDX', 'OVA', 'RAW'].includes(format)) {
      problems.push(`format: give one of VMDK, VHD, VHDX, OVA, RAW (${format === undefined ? 'the key has no known extension' : `got ${format}`})`)
    }
    const requested = o.method ?? 'snapshot'
    const arch = o.architecture ?? 'x86_64'
    let method: 'snapshot' | 'image' = requested === 'image' ? 'image' : 'snapshot'
    let fallback = false
    if (requested === 'snapshot' && format !== undefined && !SNAPSHOT_FORMATS.has(format)) {
      problems.push(`method: ImportSnapshot takes VHD, VMDK and RAW only; a ${format} needs method 'image' (or 'auto')`)
    }
    if (requested === 'image' && !['i386', 'x86_64'].includes(arch)) {
      problems.push(`method: ImportImage takes i386 and x86_64 only; ${arch} needs method 'snapshot' (or 'auto')`)
    }
    if (requested === 'image' && o.bootMode === 'uefi-preferred') problems.push(`bootMode: ImportImage does not take uefi-preferred`)
    if (requested === 'auto') {
      if (format !== undefined && !SNAPSHOT_FORMATS.has(format)) method = 'image'
      else if (!['i386', 'x86_64'].includes(arch) || o.bootMode === 'uefi-preferred') method = 'snapshot'
      else {
        method = 'image'
        fallback = true
      }
    }
    if (o.kmsKeyId !== undefined && o.encrypted !== true) problems.push('kmsKeyId needs encrypted: true')
    const share = o.shareWith
    const sharing = share !== undefined && ((share.accounts?.length ?? 0) > 0 || (share.organizationArns?.length ?? 0) > 0 || (share.organizationalUnitArns?.length ?? 0) > 0 || share.public === true)
    if (sharing && o.encrypted === true && o.kmsKeyId === undefined) {
      problems.push('shareWith: an AMI encrypted with the AWS-managed key (aws/ebs) cannot be shared; give a customer-managed kmsKeyId')
    }
    for (const a of share?.accounts ?? []) if (!/^\d{12}$/.test(a)) problems.push(`shareWith.accounts: ${JSON.stringify(a)} is not a 12-digit account id`)
    const home = partitionOf(this.region).id
    for (const t of targetsOf(o)) {
      if (!isValidRegionName(t.region)) problems.push(`copyTo: ${JSON.stringify(t.region)} is not a region name`)
      else if (t.region === this.region) problems.push(`copyTo: ${t.region} is the import region`)
      else if (partitionOf(t.region).id !== home) problems.push(`copyTo: ${t.region} is in partition ${partitionOf(t.region).id}, not ${home}: AMIs are not copied across partitions`)
      if (o.encrypted === true && o.kmsKeyId !== undefined && t.kmsKeyId === undefined && !/^alias\/aws\/ebs$/.test(o.kmsKeyId)) {
        problems.push(`copyTo: ${t.region} needs its own kmsKeyId (KMS keys are regional)`)
      }
    }
    for (const [k, v] of Object.entries(o.tags ?? {})) {
      if (k.length < 1 || k.length > 128 || k.toLowerCase().startsWith('aws:')) problems.push(`tags: key ${JSON.stringify(k)} must be 1–128 characters and not start with aws:`)
      if (v.length > 256) problems.push(`tags: the value of ${JSON.stringify(k)} is longer than 256 characters`)
    }
    if (problems.length > 0) throw new Failed('validate', this.region, `importDiskImage options are invalid: ${problems.join('; ')}`)
    return { method, fallback, format: format! }
  }

  // ----- the run

  async start(): Promise<
    { readonly _tag: 'Left'; readonly left: ImportWorkflowError } | { readonly _tag: 'Right'; readonly right: ImportDiskImageResult }
  > {
    try {
      if ('file' in this.o.source) await this.detect(this.o.source.file)
      const { method, fallback, format } = this.validate()
      if ('file' in this.o.source) await this.beforeUpload(method)
      if ('file' in this.o.source) await this.upload(this.o.source.file, format)
      else await this.identify()
      let made: { readonly method: 'snapshot' | 'image'; readonly importTaskId: string; readonly home: RegionImage }
      if (method === 'image') {
        try {
          made = { method, ...(await this.imagePath(format)) }
        } catch (e) {
          if (!(fallback && e instanceof Failed && e.phase === 'import' && e.failure !== undefined && SNAPSHOT_PATH_AVOIDS.has(e.failure.reason))) throw e
          this.progress('import', this.region, `ImportImage failed (${e.failure.reason}: ${e.failure.statusMessage}); trying the snapshot path, which does not change the guest`)
          made = { method: 'snapshot', ...(await this.snapshotPath(format)) }
        }
      } else {
        made = { method, ...(await this.snapshotPath(format)) }
      }
      this.available[this.region] = made.home
      // Copies, in parallel; one region's failure does not lose the others'.
      const copies = await Promise.allSettled(targetsOf(this.o).map((t) => this.copy(made.home.imageId, t.region, t.kmsKeyId)))
      const firstFailure = copies.find((c): c is PromiseRejectedResult => c.status === 'rejected')
      if (firstFailure !== undefined) throw firstFailure.reason
      await this.share()
      return { _tag: 'Right', right: { name: this.o.name, method: made.method, importTaskId: made.importTaskId, images: { ...this.available } } }
    } catch (e) {
      return { _tag: 'Left', left: await this.fail(e) }
    }
  }

  private async fail(e: unknown): Promise<ImportWorkflowError> {
    const f = e instanceof Failed ? e : new Failed('validate', this.region, `unexpected failure: ${e instanceof Error ? e.message : String(e)}`)
    const aborted = this.o.signal?.aborted === true || (f.cause !== undefined && isAborted(f.cause))
    let cleanup: ImportWorkflowError['cleanup']
    if (this.o.cleanupOnFailure === true && f.phase !== 'validate') cleanup = await this.cleanup()
    const created: ImportResources = {
      importTaskIds: [...this.importTaskIds],
      imageIds: Object.fromEntries(this.imageIds),
      snapshotIds: Object.fromEntries(this.snapshotIds),
    }
    const made = [...this.importTaskIds, ...[...this.imageIds.values()].flat(), ...[...this.snapshotIds.values()].flat()]
    return {
      _tag: 'ImportWorkflowError',
      phase: f.phase,
      region: f.region,
      message:
        `${aborted ? 'aborted' : 'failed'} in phase ${f.phase} (${f.region}): ${f.message}` +
        (made.length > 0 ? `; made so far: ${made.join(', ')}` : '') +
        (cleanup !== undefined ? `; cleaned up: ${cleanup.removed.join(', ') || 'nothing'}${cleanup.failed.length > 0 ? `; could not remove: ${cleanup.failed.join(', ')}` : ''}` : ''),
      cause: f.cause,
      failure: f.failure,
      aborted,
      created,
      available: { ...this.available },
      cleanup,
    }
  }

  private async cleanup(): Promise<{ readonly removed: ReadonlyArray<string>; readonly failed: ReadonlyArray<string> }> {
    const removed: Array<string> = []
    const failed: Array<string> = []
    // AMIs first (with their snapshots), then snapshots no AMI holds any more. Cleanup runs after an abort too, so its
    // calls are not given the run's signal.
    for (const m of this.made.filter((x) => x.kind === 'image')) {
      this.progress('cleanup', m.region, `deregistering ${m.id}`)
      const r = await this.client(m.region).deregisterImage({ ImageId: m.id, DeleteAssociatedSnapshots: true })()
      if (r._tag === 'Right' || (r.left._tag === 'ServiceError' && /NotFound|Unavailable/.test(r.left.code))) removed.push(m.id)
      else failed.push(`${m.id} (${r.left.message})`)
    }
    for (const m of this.made.filter((x) => x.kind === 'snapshot')) {
      this.progress('cleanup', m.region, `deleting ${m.id}`)
      const r = await this.client(m.region).deleteSnapshot({ SnapshotId: m.id })()
      if (r._tag === 'Right' || (r.left._tag === 'ServiceError' && /NotFound/.test(r.left.code))) removed.push(m.id)
      else failed.push(`${m.id} (${r.left.message})`)
    }
    return { removed, failed }
  }

  /** Call `start` again while EC2 says too many import tasks are active, within the deadline. */
  private async startingImport<A>(what: string, start: () => TaskEither<Ec2ImportError, A>): Promise<A> {
    for (;;) {
      const r = await start()()
      if (r._tag === 'Right') return r.right
      const e = r.left
      if (e._tag === 'ServiceError' && TOO_MANY_TASKS.has(e.code) && this.remaining() > LIMIT_RETRY_MS && this.o.signal?.aborted !== true) {
        this.progress('import', this.region, `too many active import tasks in the account (${e.serviceMessage}); trying ${what} again in ${LIMIT_RETRY_MS / 1000} s`)
        await this.sleep(LIMIT_RETRY_MS)
        continue
      }
      throw new Failed('import', this.region, `${what} failed: ${e.message}`, e)
    }
  }

  private waitFailure(phase: ImportPhase, region: string, e: Ec2ImportError): Failed {
    const failure = e._tag === 'WaitError' ? e.failure : undefined
    return new Failed(phase, region, e.message, e, failure)
  }

  // ----- a disk image on this machine: detect, role, preflight, upload

  private detected: DetectedDiskImage | undefined

  private async detect(file: string): Promise<void> {
    const r = await detectDiskImageFormat(file)()
    if (r._tag === 'Left') {
      if (this.o.format !== undefined) {
        this.progress('detect', this.region, `${r.left.message}; using the format given, ${this.o.format}`)
        return
      }
      throw new Failed('detect', this.region, `${r.left.message}${r.left.fix === undefined ? '' : ` (${r.left.fix})`}`)
    }
    this.detected = r.right
    for (const w of r.right.warnings) this.progress('detect', this.region, `warning: ${w}`)
    if (this.bootMode === undefined && r.right.bootModeHint === 'uefi') {
      this.bootMode = 'uefi'
      this.progress('detect', this.region, `${file}: ${r.right.format}${r.right.subformat === undefined ? '' : ` (${r.right.subformat})`} with an EFI system partition: boot mode uefi`)
    } else {
      this.progress('detect', this.region, `${file}: ${r.right.format}${r.right.subformat === undefined ? '' : ` (${r.right.subformat})`}`)
    }
  }

  /** The role made (with `ensureRole`), then the preflight; a `fail` stops the import before anything is uploaded. */
  private async beforeUpload(method: 'snapshot' | 'image'): Promise<void> {
    const src = this.source as { readonly bucket: string; readonly key: string }
    if (this.o.ensureRole === true) {
      const r = await ensureVmImportRole({ config: this.o.config, buckets: [src.bucket], ...(this.o.roleName === undefined ? {} : { roleName: this.o.roleName }), signal: this.o.signal }, this.runtime)()
      if (r._tag === 'Left') throw new Failed('role', this.region, `ensureVmImportRole failed: ${r.left.message}`, r.left)
      this.progress('role', this.region, r.right.changed.length === 0 ? `role ${r.right.role.name} already allows the import` : `role ${r.right.role.name}: ${r.right.changed.join(', ')}`)
    }
    const report = await preflightImport({
      config: this.o.config,
      bucket: src.bucket,
      key: src.key,
      method,
      ...(this.o.roleName === undefined ? {} : { roleName: this.o.roleName }),
      ...(this.o.kmsKeyId === undefined ? {} : { kmsKeyId: this.o.kmsKeyId }),
      signal: this.o.signal,
    }, this.runtime)()
    if (report._tag === 'Left') throw new Failed('preflight', this.region, `preflight failed: ${report.left.message}`, report.left)
    // The object is about to be uploaded: its absence now is expected.
    const checks = report.right.checks.filter((c) => c.id !== 'object')
    for (const c of checks.filter((c) => c.status === 'warn')) this.progress('preflight', this.region, `warning: ${c.message}`)
    const failed = checks.filter((c) => c.status === 'fail')
    if (failed.length > 0) {
      throw new Failed('preflight', this.region, `the preflight found what would make the import fail: ${failed.map((c) => `${c.id}: ${c.message}${c.fix === undefined ? '' : ` (fix: ${c.fix})`}`).join('; ')}`)
    }
    this.progress('preflight', this.region, `${checks.filter((c) => c.status === 'pass').length} checks passed`)
  }

  private async upload(file: string, format: string): Promise<void> {
    const src = this.source as { readonly bucket: string; readonly key: string }
    const r = await uploadDiskImage({
      config: this.o.config,
      file,
      bucket: src.bucket,
      key: src.key,
      format: format as DetectedDiskImage['format'],
      signal: this.o.signal,
      ...(this.o.partSizeBytes === undefined ? {} : { partSizeBytes: this.o.partSizeBytes }),
      ...(this.o.uploadConcurrency === undefined ? {} : { concurrency: this.o.uploadConcurrency }),
      onProgress: (p) =>
        this.progress('upload', this.region, `${p.phase} s3://${src.bucket}/${src.key}: ${(p.bytesDone / 1048576).toFixed(1)} of ${(p.bytesTotal / 1048576).toFixed(1)} MiB${p.bytesPerSecond > 0 ? `, ${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s` : ''}`, p.bytesTotal === 0 ? 100 : (p.bytesDone / p.bytesTotal) * 100),
    }, this.runtime)()
    if (r._tag === 'Left') throw new Failed('upload', this.region, `the upload failed: ${r.left.message}`)
    this.uploaded = true
    // The content's own checksum identifies the image: the same bytes are the same import, whatever the key's history.
    this.identity = this.identityOf(`${r.right.checksum.algorithm}:${r.right.checksum.value}:${r.right.size}`)
    this.tags = this.tagsFor(this.identity)
    this.progress('upload', this.region, `s3://${src.bucket}/${src.key}: ${r.right.outcome} (${r.right.checksum.algorithm} ${r.right.checksum.value})`, 100)
  }

  private uploaded = false

  /** With `deleteSourceAfterImport`: the uploaded object, once the import task has completed. */
  private async deleteSource(): Promise<void> {
    if (this.o.deleteSourceAfterImport !== true || !this.uploaded) return
    const src = this.source as { readonly bucket: string; readonly key: string }
    const s3 = createServiceCaller(this.o.config, this.runtime)
    try {
      const r = await s3.call(S3, DeleteObject, { Bucket: src.bucket, Key: src.key })()
      this.progress('cleanup', this.region, r._tag === 'Right' ? `deleted s3://${src.bucket}/${src.key}` : `could not delete s3://${src.bucket}/${src.key}: ${r.left.message}`)
    } finally {
      await s3.close()
    }
  }

  // ----- the snapshot path

  private async snapshotPath(format: string): Promise<{ readonly importTaskId: string; readonly home: RegionImage }> {
    const o = this.o
    const ec2 = this.client(this.region)
    // An AMI of this name may already exist (a previous run got that far).
    const existing = await this.findOwnImage(this.region)
    let snapshotId: string
    let importTaskId: string
    if (existing !== undefined) {
      importTaskId = existing.Tags?.find((t) => t.Key === WORKFLOW_TAGS.task)?.Value ?? ''
      this.progress('register', this.region, `found ${existing.ImageId} named ${o.name} from an earlier run`)
      return { importTaskId, home: await this.afterRegister(this.region, existing.ImageId!, true) }
    }
    // The import: find (by token) or start it; a dead task found means the next attempt.
    for (let attempt = 0; ; attempt++) {
      const diskContainer = {
        Format: format,
        ...('key' in this.source ? { UserBucket: { S3Bucket: this.source.bucket, S3Key: this.source.key } } : { Url: this.source.url }),
      }
      const started = await this.startingImport('ImportSnapshot', () =>
        ec2.importSnapshot({
          ClientToken: this.token('import-snapshot', attempt),
          DiskContainer: diskContainer as never,
          ...(o.description === undefined ? {} : { Description: o.description }),
          ...(o.encrypted === true ? { Encrypted: true, ...(o.kmsKeyId === undefined ? {} : { KmsKeyId: o.kmsKeyId }) } : {}),
          ...(o.roleName === undefined ? {} : { RoleName: o.roleName }),
          TagSpecifications: [{ ResourceType: 'import-snapshot-task', Tags: [...this.tags] }],
        } as never, this.callOptions),
      )
      importTaskId = started.ImportTaskId!
      if (!this.importTaskIds.includes(importTaskId)) this.importTaskIds.push(importTaskId)
      const status = started.SnapshotTaskDetail?.Status
      if (status === 'deleted' || status === 'deleting') {
        this.progress('import', this.region, `import task ${importTaskId} from an earlier run ended ${status}; starting attempt ${attempt + 2}`)
        continue
      }
      this.progress('import', this.region, `import task ${importTaskId} ${status ?? 'started'}`)
      const done = await ec2.waitForImportSnapshotTask(importTaskId, {
        ...this.waitOptions(),
        cancelOnAbort: this.o.cancelOnAbort ?? true,
        onProgress: (p) => this.progress('import', this.region, `import task ${importTaskId} ${p.statusMessage ?? p.status ?? ''}`.trim(), p.progress, p.statusMessage),
      })()
      if (done._tag === 'Left') throw this.waitFailure('import', this.region, done.left)
      snapshotId = done.right.SnapshotTaskDetail.SnapshotId
      break
    }
    await this.deleteSource()
    this.note('snapshot', this.region, snapshotId, true)
    // The snapshot may be a previous run's whose RegisterImage was lost: look once more by name before registering.
    const raced = await this.findOwnImage(this.region)
    if (raced !== undefined) return { importTaskId, home: await this.afterRegister(this.region, raced.ImageId!, true) }
    this.progress('register', this.region, `registering ${o.name} from ${snapshotId}`)
    const root = o.rootDeviceName ?? DEFAULT_ROOT_DEVICE
    const registered = await this.must('register', this.region, 'RegisterImage', ec2.registerImage({
      Name: o.name,
      ...(o.description === undefined ? {} : { Description: o.description }),
      Architecture: o.architecture ?? 'x86_64',
      VirtualizationType: 'hvm',
      RootDeviceName: root,
      BlockDeviceMappings: [{ DeviceName: root, Ebs: { SnapshotId: snapshotId, VolumeType: o.volumeType ?? 'gp3', DeleteOnTermination: true } }],
      EnaSupport: o.enaSupport ?? true,
      ...(o.sriovNetSupport === undefined ? {} : { SriovNetSupport: o.sriovNetSupport }),
      ...(this.bootMode === undefined ? {} : { BootMode: this.bootMode }),
      ...(o.imdsSupport === undefined ? {} : { ImdsSupport: o.imdsSupport }),
      ...(o.tpmSupport === undefined ? {} : { TpmSupport: o.tpmSupport }),
      TagSpecifications: [{ ResourceType: 'image', Tags: [...this.tags, { Key: WORKFLOW_TAGS.task, Value: importTaskId }] }],
    } as never, this.callOptions))
    const imageId = registered.ImageId!
    this.note('image', this.region, imageId, true)
    return { importTaskId, home: await this.afterRegister(this.region, imageId, false) }
  }

  /** The AMI of this name owned by the caller, if there is one; an error when it is not this import's. */
  private async findOwnImage(region: string, phase: ImportPhase = 'register'): Promise<Image | undefined> {
    const found = await this.must(phase, region, 'DescribeImages', this.client(region).describeImages({
      Owners: ['self'],
      Filters: [{ Name: 'name', Values: [this.o.name] }],
    }, this.callOptions))
    const image = (found.Images ?? []).find((i) => i.Name === this.o.name && i.State !== 'deregistered')
    if (image === undefined) return undefined
    const ours = image.Tags?.some((t) => t.Key === WORKFLOW_TAGS.source && t.Value === this.identity) === true
    if (!ours) {
      throw new Failed(
        phase,
        region,
        `an AMI named ${JSON.stringify(this.o.name)} (${image.ImageId}) already exists in ${region} and was not made from this source ` +
          `(its ${WORKFLOW_TAGS.source} tag differs); choose another name or deregister it`,
      )
    }
    if (image.State === 'failed' || image.State === 'invalid' || image.State === 'error') {
      throw new Failed('available', region, `the AMI ${image.ImageId} from an earlier run is ${image.State}: ${image.StateReason?.Message ?? ''}; deregister it and run again`)
    }
    return image
  }

  /** Wait until the AMI is available, then tag its snapshots; its ids for the result. */
  private async afterRegister(region: string, imageId: string, adopted: boolean): Promise<RegionImage> {
    const ec2 = this.client(region)
    this.note('image', region, imageId, false)
    this.progress('available', region, `waiting for ${imageId} to become available`)
    const done = await ec2.waitForImageAvailable(imageId, this.waitOptions())()
    if (done._tag === 'Left') throw this.waitFailure('available', region, done.left)
    const snapshotIds = (done.right.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId === undefined ? [] : [m.Ebs.SnapshotId]))
    for (const s of snapshotIds) this.note('snapshot', region, s, false)
    // Tags again on the AMI and on every snapshot behind it: harmless when they are there, needed when they are not
    // (an adopted AMI, the ImportImage path, a copy).
    this.progress('tag', region, `tagging ${imageId}${snapshotIds.length > 0 ? ` and ${snapshotIds.join(', ')}` : ''}${adopted ? ' (adopted)' : ''}`)
    await this.must('tag', region, 'CreateTags', ec2.createTags({ Resources: [imageId, ...snapshotIds], Tags: [...this.tags] }, this.callOptions))
    this.progress('available', region, `${imageId} is available`)
    return { imageId, snapshotIds }
  }

  // ----- the ImportImage path

  private async imagePath(format: string): Promise<{ readonly importTaskId: string; readonly home: RegionImage }> {
    const o = this.o
    const ec2 = this.client(this.region)
    const existing = await this.findOwnImage(this.region)
    if (existing !== undefined) {
      const importTaskId = existing.Tags?.find((t) => t.Key === WORKFLOW_TAGS.task)?.Value ?? ''
      return { importTaskId, home: await this.afterRegister(this.region, existing.ImageId!, true) }
    }
    let importTaskId: string
    let importedImageId: string
    for (let attempt = 0; ; attempt++) {
      const src = this.source
      const disk = 'key' in src ? { Format: format, UserBucket: { S3Bucket: src.bucket, S3Key: src.key } } : { Format: format, Url: src.url }
      const started = await this.startingImport('ImportImage', () =>
        ec2.importImage({
          ClientToken: this.token('import-image', attempt),
          DiskContainers: [disk as never],
          Architecture: (o.architecture ?? 'x86_64') as never,
          ...(o.description === undefined ? {} : { Description: o.description }),
          ...(this.bootMode === undefined ? {} : { BootMode: this.bootMode as never }),
          ...(o.encrypted === true ? { Encrypted: true, ...(o.kmsKeyId === undefined ? {} : { KmsKeyId: o.kmsKeyId }) } : {}),
          ...(o.roleName === undefined ? {} : { RoleName: o.roleName }),
          ...(o.licenseType === undefined ? {} : { LicenseType: o.licenseType }),
          ...(o.usageOperation === undefined ? {} : { UsageOperation: o.usageOperation }),
          ...(o.licenseSpecifications === undefined ? {} : { LicenseSpecifications: [...o.licenseSpecifications] }),
          TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [...this.tags] }],
        } as never, this.callOptions),
      )
      importTaskId = started.ImportTaskId
      if (!this.importTaskIds.includes(importTaskId)) this.importTaskIds.push(importTaskId)
      if (started.Status === 'deleted' || started.Status === 'deleting') {
        this.progress('import', this.region, `import task ${importTaskId} from an earlier run ended ${started.Status}; starting attempt ${attempt + 2}`)
        continue
      }
      this.progress('import', this.region, `import task ${importTaskId} ${started.StatusMessage ?? started.Status ?? 'started'}`)
      const done = await ec2.waitForImportImageTask(importTaskId, {
        ...this.waitOptions(),
        cancelOnAbort: this.o.cancelOnAbort ?? true,
        onProgress: (p) => this.progress('import', this.region, `import task ${importTaskId} ${p.statusMessage ?? p.status ?? ''}`.trim(), p.progress, p.statusMessage),
      })()
      if (done._tag === 'Left') throw this.waitFailure('import', this.region, done.left)
      importedImageId = done.right.ImageId!
      break
    }
    await this.deleteSource()
    this.note('image', this.region, importedImageId, true)
    // ImportImage cannot name the AMI: copy it under the name, then deregister the import-ami-… original (with its
    // snapshots) once the copy is available, so nothing lingers.
    this.progress('register', this.region, `naming ${importedImageId} ${o.name} through CopyImage`)
    const copied = await this.must('register', this.region, 'CopyImage', ec2.copyImage({
      ClientToken: this.token('name', this.region, importedImageId),
      Name: o.name,
      SourceImageId: importedImageId,
      SourceRegion: this.region,
      ...(o.description === undefined ? {} : { Description: o.description }),
      ...(o.encrypted === true ? { Encrypted: true, ...(o.kmsKeyId === undefined ? {} : { KmsKeyId: o.kmsKeyId }) } : {}),
      TagSpecifications: [
        { ResourceType: 'image', Tags: [...this.tags, { Key: WORKFLOW_TAGS.task, Value: importTaskId }] },
        { ResourceType: 'snapshot', Tags: [...this.tags] },
      ],
    } as never, this.callOptions))
    const imageId = copied.ImageId!
    this.note('image', this.region, imageId, true)
    const home = await this.afterRegister(this.region, imageId, false)
    this.progress('cleanup', this.region, `deregistering the unnamed ${importedImageId} and its snapshots`)
    const gone = await ec2.deregisterImage({ ImageId: importedImageId, DeleteAssociatedSnapshots: true }, this.callOptions)()
    if (gone._tag === 'Left' && !(gone.left._tag === 'ServiceError' && /NotFound|Unavailable/.test(gone.left.code))) {
      throw new Failed('cleanup', this.region, `DeregisterImage of ${importedImageId} failed: ${gone.left.message}`, gone.left)
    }
    return { importTaskId, home }
  }

  // ----- copies and sharing

  private async copy(sourceImageId: string, region: string, kmsKeyId: string | undefined): Promise<void> {
    const o = this.o
    const ec2 = this.client(region)
    const existing = await this.findOwnImage(region, 'copy')
    let imageId: string
    if (existing !== undefined) {
      imageId = existing.ImageId!
      this.progress('copy', region, `found the copy ${imageId} from an earlier run`)
    } else {
      this.progress('copy', region, `copying ${sourceImageId} from ${this.region}`)
      const copied = await this.must('copy', region, 'CopyImage', ec2.copyImage({
        ClientToken: this.token('copy', region, sourceImageId),
        Name: o.name,
        SourceImageId: sourceImageId,
        SourceRegion: this.region,
        ...(o.description === undefined ? {} : { Description: o.description }),
        ...(o.encrypted === true ? { Encrypted: true, ...(kmsKeyId === undefined ? {} : { KmsKeyId: kmsKeyId }) } : {}),
        TagSpecifications: [
          { ResourceType: 'image', Tags: [...this.tags] },
          { ResourceType: 'snapshot', Tags: [...this.tags] },
        ],
      } as never, this.callOptions))
      imageId = copied.ImageId!
      this.note('image', region, imageId, true)
    }
    try {
      this.available[region] = await this.afterRegister(region, imageId, existing !== undefined)
    } catch (e) {
      // Aborted or failed while the copy runs: the only way to stop a CopyImage is to deregister the copy.
      if (e instanceof Failed && this.o.signal?.aborted === true && this.o.cleanupOnFailure === true) {
        await ec2.deregisterImage({ ImageId: imageId, DeleteAssociatedSnapshots: true })()
      }
      throw e
    }
  }

  private async share(): Promise<void> {
    const s = this.o.shareWith
    if (s === undefined) return
    const launch = [
      ...(s.accounts ?? []).map((UserId) => ({ UserId })),
      ...(s.organizationArns ?? []).map((OrganizationArn) => ({ OrganizationArn })),
      ...(s.organizationalUnitArns ?? []).map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
      ...(s.public === true ? [{ Group: 'all' }] : []),
    ]
    if (launch.length === 0) return
    await Promise.all(
      Object.entries(this.available).map(async ([region, image]) => {
        const ec2 = this.client(region)
        this.progress('share', region, `sharing ${image.imageId}`)
        const r = await ec2.modifyImageAttribute({ ImageId: image.imageId, LaunchPermission: { Add: launch } } as never, this.callOptions)()
        if (r._tag === 'Left') {
          const blocked = r.left._tag === 'ServiceError' && /public/i.test(r.left.serviceMessage) && s.public === true
          throw new Failed(
            'share',
            region,
            blocked
              ? `the account blocks public AMIs in ${region} (block public access for AMIs): ${r.left.message}; turn it off (DisableImageBlockPublicAccess) or share with accounts instead`
              : `ModifyImageAttribute failed: ${r.left.message}`,
            r.left,
          )
        }
        if (s.shareSnapshots === true && (s.accounts?.length ?? 0) > 0) {
          for (const snapshotId of image.snapshotIds) {
            await this.must('share', region, 'ModifySnapshotAttribute', ec2.modifySnapshotAttribute({
              SnapshotId: snapshotId,
              Attribute: 'createVolumePermission',
              CreateVolumePermission: { Add: (s.accounts ?? []).map((UserId) => ({ UserId })) },
            } as never, this.callOptions))
          }
        }
      }),
    )
  }
}
