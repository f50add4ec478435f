import { defineConfig } from 'tsup'

// ESM and CommonJS from one build, each with its own declaration files (`.d.ts` for ESM, `.d.cts` for CJS), so
// both `import` and `require` consumers get types that match the module system they load. tsup (esbuild + a
// declaration bundler) over `tsc` twice: one config, one pass, and `.d.cts` files that tsc cannot name on its own.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', emulator: 'src/emulator.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
  },
])
