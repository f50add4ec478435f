/**
 * The last test of every reliability file: nothing went unhandled, and no secret reached a Left, a log line or CLI
 * output of anything the file ran.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { installGuards, recordCase } from './cases.js'
import { secretSink, tapSignatures, type SecretSink } from './secrets.js'

export interface FileWatch {
  readonly sink: SecretSink
  /** Signatures seen on the wire so far. */
  readonly signatures: () => ReadonlySet<string>
  /** Declare the file's final sweep (call it last, at the top level of the file). */
  readonly sweep: () => void
}

/** Install the guards and the secret sink of one file. */
export const watchFile = (file: string, area: string, options: { readonly keepLogLines?: boolean } = {}): FileWatch => {
  const guards = installGuards(file)
  const tap = tapSignatures()
  afterAll(() => tap.stop())
  const sink = secretSink(tap.signatures, { keep: options.keepLogLines === true })
  return {
    sink,
    signatures: tap.signatures,
    sweep: () =>
      describe('after every case of this file', () => {
        it('no unhandled rejection or uncaught exception; no secret or signature in any Left, log line or output', (ctx) => {
          const leaks = sink.leaks()
          const counts = sink.counts()
          const problems = guards.problems()
          recordCase(ctx, {
            area,
            name: `sweep of ${file}: unhandled rejections; secrets in Lefts/logs/output`,
            expected: '0 unhandled, 0 leaks',
            actual: `${problems.length} unhandled, ${leaks.length} leaks; checked ${counts.lefts} Lefts, ${counts.logLines} log lines, ${counts.texts} outputs against ${tap.signatures().size} signatures`,
            ms: 0,
          })
          expect(problems).toEqual([])
          expect(leaks).toEqual([])
          expect(counts.lefts + counts.logLines + counts.texts).toBeGreaterThan(0)
        })
      }),
  }
}
