/**
 * Why an import task failed, read from its `StatusMessage`.
 *
 * An import fails asynchronously: the task ends `deleted` and the reason is free text such as
 * `ClientError: Unsupported kernel version 4.15.0-1021-aws`. The messages below are the ones users have reported
 * (see the research notes); each becomes a reason a program can switch on, with the text kept verbatim.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The known reasons an import fails.
 *
 * @public
 * @since 0.1.0
 */
export type ImportFailureReason =
  | 'unsupported-kernel'
  | 'unknown-os'
  | 'disk-access-denied'
  | 'disk-validation'
  | 'no-valid-partitions'
  | 'bootloader'
  | 'first-boot-failure'
  | 'service-role'
  | 'cancelled'
  | 'unknown'

/**
 * A failed task's reason and what to do about it.
 *
 * @public
 * @since 0.1.0
 */
export interface ImportFailure {
  readonly reason: ImportFailureReason
  /** The service's `StatusMessage`, verbatim. */
  readonly statusMessage: string
  /** What usually fixes it. */
  readonly hint: string
}

// -------------------------------------------------------------------------------------------------
// classification
// -------------------------------------------------------------------------------------------------

const RULES: ReadonlyArray<readonly [RegExp, ImportFailureReason, string]> = [
  [/unsupported kernel version/i, 'unsupported-kernel', 'The kernel is not on the VM Import list of supported kernels; import a supported one, or use ImportSnapshot and RegisterImage.'],
  [/unknown os|missing os files/i, 'unknown-os', 'VM Import found no supported operating system on the disk (check the root filesystem type and the disk layout).'],
  [/disk validation failed.*(403|forbidden|do not have access)/i, 'disk-access-denied', 'The vmimport service role cannot read the S3 object: grant it s3:GetObject on the bucket (and kms:Decrypt for SSE-KMS).'],
  [/disk validation failed/i, 'disk-validation', 'The disk image is not in a supported format or is corrupt: check the format (stream-optimized VMDK, fixed/dynamic VHD) and the upload.'],
  [/no valid partitions|not a valid volume/i, 'no-valid-partitions', 'The disk has no partition table VM Import can read.'],
  [/grub|efi partition|bootloader|boot loader/i, 'bootloader', 'VM Import could not work with the boot loader; check the boot mode (BootMode) and the GRUB configuration.'],
  [/firstbootfailure|failed to boot/i, 'first-boot-failure', 'The imported instance did not boot and reach the network: check drivers (ENA, NVMe) and network configuration.'],
  [/service role|vmimport|role .* does not exist|assume role/i, 'service-role', 'The VM Import service role (vmimport) is missing or lacks permissions; see the VM Import required-permissions guide.'],
  [/cancel/i, 'cancelled', 'The task was cancelled (CancelImportTask).'],
]

/**
 * Classify a failed task's `StatusMessage`.
 *
 * @example
 * ```ts
 * import { classifyImportFailure } from 'ec2-import-image'
 *
 * classifyImportFailure('ClientError: Unsupported kernel version 4.15.0-1021-aws').reason // 'unsupported-kernel'
 * ```
 *
 * @public
 * @since 0.1.0
 */
export const classifyImportFailure = (statusMessage: string | undefined): ImportFailure => {
  const text = statusMessage ?? ''
  for (const [pattern, reason, hint] of RULES) {
    if (pattern.test(text)) return { reason, statusMessage: text, hint }
  }
  return { reason: 'unknown', statusMessage: text, hint: 'See the VM Import troubleshooting guide for this message.' }
}
