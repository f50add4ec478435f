/**
 * `classifyImportFailure` over the messages the VM Import troubleshooting guide documents, each in the forms the
 * service has sent it (`ClientError: …`, the newer `CLIENT_ERROR : …`, with and without the final period), and the
 * `ResourceCountLimitExceeded` refinement.
 */
import { describe, expect, it } from 'vitest'
import { classifyImportFailure, type ImportFailureReason } from '../src/ImportTaskFailure.js'
import {
  isResourceCountLimitExceeded,
  RESOURCE_COUNT_LIMIT_HINT,
  serviceError,
  type Ec2ImportError,
} from '../src/Ec2ImportError.js'

// The documented texts, without their prefix; the reason each must get; a word its hint must contain to be of use.
const DOCUMENTED: ReadonlyArray<readonly [string, ImportFailureReason, RegExp]> = [
  ['Disk validation failed [OVF file parsing error: OVA with chunked disk files is not supported].', 'ova-chunked-disk', /chunk/i],
  ['Footers not identical.', 'vhd-footer-mismatch', /VHD/],
  ['Uncompressed data has an invalid length.', 'vmdk-corrupt', /VMDK/],
  [
    'Booter Networking failure/instance not reachable. Please retry after installation of .Net framework 3.5 SP1 or greater.',
    'windows-dotnet-missing',
    /\.NET Framework 3\.5/,
  ],
  ['Invalid configuration - Could not read fstab.', 'fstab-unreadable', /fstab/],
  [
    "We were unable to read your import's initramfs/initrd to determine what drivers your import requires to run in EC2.",
    'initramfs-unreadable',
    /initramfs/,
  ],
  ['Unsupported configuration - Logical volume group activation failed.', 'lvm-activation', /LVM|volume group/],
  ['Unsupported configuration - Multiple directories found.', 'multiple-os-directories', /operating system/],
]

const variants = (text: string): Array<string> => {
  const bare = text.replace(/\.$/, '')
  return [`ClientError: ${text}`, `ClientError: ${bare}`, `CLIENT_ERROR : ${text}`, `CLIENT_ERROR : ${bare}`]
}

const UNKNOWN_HINT = classifyImportFailure('Something nobody has seen').hint

describe('classifyImportFailure: the documented messages', () => {
  it.each(DOCUMENTED.flatMap(([text, reason, hintWord]) => variants(text).map((message) => [message, reason, hintWord] as const)))(
    '%s → %s',
    (message, reason, hintWord) => {
      const f = classifyImportFailure(message)
      expect(f.reason).toBe(reason)
      expect(f.statusMessage).toBe(message)
      expect(f.hint).toMatch(hintWord)
      expect(f.hint).not.toBe(UNKNOWN_HINT)
    },
  )

  it('gives each documented message its own reason and its own hint', () => {
    const fs = DOCUMENTED.map(([text]) => classifyImportFailure(`ClientError: ${text}`))
    expect(new Set(fs.map((f) => f.reason)).size).toBe(DOCUMENTED.length)
    expect(new Set(fs.map((f) => f.hint)).size).toBe(DOCUMENTED.length)
  })

  it.each([
    // the general rules still answer what they answered in 0.1
    ['ClientError: Disk validation failed [Unsupported OVA format]', 'disk-validation'],
    ['CLIENT_ERROR : Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]', 'disk-access-denied'],
    ['CLIENT_ERROR : Unsupported kernel version 5.14.0-70.el9.x86_64', 'unsupported-kernel'],
    ['ClientError: BLSC-style GRUB found, but unable to detect default kernel', 'bootloader'],
    // near misses do not borrow a specific reason
    ['ClientError: fstab entries look odd', 'unknown'],
    ['ClientError: Footers identical', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (message, reason) => {
    expect(classifyImportFailure(message).reason).toBe(reason)
  })
})

describe('isResourceCountLimitExceeded', () => {
  const error = (code: string): Ec2ImportError =>
    serviceError({ operation: 'ImportSnapshot', code, serviceMessage: 'm', requestId: 'r', statusCode: 400, attempts: 1 })

  it('recognises too many active import tasks, and nothing else', () => {
    expect(isResourceCountLimitExceeded(error('ResourceCountLimitExceeded'))).toBe(true)
    expect(isResourceCountLimitExceeded(error('RequestLimitExceeded'))).toBe(false)
    expect(isResourceCountLimitExceeded({ _tag: 'ConfigError', message: 'ResourceCountLimitExceeded' })).toBe(false)
  })

  it('is not throttling (the client does not retry it) and its hint says to retry once a task has ended', () => {
    const e = error('ResourceCountLimitExceeded')
    expect(e._tag === 'ServiceError' && e.throttling).toBe(false)
    expect(RESOURCE_COUNT_LIMIT_HINT).toMatch(/retry/)
    expect(RESOURCE_COUNT_LIMIT_HINT).toMatch(/CancelImportTask/)
  })
})
