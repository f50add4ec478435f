import { defineConfig } from 'vitest/config'

// `npm run test:reliability`: the reliability suite alone, with one table of its cases at the end
// (test/reliability/reporter.ts). The same files also run in the default `vitest run` (vitest.config.ts includes
// test/**), where each file prints its own table.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    reporters: ['default', './test/reliability/reporter.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', EC2_RELIABILITY_REPORTER: '1' },
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The load case measures the heap after a full collection; with this flag it uses global.gc.
    execArgv: ['--expose-gc'],
  },
})
