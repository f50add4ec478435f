/**
 * The snapshot path's declarations against the EC2 model (`fixtures/ec2-image-pipeline-model.json`: botocore
 * 1.43.11's `ec2/2016-11-15/service-2.json`, the 12 operations and the 111 shapes they reach; see
 * `fixtures/README.md`).
 *
 * For each operation, the model's input and output shapes are walked together with our codecs (`helpers/model-walk.ts`,
 * the walk `model.test.ts` uses for 0.1's shapes): members, query names, XML names, list item names, kinds,
 * required-ness, sensitivity and enums. An operation the model gives no output has an empty result structure.
 * Every shape of the model is reached by the walk, so none is left unchecked.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EC2_API_VERSION } from '../../src/internal/protocol/Operation.js'
import * as Op from '../../src/operations/Ec2.js'
import { asWire } from '../../src/internal/schema/Schema.js'
import { ArchitectureValues, ImdsSupportValues, TpmSupportValues, VolumeType } from '../../src/shapes/Image.js'
import { ImageAttributeName } from '../../src/shapes/DescribeImageAttribute.js'
import { SnapshotAttributeName } from '../../src/shapes/ModifySnapshotAttribute.js'
import { BootModeValues } from '../../src/shapes/ImportImage.js'
import { ImageTagSpecification, ImportSnapshotTagSpecification, ResourceType } from '../../src/shapes/Tag.js'
import { compareShape, type Model } from '../helpers/model-walk.js'

const model = JSON.parse(
  readFileSync(new URL('../fixtures/ec2-image-pipeline-model.json', import.meta.url), 'utf8'),
) as Model & { readonly _provenance: { readonly shapeCount: number } }

const OPERATIONS = [
  Op.ImportSnapshot,
  Op.DescribeImportSnapshotTasks,
  Op.RegisterImage,
  Op.DescribeImages,
  Op.DeregisterImage,
  Op.CreateTags,
  Op.CopyImage,
  Op.ModifyImageAttribute,
  Op.DescribeImageAttribute,
  Op.ModifySnapshotAttribute,
  Op.DeleteSnapshot,
  Op.DescribeSnapshots,
] as const

const enumOf = (shape: string): ReadonlyArray<string> => model.shapes[shape]!.enum!

/** The `ResourceType` codec of a tag specification declaration. */
const resourceTypeValues = (codec: unknown): ReadonlyArray<string> | undefined => {
  const c = asWire(codec as never)
  if (c._tag !== 'StructType') return undefined
  const m = c.members.find((x) => x.name === 'ResourceType')
  const rc = m === undefined ? undefined : asWire(m.codec)
  return rc?._tag === 'ScalarType' ? rc.values : undefined
}

describe('the snapshot path matches the EC2 model', () => {
  it('the fixture is the model the declarations cite, with the 12 operations', () => {
    expect(model.metadata.protocol).toBe('ec2')
    expect(model.metadata.apiVersion).toBe(EC2_API_VERSION)
    expect(Object.keys(model.operations).sort()).toEqual(OPERATIONS.map((o) => o.name).sort())
    expect(Object.keys(model.shapes)).toHaveLength(model._provenance.shapeCount)
  })

  describe.each(OPERATIONS.map((op) => [op.name, op] as const))('%s', (name, op) => {
    const spec = model.operations[name]!

    it('names its input and output shapes as the model does', () => {
      expect(op.input.name).toBe(spec.input.shape)
      if (spec.output !== undefined) expect(op.output.name).toBe(spec.output.shape)
      else expect(op.output.name).toBe(`${name}Result`)
    })

    it(`request shape ${spec.input.shape}: members, wire names, kinds, required-ness and enums`, () => {
      const problems: Array<string> = []
      compareShape(model.shapes, spec.input.shape, asWire(op.input), spec.input.shape, 'request', problems)
      expect(problems, `${spec.input.shape} disagrees with the EC2 model:\n${problems.join('\n')}`).toEqual([])
    })

    if (spec.output !== undefined) {
      const output = spec.output.shape
      it(`result shape ${output}: members, wire names, kinds and open enums`, () => {
        const problems: Array<string> = []
        compareShape(model.shapes, output, asWire(op.output), output, 'result', problems)
        expect(problems, `${output} disagrees with the EC2 model:\n${problems.join('\n')}`).toEqual([])
      })
    } else {
      it('no output in the model: an empty result structure, which any response body decodes to', () => {
        const out = asWire(op.output)
        expect(out._tag).toBe('StructType')
        if (out._tag === 'StructType') expect(out.members).toEqual([])
      })
    }
  })

  it('the walk reaches every one of the model\u2019s 111 shapes', () => {
    const visited = new Set<string>()
    const problems: Array<string> = []
    for (const op of OPERATIONS) {
      const spec = model.operations[op.name]!
      compareShape(model.shapes, spec.input.shape, asWire(op.input), spec.input.shape, 'request', problems, undefined, visited)
      if (spec.output !== undefined) {
        compareShape(model.shapes, spec.output.shape, asWire(op.output), spec.output.shape, 'result', problems, undefined, visited)
      }
    }
    expect(problems).toEqual([])
    expect([...visited].sort()).toEqual(Object.keys(model.shapes).sort())
  })
})

describe('enumerations and resource types', () => {
  it('ResourceType is the model\u2019s whole enum', () => {
    expect([...ResourceType.values]).toEqual(enumOf('ResourceType'))
  })

  it('each operation\u2019s tag specification admits exactly the documented resource types', () => {
    expect(resourceTypeValues(ImportSnapshotTagSpecification)).toEqual(['import-snapshot-task'])
    expect(resourceTypeValues(ImageTagSpecification)).toEqual(['image', 'snapshot'])
    for (const v of ['import-snapshot-task', 'image', 'snapshot']) expect(enumOf('ResourceType')).toContain(v)
  })

  it.each([
    ['ArchitectureValues', ArchitectureValues.values],
    ['BootModeValues', BootModeValues.values],
    ['ImdsSupportValues', ImdsSupportValues.values],
    ['TpmSupportValues', TpmSupportValues.values],
    ['VolumeType', VolumeType.values],
    ['ImageAttributeName', ImageAttributeName.values],
    ['SnapshotAttributeName', SnapshotAttributeName.values],
  ] as const)('the request enumeration %s is the whole model enum', (shape, values) => {
    expect([...values].sort()).toEqual([...enumOf(shape)].sort())
  })

  it('the request walk itself refuses a request enum value outside the model (so the checks above can fail)', () => {
    const problems: Array<string> = []
    const shapes = { ...model.shapes, ArchitectureValues: { type: 'string', enum: ['i386'] } }
    compareShape(shapes, 'RegisterImageRequest', asWire(Op.RegisterImage.input), 'RegisterImageRequest', 'request', problems)
    expect(problems).toEqual([
      "RegisterImageRequest.Architecture: ours admits x86_64, arm64, x86_64_mac, arm64_mac, not in the model's ArchitectureValues",
    ])
  })
})
