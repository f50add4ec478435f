// The speed tricks `npm run bench` measures with and without: each lives in a module of its own under src/internal/,
// and a variant build of the library swaps that module for the plain version in bench/tricks/ (an esbuild plugin
// resolves the import to the other file). Every variant, the one with all tricks included, is built from src/ with
// the same options, so the only difference between two builds is the one module.
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')

/**
 * name, the module in src/ (imported as `./<module>.js`; its plain stand-in is bench/tricks/<module>.plain.ts), what
 * it is. Three more were measured this way and deleted, each moving no target's ratio by 10% (bench/README.md,
 * "Speed tricks"): the scanner's element-names cache, the signer's `X-Amz-Date` cache and the `Date` header cache.
 */
export const TRICKS = [
  { name: 'xml-scanner', module: 'internal/protocol/XmlScanner', label: 'XML scanner in front of fast-xml-parser' },
  { name: 'signer-fast-path', module: 'internal/http/SignerFastPath', label: 'signer fast path beside aws4' },
].filter((t) => existsSync(join(root, 'src', `${t.module}.ts`)))

const plainFile = (t) => join(root, 'bench', 'tricks', `${t.module.split('/').pop()}.plain.ts`)

const swap = (t) => ({
  name: `without-${t.name}`,
  setup(build) {
    const base = t.module.split('/').pop()
    build.onResolve({ filter: new RegExp(`/${base}\\.js$`) }, (args) =>
      args.importer.startsWith(join(root, 'src')) ? { path: plainFile(t) } : undefined,
    )
  },
})

/** Build `with` (all tricks) and one `without-<trick>` per trick into bench/.build/tricks/; returns their paths. */
export const buildVariants = async () => {
  const { build } = await import('esbuild')
  const outDir = join(root, 'bench', '.build', 'tricks')
  mkdirSync(outDir, { recursive: true })
  const common = {
    entryPoints: [join(root, 'src', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['undici', 'aws4', 'fast-xml-parser', 'fp-ts', 'io-ts'],
    logLevel: 'warning',
  }
  const variants = [{ name: 'with', label: 'all tricks', plugins: [] }]
  for (const t of TRICKS) variants.push({ name: `without-${t.name}`, label: `without the ${t.label}`, trick: t.name, plugins: [swap(t)] })
  for (const v of variants) {
    v.file = join(outDir, `${v.name}.mjs`)
    await build({ ...common, outfile: v.file, plugins: v.plugins })
    v.bytes = statSync(v.file).size
    delete v.plugins
  }
  return variants
}
