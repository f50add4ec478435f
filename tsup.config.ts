import type { Plugin } from 'esbuild'
import { createRequire } from 'node:module'
import { defineConfig, type Options } from 'tsup'

const requireHere = createRequire(import.meta.url)
const IDENTIFIER_NAME = /^[A-Za-z_$][\w$]*$/

// The runtime dependencies that ship as CommonJS (fast-xml-parser ships both; its CommonJS build is one file).
const COMMONJS_DEPENDENCIES = /^(io-ts|fp-ts\/lib\/.*|aws4|undici\/lib\/.*|fast-xml-parser)$/

// In the ESM build, the CommonJS dependencies above are loaded with `require` (made by `createRequire`), not with
// `import`. They are the same modules either way: none of them but fast-xml-parser has an ESM entry point, and Node's
// ESM loader wraps a CommonJS module in the one `require` would have loaded. But Node 20's ESM loader pays for each
// CommonJS module it wraps (it resolves, reads and lexes it for its export names) and reads fast-xml-parser's ESM
// build as 20-odd files: loading these five from an ES module took 160-200 ms against 60-86 ms with `require`
// (2026-12-06, Node 20.20.2), most of the gap between this package's ESM cold start and a process that only loads
// undici (README, "Performance"; `npm run bench -- --only cold`).
//
// How: each such import resolves to a small module that `require`s the dependency and re-exports what it exports
// (the names read here, at build time); esbuild keeps that `require` external, and the banner gives the ES module
// the `require` it calls.
//
// tsup runs esbuild in ESM for both outputs when it tree-shakes (rollup then writes CommonJS), so the output format
// is read from the `TSUP_FORMAT` constant tsup defines for each pass. In the CommonJS pass the dependencies stay plain
// externals, as before.
const requireCommonJsDependencies: Plugin = {
  name: 'require-commonjs-dependencies',
  setup(build) {
    const esm = build.initialOptions.define?.['TSUP_FORMAT'] === JSON.stringify('esm')
    build.onResolve({ filter: COMMONJS_DEPENDENCIES }, (args) =>
      !esm || args.namespace === 'commonjs-dependency'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'commonjs-dependency' },
    )
    build.onLoad({ filter: /.*/, namespace: 'commonjs-dependency' }, (args) => {
      // Each export becomes a binding of its own (read once, when the module loads), so a call such as `E.isLeft`
      // is a plain variable read: esbuild's CommonJS interop would put a getter in front of every export instead.
      const names = Object.keys(requireHere(args.path) as object).filter((n) => n !== 'default' && IDENTIFIER_NAME.test(n))
      return {
        contents: [
          `const m = require(${JSON.stringify(args.path)})`,
          'export default m',
          ...names.map((n, i) => `const e${i} = m.${n}`),
          `export { ${names.map((n, i) => `e${i} as ${n}`).join(', ')} }`,
        ].join('\n'),
        loader: 'js',
      }
    })
  },
}

const requireCommonJs: Partial<Options> = {
  // tsup's own external rule would claim these before the plugin sees them.
  noExternal: [COMMONJS_DEPENDENCIES],
  esbuildPlugins: [requireCommonJsDependencies],
  banner: ({ format }) =>
    format === 'esm'
      ? { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" }
      : {},
}

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
    ...requireCommonJs,
  },
  // For bundlers: the same ES modules with plain `import`s of the dependencies, which a bundler follows (it does not
  // follow a `require` made by `createRequire`). package.json maps the `module` condition to these files: esbuild,
  // webpack, Rollup and Vite match it, Node never does.
  {
    entry: { index: 'src/index.ts', emulator: 'src/emulator.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.bundler.js' }),
    sourcemap: true,
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
    ...requireCommonJs,
  },
])
