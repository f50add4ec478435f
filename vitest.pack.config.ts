import { defineConfig } from 'vitest/config'

// The packaging smoke test: slow (npm pack + install), so it runs on its own after the unit tests.
export default defineConfig({
  test: {
    include: ['test/pack/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'temp/vitest-pack-report.json' },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
})
