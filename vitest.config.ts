import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/pack/**', 'test/interop/**', 'node_modules/**'],
    // The JSON report is what `.ci/run` counts passes and failures from.
    reporters: ['default', 'json'],
    outputFile: { json: 'temp/vitest-report.json' },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    pool: 'forks',
  },
})
