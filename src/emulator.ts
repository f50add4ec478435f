/**
 * `ec2-import-image/emulator`: an embedded local EC2 endpoint for VM Import (`ImportImage`,
 * `DescribeImportImageTasks`, `CancelImportTask`) and the snapshot path (`ImportSnapshot` → `RegisterImage` and the
 * AMI calls around it), for many regions on one endpoint, for examples, tests and other tools that must run without
 * an AWS account. `ec2-import-image emulator` serves it standalone.
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
  type EmulatorSnapshot,
  type LoggedRequest,
} from './emulator/Emulator.js'
export { type ClockMode, type EmulatorClock } from './emulator/Clock.js'
export { type EmulatorFaults } from './emulator/Faults.js'
export { DEFAULT_PHASES, type PhaseDurations } from './emulator/TaskStore.js'
