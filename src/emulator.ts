/**
 * `ec2-import-image/emulator`: an embedded local EC2 endpoint for `ImportImage`, `DescribeImportImageTasks` and
 * `CancelImportTask`, for examples and tests that must run without an AWS account.
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
  type LoggedRequest,
} from './emulator/Emulator.js'
export { type ClockMode, type EmulatorClock } from './emulator/Clock.js'
export { type EmulatorFaults } from './emulator/Faults.js'
export { DEFAULT_PHASES, type PhaseDurations } from './emulator/TaskStore.js'
