import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A file of `size` random bytes with an MBR boot signature (so it is detected as a RAW disk), written as `name` in
 * `dir`; its path and bytes.
 */
export const rawDisk = (dir: string, name: string, size: number): { path: string; bytes: Buffer } => {
  const bytes = randomBytes(size)
  bytes[510] = 0x55
  bytes[511] = 0xaa
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return { path, bytes }
}
