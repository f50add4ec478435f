// Run the type tests over the built declarations twice: with `exactOptionalPropertyTypes` on (the root
// package.json's `tsd` options) and off (type-tests/exact-optional-off/package.json), since consumers compile both ways.
import tsdModule from 'tsd'
import { relative, resolve } from 'node:path'

const { default: tsd, formatter } = tsdModule

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
let failed = 0
for (const [label, cwd] of [
  ['exactOptionalPropertyTypes on', root],
  ['exactOptionalPropertyTypes off', resolve(root, 'type-tests/exact-optional-off')],
]) {
  for (const [typings, files] of [
    ['dist/index.d.ts', ['type-tests/index.test-d.ts', 'type-tests/snapshot-path.test-d.ts', 'type-tests/waiters.test-d.ts']],
    ['dist/emulator.d.ts', ['type-tests/emulator.test-d.ts']],
  ]) {
    const diagnostics = await tsd({
      cwd,
      typingsFile: relative(cwd, resolve(root, typings)),
      testFiles: files.map((f) => relative(cwd, resolve(root, f))),
    })
    const errors = diagnostics.filter((d) => d.severity === 'error')
    console.log(`tsd ${typings} (${label}): ${errors.length === 0 ? 'ok' : `${errors.length} error(s)`}`)
    if (diagnostics.length > 0) console.log(formatter(diagnostics))
    failed += errors.length
  }
}
process.exitCode = failed === 0 ? 0 : 1
