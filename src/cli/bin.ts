#!/usr/bin/env node
/**
 * The `ec2-import-image` executable: wires `main` to the process (arguments, standard streams, Ctrl-C).
 *
 * @since 0.1.0
 */
import { main } from './cli.js'

const interrupt = new AbortController()
process.once('SIGINT', () => interrupt.abort())

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  interrupt: interrupt.signal,
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
