/**
 * `detectDiskImageFormat`: what a disk image file is, read from its first 64 KiB and its last 512 bytes only, before
 * twenty minutes of upload and import find out. VM Import takes VMDK (stream-optimized only), VHD (fixed or dynamic),
 * VHDX, OVA and RAW; everything else — qcow2, a differencing VHD, a compressed image, a bare file system — is refused
 * here with the `qemu-img` command that converts it, and a VMDK that is not stream-optimized is accepted with a
 * warning (the import itself would refuse it with `Unsupported VMDK File Format`).
 *
 * ```
 * qcow2, VDI, gzip/xz/zstd ─► error     KDMV / COWD / descriptor ─► VMDK     vhdxfile ─► VHDX
 * conectix (footer or header copy) ─► VHD (differencing: error)   ustar + .ovf ─► OVA     55AA / EFI PART ─► RAW
 * ```
 *
 * @since 0.2.0
 */
import { open, type FileHandle } from 'node:fs/promises'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A disk image format VM Import takes (`DiskContainer.Format`).
 *
 * @public
 * @since 0.2.0
 */
export type DiskImageFormat = 'VMDK' | 'VHD' | 'VHDX' | 'OVA' | 'RAW'

/**
 * What a disk image file is.
 *
 * @public
 * @since 0.2.0
 */
export interface DetectedDiskImage {
  readonly format: DiskImageFormat
  /**
   * VMDK: its `createType` (`streamOptimized`, `monolithicSparse`, `monolithicFlat`, `vmfsSparse`, …); VHD: `fixed`
   * or `dynamic`; RAW: `gpt` or `mbr`. Absent where the format has none worth naming (VHDX, OVA).
   */
  readonly subformat?: string
  /** What will make the import fail or behave unexpectedly, each with its fix. Empty when nothing was seen. */
  readonly warnings: ReadonlyArray<string>
  /**
   * The boot mode the partition table suggests, for RAW and fixed VHD images: `uefi` when there is an EFI system
   * partition, `legacy-bios` when there is an MBR boot partition or a GPT BIOS boot partition and no ESP.
   */
  readonly bootModeHint?: 'uefi' | 'legacy-bios'
  /** The file's size in bytes. */
  readonly size: number
}

/**
 * Why a file cannot be imported as it is.
 *
 * - `unreadable`: the file could not be opened or read (`code` is Node's, e.g. `ENOENT`);
 * - `unsupported`: a known format VM Import does not take (`detected` names it: `qcow2`, `VDI`, `gzip`, …);
 * - `differencing`: a differencing (child) VHD, which only makes sense with its parent;
 * - `unknown`: no format VM Import takes was recognised (an empty file, a bare file system, random bytes).
 *
 * @public
 * @since 0.2.0
 */
export interface DiskImageFormatError {
  readonly _tag: 'DiskImageFormatError'
  readonly reason: 'unreadable' | 'unsupported' | 'differencing' | 'unknown'
  readonly file: string
  /** What the file was recognised as, when it was recognised. */
  readonly detected: string | undefined
  /** Node's error code, for `unreadable`. */
  readonly code: string | undefined
  readonly message: string
  /** What to do about it: the conversion command, in most cases. */
  readonly fix: string
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/** How much of the start of the file is read: the VMDK descriptor, a GPT's header and 128 entries at 4 KiB sectors. */
const HEAD_BYTES = 64 * 1024
/** A VHD footer is the last 512 bytes (511 in images made before Virtual PC 2004: those are read too). */
const TAIL_BYTES = 512
/** Tar headers walked looking for the OVF descriptor, which the OVF specification puts first. */
const MAX_TAR_ENTRIES = 64

const ACCEPTED = 'VM Import takes VMDK (stream-optimized), VHD (fixed or dynamic), VHDX, OVA and RAW images'

const STREAM_OPTIMIZED_FIX = (file: string): string =>
  `qemu-img convert -O vmdk -o subformat=streamOptimized ${quote(file)} ${quote(file.replace(/(\.[^./]*)?$/, '-stream.vmdk'))}`

const quote = (s: string): string => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

// The GUIDs as a GPT stores them: the first three fields little-endian.
const ESP_GUID = guidBytes('C12A7328-F81F-11D2-BA4B-00A0C93EC93B')
const BIOS_BOOT_GUID = guidBytes('21686148-6449-6E6F-744E-656564454649')

function guidBytes(guid: string): Buffer {
  const h = guid.replace(/-/g, '')
  const b = Buffer.from(h, 'hex')
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)])
}

// VMDK sparse extent header flags (VMware's Virtual Disk Format 5.0, "Hosted Sparse Extent Header").
const VMDK_FLAG_COMPRESSED = 1 << 16
const VMDK_FLAG_MARKERS = 1 << 17
const VMDK_COMPRESSION_DEFLATE = 1

// -------------------------------------------------------------------------------------------------
// internal
// -------------------------------------------------------------------------------------------------

type Verdict = { readonly _tag: 'Found'; readonly image: Omit<DetectedDiskImage, 'size'> } | { readonly _tag: 'Refused'; readonly error: Omit<DiskImageFormatError, '_tag' | 'file' | 'code'> }

const found = (format: DiskImageFormat, extra: Partial<Omit<DetectedDiskImage, 'format' | 'size'>> = {}): Verdict => ({
  _tag: 'Found',
  image: { format, warnings: [], ...extra },
})

const refused = (reason: DiskImageFormatError['reason'], detected: string | undefined, message: string, fix: string): Verdict => ({
  _tag: 'Refused',
  error: { reason, detected, message, fix },
})

const startsWith = (b: Buffer, at: number, text: string): boolean =>
  b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text

/** Read up to `length` bytes at `position`; fewer at the end of the file. */
const readAt = async (fh: FileHandle, position: number, length: number): Promise<Buffer> => {
  const buf = Buffer.alloc(length)
  let got = 0
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return buf.subarray(0, got)
}

// ---- VMDK ---------------------------------------------------------------------------------------

const createTypeOf = (descriptor: string): string | undefined => /^\s*createType\s*=\s*"([^"]*)"/m.exec(descriptor)?.[1]

const vmdkVerdict = (file: string, subformat: string, evidence: string): Verdict =>
  subformat === 'streamOptimized'
    ? found('VMDK', { subformat })
    : found('VMDK', {
        subformat,
        warnings: [
          `${evidence}: ImportImage and ImportSnapshot accept only stream-optimized VMDK and fail this one with "Unsupported VMDK File Format"; convert it: ${STREAM_OPTIMIZED_FIX(file)}`,
        ],
      })

/** A hosted sparse extent (`KDMV`): stream-optimized when its grains are deflate-compressed with markers. */
const sparseVmdk = (file: string, head: Buffer): Verdict => {
  if (head.length < 79) return refused('unknown', 'VMDK', `${file} starts like a VMDK sparse extent but is cut short`, 'the file is truncated: copy it again')
  const flags = head.readUInt32LE(8)
  const descriptorOffset = Number(head.readBigUInt64LE(28)) * 512
  const descriptorSize = Number(head.readBigUInt64LE(36)) * 512
  const compression = head.readUInt16LE(77)
  const embedded =
    descriptorOffset > 0 && descriptorSize > 0 && descriptorOffset < head.length
      ? head.toString('latin1', descriptorOffset, Math.min(head.length, descriptorOffset + descriptorSize)).replace(/\0[\s\S]*$/, '')
      : ''
  const declared = createTypeOf(embedded)
  const streamLayout = (flags & VMDK_FLAG_COMPRESSED) !== 0 && (flags & VMDK_FLAG_MARKERS) !== 0 && compression === VMDK_COMPRESSION_DEFLATE
  // The header's layout is what a reader of the extent goes by; a descriptor that disagrees is named in a warning.
  const subformat = streamLayout ? 'streamOptimized' : declared !== undefined && declared !== 'streamOptimized' ? declared : 'monolithicSparse'
  const verdict = vmdkVerdict(file, subformat, `${file} is a ${subformat} VMDK`)
  if (verdict._tag === 'Found' && declared !== undefined && declared !== subformat) {
    return found('VMDK', {
      ...verdict.image,
      warnings: [...verdict.image.warnings, `its descriptor says createType="${declared}" but its header says ${subformat}`],
    })
  }
  return verdict
}

// ---- VHD ----------------------------------------------------------------------------------------

const VHD_TYPES: Readonly<Record<number, string>> = { 2: 'fixed', 3: 'dynamic', 4: 'differencing' }

/** The one's complement of the byte sum of the footer, its checksum field (64–67) left out. */
const vhdChecksumOk = (footer: Buffer): boolean => {
  let sum = 0
  for (let i = 0; i < 512; i++) if (i < 64 || i > 67) sum += footer[i]!
  return (~sum >>> 0) === footer.readUInt32BE(64)
}

const vhdVerdict = (file: string, footer: Buffer, where: 'footer' | 'header copy', head: Buffer): Verdict => {
  const diskType = footer.readUInt32BE(60)
  const subformat = VHD_TYPES[diskType]
  if (subformat === 'differencing') {
    return refused(
      'differencing',
      'differencing VHD',
      `${file} is a differencing VHD: it holds only the changes to a parent disk, and VM Import takes a whole disk`,
      `merge it into its parent first (Hyper-V: Merge-VHD; or qemu-img convert -O vpc -o subformat=fixed ${quote(file)} merged.vhd, with the parent beside it)`,
    )
  }
  const warnings: Array<string> = []
  if (subformat === undefined) warnings.push(`its footer names disk type ${diskType}, which is neither fixed (2) nor dynamic (3)`)
  if (!vhdChecksumOk(footer)) warnings.push(`its ${where} checksum is wrong: the file may be damaged`)
  if (where === 'header copy') {
    warnings.push('it has no footer in its last 512 bytes: the file looks truncated, and VM Import reads the footer; copy it again')
  }
  // A fixed VHD is the raw disk followed by the footer, so its partition table says how it boots.
  const table = subformat === 'fixed' ? partitionTable(head) : undefined
  return found('VHD', {
    subformat: subformat ?? `type-${diskType}`,
    warnings,
    ...(table?.bootModeHint === undefined ? {} : { bootModeHint: table.bootModeHint }),
  })
}

// ---- RAW ----------------------------------------------------------------------------------------

interface PartitionTable {
  readonly kind: 'gpt' | 'mbr'
  readonly bootModeHint: 'uefi' | 'legacy-bios' | undefined
  readonly warnings: ReadonlyArray<string>
}

const gptAt = (head: Buffer, sector: number): PartitionTable | undefined => {
  if (!startsWith(head, sector, 'EFI PART')) return undefined
  const entriesAt = Number(head.readBigUInt64LE(sector + 72)) * sector
  const count = head.readUInt32LE(sector + 80)
  const size = head.readUInt32LE(sector + 84)
  let esp = false
  let biosBoot = false
  let seen = 0
  for (let i = 0; i < count && size >= 16; i++) {
    const at = entriesAt + i * size
    if (at + 16 > head.length) break
    seen++
    const type = head.subarray(at, at + 16)
    if (type.equals(ESP_GUID)) esp = true
    else if (type.equals(BIOS_BOOT_GUID)) biosBoot = true
  }
  const warnings: Array<string> = []
  if (seen < count && !esp) warnings.push(`only ${seen} of its ${count} GPT entries are in the first ${HEAD_BYTES / 1024} KiB: the boot mode hint may be missing`)
  return { kind: 'gpt', bootModeHint: esp ? 'uefi' : biosBoot ? 'legacy-bios' : undefined, warnings }
}

/** The partition table at the start of a disk: a GPT (512-byte or 4 KiB sectors), else an MBR. */
const partitionTable = (head: Buffer): PartitionTable | undefined => {
  const gpt = gptAt(head, 512) ?? gptAt(head, 4096)
  if (gpt !== undefined) return gpt
  if (head.length < 512 || head[510] !== 0x55 || head[511] !== 0xaa) return undefined
  const types = [0, 1, 2, 3].map((i) => head[446 + i * 16 + 4]!)
  const bootable = [0, 1, 2, 3].some((i) => head[446 + i * 16]! === 0x80)
  if (types.includes(0xee)) {
    return { kind: 'mbr', bootModeHint: undefined, warnings: ['it has a protective MBR but no GPT header after it: the GPT may be damaged'] }
  }
  if (types.includes(0xef)) return { kind: 'mbr', bootModeHint: 'uefi', warnings: [] }
  return { kind: 'mbr', bootModeHint: bootable ? 'legacy-bios' : undefined, warnings: [] }
}

// ---- OVA ----------------------------------------------------------------------------------------

const tarField = (b: Buffer, at: number, len: number): string => b.toString('utf8', at, at + len).replace(/\0[\s\S]*$/, '')

const tarSize = (b: Buffer): number => {
  // Sizes of 8 GiB and more use GNU's base-256 form: the high bit of the first byte set.
  if ((b[124]! & 0x80) !== 0) return Number(b.readBigUInt64BE(128))
  return parseInt(tarField(b, 124, 12).trim() || '0', 8)
}

const paxPath = (records: string): string | undefined => /(?:^|\n)\d+ path=([^\n]*)\n/.exec(records)?.[1]

/** Walk the tar's headers (at most `MAX_TAR_ENTRIES`) for the entry names, long names included. */
const tarNames = async (fh: FileHandle, size: number): Promise<Array<string>> => {
  const names: Array<string> = []
  let at = 0
  let longName: string | undefined
  for (let n = 0; n < MAX_TAR_ENTRIES && at + 512 <= size; n++) {
    const h = await readAt(fh, at, 512)
    if (h.length < 512 || h.every((x) => x === 0)) break
    const entrySize = tarSize(h)
    if (Number.isNaN(entrySize)) break
    const type = String.fromCharCode(h[156]!)
    const dataAt = at + 512
    if (type === 'L' || type === 'x') {
      const data = (await readAt(fh, dataAt, Math.min(entrySize, 64 * 1024))).toString('utf8')
      longName = type === 'L' ? data.replace(/\0[\s\S]*$/, '') : paxPath(data)
    } else {
      const prefix = startsWith(h, 257, 'ustar') ? tarField(h, 345, 155) : ''
      const name = tarField(h, 0, 100)
      names.push(longName ?? (prefix === '' ? name : `${prefix}/${name}`))
      longName = undefined
    }
    at = dataAt + Math.ceil(entrySize / 512) * 512
  }
  return names
}

const ovaVerdict = async (file: string, fh: FileHandle, size: number): Promise<Verdict> => {
  const names = await tarNames(fh, size)
  const ovf = names.findIndex((n) => n.toLowerCase().endsWith('.ovf'))
  if (ovf < 0) {
    return refused(
      'unknown',
      'tar',
      `${file} is a tar archive without an .ovf descriptor (entries: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}); an OVA is a tar whose first entry is the .ovf`,
      'export the VM as OVA again, or upload its disk (a stream-optimized .vmdk) on its own',
    )
  }
  const warnings = ovf === 0 ? [] : [`its .ovf descriptor is entry ${ovf + 1}, not the first as the OVF specification requires`]
  return found('OVA', { warnings })
}

// ---- the formats VM Import does not take ----------------------------------------------------------

const convertFix = (file: string, from: string): string =>
  `convert it: qemu-img convert -f ${from} -O vmdk -o subformat=streamOptimized ${quote(file)} ${quote(file.replace(/(\.[^./]*)?$/, '.vmdk'))} (or -O raw, or -O vpc for VHD)`

const unsupported = (file: string, head: Buffer): Verdict | undefined => {
  if (startsWith(head, 0, 'QFI\xfb')) {
    return refused('unsupported', 'qcow2', `${file} is a qcow2 image, which VM Import does not take; ${ACCEPTED}`, convertFix(file, 'qcow2'))
  }
  if (head.length >= 68 && head.readUInt32LE(64) === 0xbeda107f) {
    return refused('unsupported', 'VDI', `${file} is a VirtualBox VDI image, which VM Import does not take; ${ACCEPTED}`, convertFix(file, 'vdi'))
  }
  const compressed: ReadonlyArray<readonly [string, string, string]> = [
    ['\x1f\x8b', 'gzip', 'gunzip'],
    ['\xfd7zXZ\0', 'xz', 'unxz'],
    ['\x28\xb5\x2f\xfd', 'zstd', 'unzstd'],
    ['BZh', 'bzip2', 'bunzip2'],
  ]
  for (const [magic, name, tool] of compressed) {
    if (startsWith(head, 0, magic)) {
      return refused(
        'unsupported',
        name,
        `${file} is ${name}-compressed; VM Import reads the disk image itself, not an archive of it. ${ACCEPTED}`,
        `decompress it first (${tool} ${quote(file)}) and detect the result again`,
      )
    }
  }
  return undefined
}

const detect = async (file: string, fh: FileHandle, size: number): Promise<Verdict> => {
  const head = await readAt(fh, 0, Math.min(HEAD_BYTES, size))
  const tail = size >= TAIL_BYTES ? await readAt(fh, size - TAIL_BYTES, TAIL_BYTES) : Buffer.alloc(0)

  const notTaken = unsupported(file, head)
  if (notTaken !== undefined) return notTaken
  if (startsWith(head, 0, 'KDMV')) return sparseVmdk(file, head)
  if (startsWith(head, 0, 'COWD')) return vmdkVerdict(file, 'vmfsSparse', `${file} is an ESXi vmfsSparse (COWD) VMDK`)
  if (startsWith(head, 0, 'vhdxfile')) return found('VHDX')
  // The footer first: a fixed VHD starts with the disk's own MBR, and would otherwise look like RAW.
  if (startsWith(tail, 0, 'conectix')) return vhdVerdict(file, tail, 'footer', head)
  if (size >= TAIL_BYTES + 1 && startsWith(tail, 1, 'conectix')) {
    // A footer of 511 bytes (before Virtual PC 2004): the last 511 bytes, padded for the checksum.
    return vhdVerdict(file, Buffer.concat([tail.subarray(1), Buffer.alloc(1)]), 'footer', head)
  }
  if (startsWith(head, 0, 'conectix') && head.length >= 512) return vhdVerdict(file, head.subarray(0, 512), 'header copy', head)
  if (/^\s*#\s*Disk DescriptorFile/i.test(head.toString('latin1', 0, Math.min(head.length, 1024)))) {
    const createType = createTypeOf(head.toString('latin1')) ?? 'descriptor'
    const verdict = vmdkVerdict(file, createType, `${file} is a VMDK descriptor (createType="${createType}"), a text file that names its data in other files`)
    return verdict._tag === 'Found' && createType === 'streamOptimized'
      ? found('VMDK', { subformat: createType, warnings: ['it is a descriptor file: upload the VMDK file that holds the data, not its descriptor'] })
      : verdict
  }
  if (startsWith(head, 257, 'ustar')) return ovaVerdict(file, fh, size)
  const table = partitionTable(head)
  if (table !== undefined) {
    return found('RAW', {
      subformat: table.kind,
      warnings: table.warnings,
      ...(table.bootModeHint === undefined ? {} : { bootModeHint: table.bootModeHint }),
    })
  }
  return refused(
    'unknown',
    undefined,
    size === 0
      ? `${file} is empty`
      : `${file} is not a disk image VM Import recognises: no VMDK, VHD or VHDX signature, no OVA (tar with an .ovf), and no MBR or GPT for a RAW disk. ${ACCEPTED}`,
    'convert it with qemu-img (qemu-img info shows what it is): qemu-img convert -O vmdk -o subformat=streamOptimized IN OUT.vmdk; a file system image needs a partition table around it to boot',
  )
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Detect a disk image file's format from its header and footer (at most 64 KiB and 512 bytes are read, plus one
 * 512-byte header per tar entry for an OVA).
 *
 * @example
 * ```ts
 * import { detectDiskImageFormat } from 'ec2-import-image'
 *
 * const d = await detectDiskImageFormat('./disk.raw')()
 * if (d._tag === 'Left') console.error(d.left.message, '\n', d.left.fix)
 * else console.log(d.right.format, d.right.subformat, d.right.bootModeHint, d.right.warnings)
 * ```
 *
 * @public
 * @since 0.2.0
 */
export const detectDiskImageFormat =
  (file: string): TaskEither<DiskImageFormatError, DetectedDiskImage> =>
  async () => {
    let fh: FileHandle | undefined
    try {
      fh = await open(file, 'r')
      const { size } = await fh.stat()
      const verdict = await detect(file, fh, size)
      return verdict._tag === 'Found'
        ? { _tag: 'Right', right: { ...verdict.image, size } }
        : { _tag: 'Left', left: { _tag: 'DiskImageFormatError', file, code: undefined, ...verdict.error } }
    } catch (e) {
      const code = typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined
      return {
        _tag: 'Left',
        left: {
          _tag: 'DiskImageFormatError',
          reason: 'unreadable',
          file,
          detected: undefined,
          code,
          message: `${file} could not be read: ${e instanceof Error ? e.message : String(e)}`,
          fix: code === 'ENOENT' ? 'check the path' : code === 'EACCES' ? 'check the file permissions' : 'check that the file is a readable regular file',
        },
      }
    } finally {
      await fh?.close().catch(() => undefined)
    }
  }
