import { defineConfig } from 'vitest/config'

// `npm run test:interop`: this client against moto's server (`python3 -m moto.server`, started by the tests on a free
// port), a real AWS endpoint nobody here wrote. Without moto the suite says it skipped and why; with
// MOTO_REQUIRED=1 (`.ci/run` sets it) a missing moto fails instead.
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'temp/vitest-interop-report.json' },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One moto per file, started and stopped in its hooks; files run one at a time so ports and CPU are not contended.
    fileParallelism: false,
  },
})
