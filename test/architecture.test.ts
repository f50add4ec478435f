/**
 * The layout's rules, checked on the source: no import cycle (type-only imports count: a cycle of types is still a
 * tangle a reader must hold in their head), and imports run downward only — `cli` → public modules → `internal/http`
 * → `internal/protocol` → `internal/schema`. Nothing under `internal/` imports a public module except the few that
 * hold shared types and no logic of their own (`Call`, `Logger`, `Ec2ImportError`, `Credentials`).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve(import.meta.dirname, '../src')

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })

// Every relative specifier of `import … from`, `export … from` and `import()`, type-only ones included.
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

const importsOf = (file: string): Array<string> => {
  const text = readFileSync(file, 'utf8')
  const out: Array<string> = []
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = (m[1] ?? m[2])!
    out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
  }
  return out
}

const graph = new Map(sourceFiles(SRC).map((f) => [f, importsOf(f)]))
const name = (f: string) => relative(SRC, f)

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
const cycles = (): Array<Array<string>> => {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: Array<string> = []
  const onStack = new Set<string>()
  const found: Array<Array<string>> = []
  const visit = (v: string): void => {
    idx.set(v, index)
    low.set(v, index)
    index++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!))
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: Array<string> = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(name(w))
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!idx.has(v)) visit(v)
  return found
}

const SHARED_TYPES = new Set(['Call.ts', 'Logger.ts', 'Ec2ImportError.ts', 'Credentials.ts'])
const LAYER_ORDER = ['internal/schema', 'internal/protocol', 'internal/http', 'internal/config', 'internal/credentials']

describe('the source layout', () => {
  it('finds every module and every relative import (the checker is not blind)', () => {
    expect(graph.size).toBeGreaterThan(30)
    expect(graph.get(join(SRC, 'ServiceCaller.ts'))).toContain(join(SRC, 'internal/http/Pipeline.ts'))
    // A type-only import is seen too.
    expect(graph.get(join(SRC, 'internal/http/Pipeline.ts'))).toContain(join(SRC, 'Call.ts'))
  })

  it('has no import cycle, type-only imports included', () => {
    expect(cycles()).toEqual([])
  })

  it('detects a cycle when there is one (the check can fail)', () => {
    const a = join(SRC, 'ServiceCaller.ts')
    const b = join(SRC, 'internal/http/Pipeline.ts')
    const saved = graph.get(b)!
    graph.set(b, [...saved, a])
    try {
      expect(cycles().some((c) => c.includes('ServiceCaller.ts') && c.includes('internal/http/Pipeline.ts'))).toBe(true)
    } finally {
      graph.set(b, saved)
    }
  })

  it('reads downward: internal modules import no public module but the shared types, and no higher layer', () => {
    const violations: Array<string> = []
    for (const [file, imports] of graph) {
      const from = name(file)
      if (!from.startsWith('internal/')) continue
      const fromLayer = LAYER_ORDER.findIndex((l) => from.startsWith(`${l}/`))
      for (const target of imports) {
        const to = name(target)
        if (!to.startsWith('internal/')) {
          if (!SHARED_TYPES.has(to)) violations.push(`${from} → ${to}`)
          continue
        }
        const toLayer = LAYER_ORDER.findIndex((l) => to.startsWith(`${l}/`))
        // config and credentials sit beside http (they use it to fetch credentials); schema, protocol, http stack.
        if (fromLayer <= 2 && toLayer > fromLayer) violations.push(`${from} → ${to}`)
      }
    }
    expect(violations).toEqual([])
  })
})
