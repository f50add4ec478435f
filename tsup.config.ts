import { defineConfig } from 'tsup'

// ESM and CommonJS from one build, each with its own declaration files (`.d.ts` for ESM, `.d.cts` for CJS), so
// both `import` and `require` consumers get types that match the module system they load.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
})
