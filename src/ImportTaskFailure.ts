/**
 * Why an import task failed, read from its `StatusMessage`.
 *
 * An import fails asynchronously: the task ends `deleted` and the reason is free text such as
 * `ClientError: Unsupported kernel version 4.15.0-1021-aws`. The messages below are the ones users have reported
 * (see the research notes) and the ones the VM Import troubleshooting guide documents; each becomes a reason a
 * program can switch on, with the text kept verbatim. The rules match the text, not its prefix or final period:
 * the service has sent the same message as `ClientError: …`, as `CLIENT_ERROR : …` and without the period.
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
  | 'ova-chunked-disk'
  | 'disk-validation'
  | 'vhd-footer-mismatch'
  | 'vmdk-corrupt'
  | 'windows-dotnet-missing'
  | 'fstab-unreadable'
  | 'initramfs-unreadable'
  | 'lvm-activation'
  | 'multiple-os-directories'
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
  // Before the general disk-validation rule: the OVF parser's own complaint says exactly what to change.
  [/ova with chunked disk files/i, 'ova-chunked-disk', 'The OVA splits its disks into chunked files, which VM Import cannot read: export the VM again as an OVA without chunking (ovftool without --chunkSize), or import the VMDK on its own.'],
  [/disk validation failed/i, 'disk-validation', 'The disk image is not in a supported format or is corrupt: check the format (stream-optimized VMDK, fixed/dynamic VHD) and the upload.'],
  [/footers not identical/i, 'vhd-footer-mismatch', 'The VHD\'s footer and its copy differ: the file is damaged or was cut short, or is a differencing disk. Export a complete dynamic or fixed VHD again, upload it again and check its size and checksum against the original.'],
  [/uncompressed data has an invalid length/i, 'vmdk-corrupt', 'The compressed grains of the VMDK do not decompress to their stated length: the file is corrupt or truncated. Export the stream-optimized VMDK again and upload it again, checking its checksum.'],
  [/booter networking failure|\.net framework/i, 'windows-dotnet-missing', 'The Windows instance did not reach the network at first boot because .NET Framework 3.5 SP1 or later is missing: install it on the VM, export it again and retry.'],
  [/could not read fstab/i, 'fstab-unreadable', 'VM Import could not read /etc/fstab: make sure the root filesystem holds one readable /etc/fstab with valid entries (no dual-boot or second /etc directory), then export again.'],
  [/(unable to|could not|cannot) read .{0,40}(initramfs|initrd)/i, 'initramfs-unreadable', 'VM Import could not read the initramfs/initrd of the default kernel to choose drivers: regenerate it in a format it reads (gzip-compressed, e.g. dracut --gzip or update-initramfs with COMPRESS=gzip) for the default kernel, or use ImportSnapshot and RegisterImage with the drivers already in the image.'],
  [/logical volume group activation failed/i, 'lvm-activation', 'VM Import could not activate an LVM volume group: import every disk of the volume group together, and use plain LVM (no thin pools, no encrypted physical volumes, no duplicate volume group names).'],
  [/multiple directories found/i, 'multiple-os-directories', 'VM Import found more than one operating system directory (dual boot, or a second /etc or /boot): keep one operating system on the disks, then export again.'],
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
