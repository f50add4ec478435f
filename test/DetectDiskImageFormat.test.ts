/**
 * Format detection, table-driven over headers made by small generators below (the layouts of VMware's Virtual Disk
 * Format 5.0, Microsoft's VHD and VHDX specifications, POSIX ustar, UEFI's GPT and the PC MBR): every format and
 * subformat VM Import takes, and every one it refuses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { detectDiskImageFormat, type DetectedDiskImage, type DiskImageFormatError } from '../src/DetectDiskImageFormat.js'

const dir = mkdtempSync(join(tmpdir(), 'detect-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// -------------------------------------------------------------------------------------------------
// generators
// -------------------------------------------------------------------------------------------------

const MiB = 1024 * 1024

/** A hosted sparse extent header (`KDMV`) with an embedded descriptor at sector 1. */
const vmdkSparse = (o: { flags: number; compression: number; createType?: string }): Buffer => {
  const b = Buffer.alloc(64 * 1024)
  b.write('KDMV', 0, 'latin1')
  b.writeUInt32LE(o.compression === 1 ? 3 : 1, 4) // version
  b.writeUInt32LE(o.flags, 8)
  b.writeBigUInt64LE(2048n, 12) // capacity in sectors
  b.writeBigUInt64LE(128n, 20) // grain size
  b.writeBigUInt64LE(o.createType === undefined ? 0n : 1n, 28) // descriptor offset
  b.writeBigUInt64LE(o.createType === undefined ? 0n : 20n, 36) // descriptor size
  b.writeUInt32LE(512, 44)
  b.write('\n \r\n', 73, 'latin1')
  b.writeUInt16LE(o.compression, 77)
  if (o.createType !== undefined) b.write(descriptorText(o.createType), 512, 'latin1')
  return b
}

const descriptorText = (createType: string): string =>
  `# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="${createType}"\n\n# Extent description\nRW 2048 SPARSE "disk.vmdk"\n`

const STREAM_FLAGS = 1 | (1 << 16) | (1 << 17)

const vhdFooter = (diskType: number, o: { badChecksum?: boolean } = {}): Buffer => {
  const f = Buffer.alloc(512)
  f.write('conectix', 0, 'latin1')
  f.writeUInt32BE(2, 8) // features
  f.writeUInt32BE(0x00010000, 12) // version
  f.writeBigUInt64BE(diskType === 2 ? 0xffffffffffffffffn : 512n, 16) // data offset
  f.write('qemu', 28, 'latin1')
  f.writeBigUInt64BE(BigInt(MiB), 40)
  f.writeBigUInt64BE(BigInt(MiB), 48)
  f.writeUInt32BE(diskType, 60)
  let sum = 0
  for (const x of f) sum += x
  f.writeUInt32BE(o.badChecksum === true ? 1 : ~sum >>> 0, 64)
  return f
}

const mbr = (partitions: ReadonlyArray<{ type: number; bootable?: boolean }>): Buffer => {
  const b = Buffer.alloc(512)
  partitions.forEach((p, i) => {
    b[446 + i * 16] = p.bootable === true ? 0x80 : 0
    b[446 + i * 16 + 4] = p.type
    b.writeUInt32LE(2048, 446 + i * 16 + 8)
    b.writeUInt32LE(4096, 446 + i * 16 + 12)
  })
  b[510] = 0x55
  b[511] = 0xaa
  return b
}

const guid = (g: string): Buffer => {
  const b = Buffer.from(g.replace(/-/g, ''), 'hex')
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)])
}
const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B'
const BIOS_BOOT = '21686148-6449-6E6F-744E-656564454649'
const LINUX_FS = '0FC63DAF-8483-4772-8E79-3D69D8477DE4'

/** A protective MBR, a GPT header at LBA 1 and 128 entries from LBA 2, for the given sector size. */
const gptDisk = (types: ReadonlyArray<string>, sector = 512): Buffer => {
  const b = Buffer.alloc(sector * 2 + 128 * 128 + MiB)
  mbr([{ type: 0xee }]).copy(b, 0)
  b.write('EFI PART', sector, 'latin1')
  b.writeUInt32LE(0x00010000, sector + 8)
  b.writeUInt32LE(92, sector + 12)
  b.writeBigUInt64LE(1n, sector + 24)
  b.writeBigUInt64LE(2n, sector + 72)
  b.writeUInt32LE(128, sector + 80)
  b.writeUInt32LE(128, sector + 84)
  types.forEach((t, i) => guid(t).copy(b, sector * 2 + i * 128))
  return b
}

const tarHeader = (name: string, size: number, type = '0', prefix = ''): Buffer => {
  const h = Buffer.alloc(512)
  h.write(name.slice(0, 100), 0, 'utf8')
  h.write('0000644\0', 100, 'latin1')
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1')
  h.write(type, 156, 'latin1')
  h.write('ustar\x0000', 257, 'latin1')
  h.write(prefix, 345, 'utf8')
  h.fill(' ', 148, 156)
  let sum = 0
  for (const x of h) sum += x
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
  return h
}

const tarEntry = (name: string, data: Buffer, type = '0', prefix = ''): Buffer =>
  Buffer.concat([tarHeader(name, data.length, type, prefix), data, Buffer.alloc((512 - (data.length % 512)) % 512)])

const tar = (...entries: ReadonlyArray<Buffer>): Buffer => Buffer.concat([...entries, Buffer.alloc(1024)])

const OVF = Buffer.from('<?xml version="1.0"?><Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>')
const DISK = vmdkSparse({ flags: STREAM_FLAGS, compression: 1, createType: 'streamOptimized' })

const pseudoRandom = (n: number, seed: number): Buffer => {
  const b = Buffer.alloc(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    b[i] = x >>> 24
  }
  // Make sure no accidental signature survives at the places detection looks.
  b[510] = 0
  return b
}

// -------------------------------------------------------------------------------------------------
// the table
// -------------------------------------------------------------------------------------------------

interface Accepted {
  readonly name: string
  readonly bytes: Buffer
  readonly format: DetectedDiskImage['format']
  readonly subformat?: string
  readonly bootModeHint?: 'uefi' | 'legacy-bios'
  /** Each must match one warning; none expected when absent. */
  readonly warnings?: ReadonlyArray<RegExp>
}

const accepted: ReadonlyArray<Accepted> = [
  { name: 'stream-optimized VMDK', bytes: DISK, format: 'VMDK', subformat: 'streamOptimized' },
  {
    name: 'stream-optimized VMDK without an embedded descriptor',
    bytes: vmdkSparse({ flags: STREAM_FLAGS, compression: 1 }),
    format: 'VMDK',
    subformat: 'streamOptimized',
  },
  {
    name: 'monolithicSparse VMDK',
    bytes: vmdkSparse({ flags: 3, compression: 0, createType: 'monolithicSparse' }),
    format: 'VMDK',
    subformat: 'monolithicSparse',
    warnings: [/accept only stream-optimized VMDK.*qemu-img convert -O vmdk -o subformat=streamOptimized/],
  },
  {
    name: 'sparse VMDK with no descriptor',
    bytes: vmdkSparse({ flags: 3, compression: 0 }),
    format: 'VMDK',
    subformat: 'monolithicSparse',
    warnings: [/subformat=streamOptimized/],
  },
  {
    name: 'VMDK whose descriptor says streamOptimized but whose grains are not compressed',
    bytes: vmdkSparse({ flags: 3, compression: 0, createType: 'streamOptimized' }),
    format: 'VMDK',
    subformat: 'monolithicSparse',
    warnings: [/subformat=streamOptimized/, /descriptor says createType="streamOptimized" but its header says monolithicSparse/],
  },
  {
    name: 'twoGbMaxExtentSparse VMDK',
    bytes: vmdkSparse({ flags: 3, compression: 0, createType: 'twoGbMaxExtentSparse' }),
    format: 'VMDK',
    subformat: 'twoGbMaxExtentSparse',
    warnings: [/subformat=streamOptimized/],
  },
  {
    name: 'monolithicFlat VMDK descriptor',
    bytes: Buffer.from(descriptorText('monolithicFlat')),
    format: 'VMDK',
    subformat: 'monolithicFlat',
    warnings: [/descriptor.*accept only stream-optimized.*subformat=streamOptimized/],
  },
  {
    name: 'vmfs VMDK descriptor',
    bytes: Buffer.from(descriptorText('vmfs')),
    format: 'VMDK',
    subformat: 'vmfs',
    warnings: [/subformat=streamOptimized/],
  },
  {
    name: 'ESXi COWD sparse VMDK',
    bytes: Buffer.concat([Buffer.from('COWD'), Buffer.alloc(2044)]),
    format: 'VMDK',
    subformat: 'vmfsSparse',
    warnings: [/subformat=streamOptimized/],
  },
  {
    name: 'fixed VHD of a GPT disk with an ESP',
    bytes: Buffer.concat([gptDisk([ESP, LINUX_FS]), vhdFooter(2)]),
    format: 'VHD',
    subformat: 'fixed',
    bootModeHint: 'uefi',
  },
  { name: 'fixed VHD of a blank disk', bytes: Buffer.concat([Buffer.alloc(MiB), vhdFooter(2)]), format: 'VHD', subformat: 'fixed' },
  {
    name: 'dynamic VHD',
    bytes: Buffer.concat([vhdFooter(3), Buffer.from('cxsparse'), Buffer.alloc(4096), vhdFooter(3)]),
    format: 'VHD',
    subformat: 'dynamic',
  },
  {
    name: 'VHD with a wrong footer checksum',
    bytes: Buffer.concat([Buffer.alloc(4096), vhdFooter(2, { badChecksum: true })]),
    format: 'VHD',
    subformat: 'fixed',
    warnings: [/checksum is wrong/],
  },
  {
    name: 'pre-2004 VHD with a 511-byte footer',
    bytes: Buffer.concat([Buffer.alloc(4096), vhdFooter(2).subarray(0, 511)]),
    format: 'VHD',
    subformat: 'fixed',
    // The byte the old footer lacks is its last reserved one: zero, so the checksum still holds.
  },
  {
    name: 'truncated dynamic VHD (header copy only)',
    bytes: Buffer.concat([vhdFooter(3), Buffer.alloc(4096)]),
    format: 'VHD',
    subformat: 'dynamic',
    warnings: [/no footer in its last 512 bytes/],
  },
  {
    name: 'VHDX',
    bytes: Buffer.concat([Buffer.from('vhdxfile'), Buffer.from('M\0i\0c\0r\0o\0s\0o\0f\0t\0'), Buffer.alloc(1024 * 1024)]),
    format: 'VHDX',
  },
  { name: 'OVA', bytes: tar(tarEntry('web.ovf', OVF), tarEntry('web.mf', Buffer.from('SHA256(web.ovf)= 00\n')), tarEntry('web-disk1.vmdk', DISK)), format: 'OVA' },
  {
    name: 'OVA whose .ovf is not the first entry',
    bytes: tar(tarEntry('web-disk1.vmdk', DISK), tarEntry('web.ovf', OVF)),
    format: 'OVA',
    warnings: [/entry 2, not the first/],
  },
  {
    name: 'OVA with a GNU long name for the .ovf',
    bytes: tar(tarEntry('././@LongLink', Buffer.from(`${'a'.repeat(120)}.ovf\0`), 'L'), tarEntry('a'.repeat(100), OVF)),
    format: 'OVA',
  },
  {
    name: 'OVA with a pax path for the .ovf',
    bytes: tar(tarEntry('PaxHeader/x', Buffer.from(`${19 + 104} path=${'b'.repeat(104)}.ovf\n`), 'x'), tarEntry('short', OVF)),
    format: 'OVA',
  },
  { name: 'OVA with a ustar prefix', bytes: tar(tarEntry('vm.ovf', OVF, '0', 'exports/web')), format: 'OVA' },
  { name: 'RAW, GPT with an EFI system partition', bytes: gptDisk([ESP, LINUX_FS]), format: 'RAW', subformat: 'gpt', bootModeHint: 'uefi' },
  {
    name: 'RAW, GPT with a BIOS boot partition',
    bytes: gptDisk([BIOS_BOOT, LINUX_FS]),
    format: 'RAW',
    subformat: 'gpt',
    bootModeHint: 'legacy-bios',
  },
  { name: 'RAW, GPT with both (hybrid)', bytes: gptDisk([BIOS_BOOT, ESP, LINUX_FS]), format: 'RAW', subformat: 'gpt', bootModeHint: 'uefi' },
  { name: 'RAW, GPT with data partitions only', bytes: gptDisk([LINUX_FS]), format: 'RAW', subformat: 'gpt' },
  { name: 'RAW, GPT on 4 KiB sectors with an ESP', bytes: gptDisk([ESP], 4096), format: 'RAW', subformat: 'gpt', bootModeHint: 'uefi' },
  {
    name: 'RAW, MBR with a bootable Linux partition',
    bytes: Buffer.concat([mbr([{ type: 0x83, bootable: true }]), Buffer.alloc(MiB)]),
    format: 'RAW',
    subformat: 'mbr',
    bootModeHint: 'legacy-bios',
  },
  { name: 'RAW, MBR with an EFI partition (0xEF)', bytes: Buffer.concat([mbr([{ type: 0xef }, { type: 0x83 }]), Buffer.alloc(MiB)]), format: 'RAW', subformat: 'mbr', bootModeHint: 'uefi' },
  { name: 'RAW, MBR with no bootable partition', bytes: Buffer.concat([mbr([{ type: 0x83 }]), Buffer.alloc(MiB)]), format: 'RAW', subformat: 'mbr' },
  {
    name: 'RAW, protective MBR without a GPT header',
    bytes: Buffer.concat([mbr([{ type: 0xee }]), Buffer.alloc(MiB)]),
    format: 'RAW',
    subformat: 'mbr',
    warnings: [/protective MBR but no GPT header/],
  },
]

interface Refused {
  readonly name: string
  readonly bytes: Buffer
  readonly reason: DiskImageFormatError['reason']
  readonly detected: string | undefined
  readonly message: RegExp
  readonly fix: RegExp
}

const TAKES = /VM Import takes VMDK \(stream-optimized\), VHD \(fixed or dynamic\), VHDX, OVA and RAW/

const refused: ReadonlyArray<Refused> = [
  {
    name: 'qcow2',
    bytes: Buffer.concat([Buffer.from('QFI\xfb\0\0\0\x03', 'latin1'), Buffer.alloc(4096)]),
    reason: 'unsupported',
    detected: 'qcow2',
    message: TAKES,
    fix: /qemu-img convert -f qcow2 -O vmdk -o subformat=streamOptimized/,
  },
  {
    name: 'VDI',
    bytes: (() => {
      const b = Buffer.alloc(4096)
      b.write('<<< Oracle VM VirtualBox Disk Image >>>\n', 0, 'latin1')
      b.writeUInt32LE(0xbeda107f, 64)
      return b
    })(),
    reason: 'unsupported',
    detected: 'VDI',
    message: TAKES,
    fix: /qemu-img convert -f vdi/,
  },
  { name: 'gzip', bytes: Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(100)]), reason: 'unsupported', detected: 'gzip', message: /gzip-compressed/, fix: /gunzip/ },
  { name: 'xz', bytes: Buffer.concat([Buffer.from('\xfd7zXZ\0', 'latin1'), Buffer.alloc(100)]), reason: 'unsupported', detected: 'xz', message: /xz-compressed/, fix: /unxz/ },
  { name: 'zstd', bytes: Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(100)]), reason: 'unsupported', detected: 'zstd', message: /zstd-compressed/, fix: /unzstd/ },
  {
    name: 'differencing VHD',
    bytes: Buffer.concat([vhdFooter(4), Buffer.alloc(4096), vhdFooter(4)]),
    reason: 'differencing',
    detected: 'differencing VHD',
    message: /differencing VHD/,
    fix: /merge it into its parent/i,
  },
  {
    name: 'tar without an .ovf',
    bytes: tar(tarEntry('disk.vmdk', DISK), tarEntry('notes.txt', Buffer.from('hi'))),
    reason: 'unknown',
    detected: 'tar',
    message: /without an \.ovf.*disk\.vmdk, notes\.txt/,
    fix: /OVA/,
  },
  { name: 'an empty file', bytes: Buffer.alloc(0), reason: 'unknown', detected: undefined, message: /is empty/, fix: /qemu-img/ },
  { name: 'zeros (a blank file)', bytes: Buffer.alloc(MiB), reason: 'unknown', detected: undefined, message: TAKES, fix: /qemu-img convert/ },
  { name: 'random bytes', bytes: pseudoRandom(256 * 1024, 7), reason: 'unknown', detected: undefined, message: TAKES, fix: /qemu-img convert/ },
  {
    name: 'a bare ext4 file system (no partition table)',
    bytes: (() => {
      const b = Buffer.alloc(8192)
      b.writeUInt16LE(0xef53, 1024 + 56)
      return b
    })(),
    reason: 'unknown',
    detected: undefined,
    message: /no MBR or GPT/,
    fix: /partition table/,
  },
  {
    name: 'a VMDK sparse header cut short',
    bytes: Buffer.from('KDMV\x01\0\0\0', 'latin1'),
    reason: 'unknown',
    detected: 'VMDK',
    message: /cut short/,
    fix: /truncated/,
  },
]

let n = 0
const fileOf = (bytes: Buffer, ext = '.img'): string => {
  const path = join(dir, `f${n++}${ext}`)
  writeFileSync(path, bytes)
  return path
}

describe('detectDiskImageFormat', () => {
  it.each(accepted)('$name → $format $subformat', async (c) => {
    const file = fileOf(c.bytes)
    const r = await detectDiskImageFormat(file)()
    if (r._tag === 'Left') throw new Error(`refused: ${r.left.message}`)
    expect(r.right.format).toBe(c.format)
    expect(r.right.subformat).toBe(c.subformat)
    expect(r.right.bootModeHint).toBe(c.bootModeHint)
    expect(r.right.size).toBe(c.bytes.length)
    const expected = c.warnings ?? []
    expect(r.right.warnings).toHaveLength(expected.length)
    expected.forEach((w, i) => expect(r.right.warnings[i]).toMatch(w))
  })

  it.each(refused)('$name → $reason', async (c) => {
    const file = fileOf(c.bytes)
    const r = await detectDiskImageFormat(file)()
    if (r._tag === 'Right') throw new Error(`accepted as ${r.right.format}`)
    expect(r.left._tag).toBe('DiskImageFormatError')
    expect(r.left.reason).toBe(c.reason)
    expect(r.left.detected).toBe(c.detected)
    expect(r.left.file).toBe(file)
    expect(r.left.message).toMatch(c.message)
    expect(r.left.fix).toMatch(c.fix)
  })

  it('names the file in the fix, quoted for a shell when it needs to be', async () => {
    const file = join(dir, "my disk's.vmdk")
    writeFileSync(file, vmdkSparse({ flags: 3, compression: 0, createType: 'monolithicSparse' }))
    const r = await detectDiskImageFormat(file)()
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') expect(r.right.warnings[0]).toContain(`'${dir}/my disk'\\''s.vmdk' '${dir}/my disk'\\''s-stream.vmdk'`)
  })

  it('a missing file is unreadable, with its code, never a rejection', async () => {
    const r = await detectDiskImageFormat(join(dir, 'nope.vmdk'))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DiskImageFormatError', reason: 'unreadable', code: 'ENOENT', fix: 'check the path' } })
  })

  it('a directory is unreadable', async () => {
    const r = await detectDiskImageFormat(dir)()
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'unreadable', code: 'EISDIR' } })
  })

  it('reads only the header and the footer: a large sparse RAW file is detected at once', async () => {
    const { openSync, ftruncateSync, writeSync, closeSync } = await import('node:fs')
    const file = join(dir, 'big.raw')
    const fd = openSync(file, 'w')
    writeSync(fd, gptDisk([ESP]))
    ftruncateSync(fd, 64 * 1024 * MiB) // 64 GiB, sparse on disk
    closeSync(fd)
    const started = performance.now()
    const r = await detectDiskImageFormat(file)()
    expect(performance.now() - started).toBeLessThan(1000)
    expect(r).toMatchObject({ _tag: 'Right', right: { format: 'RAW', bootModeHint: 'uefi', size: 64 * 1024 * MiB } })
  })
})
