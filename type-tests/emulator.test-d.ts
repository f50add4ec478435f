import { expectError, expectType } from 'tsd'
import { startEmulator, type Emulator, type LoggedRequest } from '../dist/emulator.js'

const emu = await startEmulator({ clock: 'manual', faults: { throttleRate: 0.1, seed: 7 }, maxActiveTasks: 3 })
expectType<Emulator>(emu)
expectType<string>(emu.endpoint)
expectType<string>(emu.credentials.secretAccessKey)
expectType<ReadonlyArray<LoggedRequest>>(emu.requests)
expectType<void>(emu.clock.advance(1000))
expectType<number>(emu.clock.now())
expectType<Promise<void>>(emu.close())
expectError(startEmulator({ clock: 'fast' }))
expectError(startEmulator({ faults: { throttleRate: 'often' } }))
