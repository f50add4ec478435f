/**
 * The reliability suite's reporter: after the run, one table of every case (area, case, expected outcome, actual
 * outcome, attempts, milliseconds) collected from the tests' `meta().reliability` rows, with each row marked by its
 * test's result, then the counts and the run time, then the full text of every failing row.
 *
 * Used by `vitest.reliability.config.ts` (which sets `EC2_RELIABILITY_REPORTER=1`, so the files do not print their
 * own tables as they do under the default config).
 */
import { writeFileSync } from 'node:fs'
import type { Reporter, TestModule } from 'vitest/node'
import { renderTable, resultMark, type CaseRow } from './helpers/cases.js'

const AREAS: ReadonlyArray<string> = ['faults', 'idempotency', 'load', 'bad input', 'secrets', 'transport']

export default class ReliabilityTableReporter implements Reporter {
  private started = performance.now()

  onTestRunStart(): void {
    this.started = performance.now()
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: Array<CaseRow & { readonly result: string; readonly file: string }> = []
    let testsPassed = 0
    let testsFailed = 0
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') testsPassed++
        if (state === 'failed') testsFailed++
        const mark = resultMark(state === 'passed' ? 'pass' : state === 'failed' ? 'fail' : state === 'skipped' ? 'skip' : state)
        for (const row of test.meta().reliability ?? []) rows.push({ ...row, result: mark, file: module.moduleId })
      }
    }
    // The order: faults, duplicates, load, bad input, secrets, transport (a stable sort keeps each file's own).
    const rank = (area: string) => {
      const i = AREAS.indexOf(area)
      return i === -1 ? AREAS.length : i
    }
    rows.sort((a, b) => rank(a.area) - rank(b.area))
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1)
    const failing = rows.filter((r) => r.result === 'FAIL')
    const out: Array<string> = ['', 'ec2-import-image reliability cases', '', renderTable(rows), '']
    out.push(
      `${rows.length} cases: ${rows.length - failing.length} as documented, ${failing.length} not; ` +
        `${testsPassed} tests passed, ${testsFailed} failed; ${seconds} s`,
    )
    if (failing.length > 0) {
      out.push('', 'Cases not as documented:')
      for (const r of failing) out.push(`  - [${r.area}] ${r.name}\n      expected: ${r.expected}\n      actual:   ${r.actual}`)
    }
    process.stdout.write(`${out.join('\n')}\n`)
    // RELIABILITY_TABLE_MD=path also writes the table as Markdown (for a CI artifact or a pull request).
    const md = process.env['RELIABILITY_TABLE_MD']
    if (md !== undefined && md !== '') {
      const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ')
      const lines = ['| | area | case | expected | actual | attempts | ms |', '|---|---|---|---|---|---|---:|']
      for (const r of rows) lines.push(`| ${[r.result, r.area, r.name, r.expected, r.actual, r.attempts, String(r.ms)].map(cell).join(' | ')} |`)
      lines.push('', out.find((l) => / cases: /.test(l)) ?? '')
      writeFileSync(md, `${lines.join('\n')}\n`)
    }
  }
}
