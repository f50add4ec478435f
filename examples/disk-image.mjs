// A small disk image to import: 8 MiB of RAW disk with a protective MBR and a GPT whose first partition is an EFI
// system partition (so detection suggests UEFI boot) and second a Linux filesystem. Its data sectors are a pattern,
// not a filesystem: enough for the format to be detected, uploaded and imported by the emulator.
import { writeFileSync } from 'node:fs'

const SECTOR = 512
const guid = (g) => {
  const b = Buffer.from(g.replace(/-/g, ''), 'hex')
  // GPT stores the first three fields of a GUID little-endian.
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)])
}
const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B'
const LINUX_FS = '0FC63DAF-8483-4772-8E79-3D69D8477DE4'

/** Write the image to `path`; returns its size in bytes. */
export const writeSmallUefiDisk = (path, sizeBytes = 8 * 1024 * 1024) => {
  const b = Buffer.alloc(sizeBytes)
  // protective MBR: one partition of type 0xEE covering the disk
  b[446 + 4] = 0xee
  b.writeUInt32LE(1, 446 + 8)
  b.writeUInt32LE(sizeBytes / SECTOR - 1, 446 + 12)
  b[510] = 0x55
  b[511] = 0xaa
  // GPT header at LBA 1, 128 entries of 128 bytes from LBA 2
  b.write('EFI PART', SECTOR, 'latin1')
  b.writeUInt32LE(0x00010000, SECTOR + 8)
  b.writeUInt32LE(92, SECTOR + 12)
  b.writeBigUInt64LE(1n, SECTOR + 24)
  b.writeBigUInt64LE(2n, SECTOR + 72)
  b.writeUInt32LE(128, SECTOR + 80)
  b.writeUInt32LE(128, SECTOR + 84)
  guid(ESP).copy(b, 2 * SECTOR)
  b.writeBigUInt64LE(2048n, 2 * SECTOR + 32)
  b.writeBigUInt64LE(4095n, 2 * SECTOR + 40)
  guid(LINUX_FS).copy(b, 2 * SECTOR + 128)
  b.writeBigUInt64LE(4096n, 2 * SECTOR + 128 + 32)
  b.writeBigUInt64LE(BigInt(sizeBytes / SECTOR - 34), 2 * SECTOR + 128 + 40)
  for (let i = 1024 * 1024; i < sizeBytes; i += 4096) b.writeUInt32LE(i, i)
  writeFileSync(path, b)
  return sizeBytes
}
