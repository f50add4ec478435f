/**
 * `ec2-import-image/emulator`: an embedded local endpoint for VM Import (`ImportImage`,
 * `DescribeImportImageTasks`, `CancelImportTask`) and the snapshot path (`ImportSnapshot` → `RegisterImage` and the
 * AMI calls around it), for many regions on one endpoint, for examples, tests and other tools that must run without
 * an AWS account. Since 0.2 the same endpoint also serves S3 (path style: buckets, objects, multipart uploads whose
 * checksums it verifies), IAM (roles and policies) and STS (`GetCallerIdentity`), chosen by each request's SigV4
 * scope, and can check the role and the object as VM Import does (`strict`). `ec2-import-image emulator` serves it
 * standalone.
 *
 * This file is the whole public surface of the subpath: every export is named here.
 *
 * @packageDocumentation
 */

export {
  DEFAULT_EMULATOR_CREDENTIALS,
  startEmulator,
  type Emulator,
  type EmulatorAction,
  type EmulatorCredentials,
  type EmulatorOptions,
  type EmulatorMultipartUpload,
  type EmulatorRoleView,
  type EmulatorS3Object,
  type EmulatorService,
  type EmulatorSnapshot,
  type LoggedRequest,
} from './emulator/Emulator.js'
export { type EmulatorManagedPolicy, type EmulatorRole } from './emulator/IamStore.js'
export { type EmulatorBucket, type EmulatorLifecycleRule, type EmulatorObject } from './emulator/S3Store.js'
export { type ClockMode, type EmulatorClock } from './emulator/Clock.js'
export { type EmulatorFaults } from './emulator/Faults.js'
export { DEFAULT_PHASES, type PhaseDurations } from './emulator/TaskStore.js'
