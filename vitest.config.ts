import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The examples import the package by its name; tests run them against the sources, so no build is needed first.
  resolve: {
    alias: [
      { find: /^ec2-import-image\/emulator$/, replacement: fileURLToPath(new URL('./src/emulator.ts', import.meta.url)) },
      { find: /^ec2-import-image$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
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
