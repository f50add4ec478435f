#!/usr/bin/env node
/**
 * The `ec2-import-image` executable: wires `main` to the process (arguments, standard streams, Ctrl-C).
 *
 * @since 0.1.0
 */
import { getEventListeners } from 'node:events'
import { main } from './cli.js'

const interrupt = new AbortController()
process.once('SIGINT', () => interrupt.abort())

// SIGTERM stops a command that listens for it (the emulator closes its server); any other command ends at once, as
// it would if no handler were installed.
const terminate = new AbortController()
process.once('SIGTERM', () => {
  if (getEventListeners(terminate.signal, 'abort').length === 0) process.exit(143)
  terminate.abort()
})

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  interrupt: interrupt.signal,
  terminate: terminate.signal,
}).then(
  (code) => {
    process.exitCode = code
    // stdin kept open by a prompt would hold the process
    process.stdin.unref?.()
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 3
  },
)
