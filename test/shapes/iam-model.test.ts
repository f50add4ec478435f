/**
 * The IAM and STS declarations against their models (`fixtures/iam-vmimport-model.json`, botocore 1.43.11's
 * `iam/2010-05-08` for the 10 operations the preflight and the role use; `fixtures/sts-identity-model.json` for
 * `GetCallerIdentity`; see `fixtures/README.md`).
 *
 * For each operation, the model's input and output shapes are walked together with our codecs
 * (`helpers/model-walk.ts`, the walk the EC2 shapes use): members, wire names, list item names, kinds,
 * required-ness, sensitivity and enums. The walk knows no maps (EC2's shapes have none); IAM's one map,
 * `EvalDecisionDetailsType`, is checked here beside it. Every shape of each model is reached, so none is unchecked.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Iam from '../../src/operations/Iam.js'
import * as Sts from '../../src/operations/Sts.js'
import { asWire, type Member, type WireCodec } from '../../src/internal/schema/Schema.js'
import type { Operation } from '../../src/internal/protocol/Operation.js'
import { compareShape, type Model } from '../helpers/model-walk.js'

type Provenanced = Model & { readonly _provenance: { readonly shapeCount: number } }
const load = (name: string): Provenanced => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Provenanced
const iamModel = load('iam-vmimport-model.json')
const stsModel = load('sts-identity-model.json')

const MAP_PROBLEM = /^(.*): the model's (\w+) is a map; these operations were expected to have none$/

/** The walk, with the model's maps checked here: key and value names, and the value as a result enum (open, ⊇). */
const walk = (model: Model, shapeName: string, codec: WireCodec, direction: 'request' | 'result', visited?: Set<string>): Array<string> => {
  const raw: Array<string> = []
  compareShape(model.shapes, shapeName, codec, shapeName, direction, raw, undefined, visited)
  const problems: Array<string> = []
  for (const p of raw) {
    const m = MAP_PROBLEM.exec(p)
    if (m === null) {
      problems.push(p)
      continue
    }
    const [, at, mapShape] = m
    const shape = model.shapes[mapShape!]!
    const ours = codecAt(codec, at!.split('.').slice(1))
    if (ours?._tag !== 'MapType') {
      problems.push(`${at}: the model's ${mapShape} is a map, ours is a ${ours?._tag ?? 'nothing'}`)
      continue
    }
    const key = (shape as { key: { locationName?: string; shape: string } }).key
    const value = (shape as { value: { locationName?: string; shape: string } }).value
    if (ours.keyName !== (key.locationName ?? 'key')) problems.push(`${at}: map key name ${ours.keyName}`)
    if (ours.valueName !== (value.locationName ?? 'value')) problems.push(`${at}: map value name ${ours.valueName}`)
    visited?.add(key.shape)
    compareShape(model.shapes, value.shape, asWire(ours.value), `${at}{}`, direction, problems, undefined, visited)
  }
  return problems
}

/** The codec at a member path (`EvaluationResults[].EvalDecisionDetails`). */
const codecAt = (root: WireCodec, path: ReadonlyArray<string>): WireCodec | undefined => {
  let c: WireCodec | undefined = root
  for (const segment of path) {
    let name = segment
    while (c !== undefined && name.endsWith('[]')) {
      name = name.slice(0, -2)
      if (c._tag !== 'StructType') return undefined
      const m: Member | undefined = c.members.find((x) => x.name === name)
      c = m === undefined ? undefined : asWire(m.codec)
      if (c?._tag !== 'ListType') return undefined
      c = asWire(c.item)
      name = ''
    }
    if (name === '') continue
    if (c?._tag !== 'StructType') return undefined
    const m: Member | undefined = c.members.find((x) => x.name === name)
    c = m === undefined ? undefined : asWire(m.codec)
  }
  return c
}

const IAM_OPS = Iam.IAM_OPERATIONS
const STS_OPS: ReadonlyArray<Operation<unknown, unknown>> = [Sts.GetCallerIdentity as Operation<unknown, unknown>]

describe.each([
  ['IAM', iamModel, IAM_OPS, '2010-05-08'],
  ['STS', stsModel, STS_OPS, '2011-06-15'],
] as const)('the %s declarations match the model', (service, model, ops, version) => {
  it('the fixture is the model the declarations cite, with every operation of the table', () => {
    expect(model.metadata.protocol).toBe('query')
    expect(model.metadata.apiVersion).toBe(version)
    expect(Object.keys(model.operations).sort()).toEqual(ops.map((o) => o.name).sort())
    expect(Object.keys(model.shapes)).toHaveLength(model._provenance.shapeCount)
    for (const op of ops) expect(op.version, op.name).toBe(version)
  })

  describe.each(ops.map((op) => [op.name, op] as const))('%s', (name, op) => {
    const spec = model.operations[name]!

    it('names its input and output shapes as the model does', () => {
      expect(op.input.name).toBe(spec.input.shape)
      expect(op.output.name).toBe(spec.output?.shape ?? `${name}Result`)
    })

    it(`request shape ${spec.input.shape}: members, wire names, kinds, required-ness and enums`, () => {
      const problems = walk(model, spec.input.shape, asWire(op.input), 'request')
      expect(problems, `${service} ${spec.input.shape}:\n${problems.join('\n')}`).toEqual([])
    })

    if (spec.output !== undefined) {
      const output = spec.output.shape
      it(`result shape ${output}: members, wire names, kinds and open enums`, () => {
        const problems = walk(model, output, asWire(op.output), 'result')
        expect(problems, `${service} ${output}:\n${problems.join('\n')}`).toEqual([])
      })
    } else {
      it('no output in the model: an empty result structure', () => {
        const out = asWire(op.output)
        expect(out._tag === 'StructType' ? out.members : undefined).toEqual([])
      })
    }
  })

  it('the walk reaches every shape of the model but the error structures', () => {
    const visited = new Set<string>()
    const problems: Array<string> = []
    for (const op of ops) {
      const spec = model.operations[op.name]!
      problems.push(...walk(model, spec.input.shape, asWire(op.input), 'request', visited))
      if (spec.output !== undefined) problems.push(...walk(model, spec.output.shape, asWire(op.output), 'result', visited))
    }
    expect(problems).toEqual([])
    // Errors are read as the pipeline's ServiceError (code and message), not declared: their shapes and messages.
    const errorShapes = new Set(
      Object.entries(model.shapes).flatMap(([n, s]) =>
        (s as { error?: unknown; exception?: boolean }).exception === true ? [n, ...Object.values(s.members ?? {}).map((m) => m.shape)] : [],
      ),
    )
    const expected = Object.keys(model.shapes).filter((n) => !errorShapes.has(n) || visited.has(n))
    expect([...visited].sort()).toEqual(expected.sort())
  })
})

describe('the map check can fail', () => {
  it('a map declared with the wrong value names is reported', () => {
    const shapes = { ...iamModel.shapes, EvalDecisionDetailsType: { ...iamModel.shapes['EvalDecisionDetailsType']!, value: { shape: 'PolicyEvaluationDecisionType', locationName: 'decision' } } }
    const problems = walk({ ...iamModel, shapes }, 'SimulatePolicyResponse', asWire(Iam.SimulatePrincipalPolicy.output), 'result')
    expect(problems).toEqual([
      'SimulatePolicyResponse.EvaluationResults[].EvalDecisionDetails: map value name value',
      'SimulatePolicyResponse.EvaluationResults[].ResourceSpecificResults[].EvalDecisionDetails: map value name value',
    ])
  })
})
