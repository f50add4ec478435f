/**
 * Every declaration against the EC2 model (`fixtures/ec2-import-model.json`: botocore 1.43.67's
 * `ec2/2016-11-15/service-2.json`, the three operations and the shapes they reach; see `fixtures/README.md`).
 *
 * For each operation the model's input and output shapes are walked together with our codecs: the same members
 * (PascalCase, none missing, none extra), query names (`queryName` ?? capitalized `locationName` ?? name), XML names
 * (`locationName` ?? name), list item names, scalar kinds, timestamp formats, sensitivity, and enums (ours ⊆ the
 * model's for requests, ours ⊇ the model's for results, where we declare values).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BootModeValues } from '../../src/shapes/ImportImage.js'
import { EC2_API_VERSION } from '../../src/internal/protocol/Operation.js'
import { CancelImportTask, DescribeImportImageTasks, ImportImage } from '../../src/Operations.js'
import * as S from '../../src/internal/schema/Schema.js'
import { asWire, type WireCodec } from '../../src/internal/schema/Schema.js'
import type { BotocoreRef, BotocoreShape } from '../helpers/protocol-adapter.js'
import { ResourceType } from '../../src/shapes/Tag.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

// The model extract uses botocore's vocabulary, as the protocol tests' shapes do.
type ModelMember = BotocoreRef
type ModelShape = BotocoreShape

interface Model {
  readonly metadata: { readonly apiVersion: string; readonly protocol: string }
  readonly operations: Readonly<Record<string, { readonly input: { shape: string }; readonly output: { shape: string } }>>
  readonly shapes: Readonly<Record<string, ModelShape>>
}

const model = JSON.parse(readFileSync(new URL('../fixtures/ec2-import-model.json', import.meta.url), 'utf8')) as Model

const capitalize = (s: string): string => (s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1))

type Direction = 'request' | 'result'

const KINDS: Readonly<Record<string, S.ScalarKind>> = {
  string: 'string',
  boolean: 'boolean',
  integer: 'integer',
  long: 'long',
  float: 'float',
  double: 'double',
  timestamp: 'timestamp',
  blob: 'blob',
}

/**
 * Walk a model shape and one of our codecs together, pushing one line per disagreement. `path` names where we are
 * (`ImportImageRequest.DiskContainers[].UserBucket`), so a failure says exactly which declaration to fix.
 */
const compareShape = (
  models: Readonly<Record<string, ModelShape>>,
  shapeName: string,
  codec: WireCodec,
  path: string,
  direction: Direction,
  problems: Array<string>,
  member?: ModelMember,
): void => {
  const shape = models[shapeName]
  if (shape === undefined) {
    problems.push(`${path}: the model has no shape ${shapeName}`)
    return
  }
  switch (shape.type) {
    case 'structure': {
      if (codec._tag !== 'StructType') {
        problems.push(`${path}: the model's ${shapeName} is a structure, ours is a ${codec._tag}`)
        return
      }
      const modelMembers = shape.members ?? {}
      const ours = new Map(codec.members.map((m) => [m.name, m]))
      for (const name of Object.keys(modelMembers)) {
        if (!ours.has(name)) problems.push(`${path}.${name}: in the model's ${shapeName}, missing from ours`)
      }
      for (const name of ours.keys()) {
        if (!(name in modelMembers)) problems.push(`${path}.${name}: ours has it, the model's ${shapeName} does not`)
      }
      if (direction === 'request') {
        // The serializer writes members in declaration order; the model's order is the SDK's.
        const modelOrder = Object.keys(modelMembers).filter((n) => ours.has(n))
        const ourOrder = codec.members.map((m) => m.name).filter((n) => n in modelMembers)
        if (modelOrder.join() !== ourOrder.join()) {
          problems.push(`${path}: members in the order ${ourOrder.join(', ')}; the model's is ${modelOrder.join(', ')}`)
        }
      }
      for (const [name, mm] of Object.entries(modelMembers)) {
        const m = ours.get(name)
        if (m === undefined) continue
        const at = `${path}.${name}`
        const queryName = mm.queryName ?? (mm.locationName !== undefined ? capitalize(mm.locationName) : name)
        const xmlName = mm.locationName ?? name
        if (m.queryName !== queryName) problems.push(`${at}: query name ${m.queryName}, the model's is ${queryName}`)
        if (m.xmlName !== xmlName) problems.push(`${at}: XML name ${m.xmlName}, the model's is ${xmlName}`)
        const target = models[mm.shape]
        const flattened = mm.flattened === true || target?.flattened === true
        if (m.flattened !== flattened) problems.push(`${at}: flattened ${m.flattened}, the model's is ${flattened}`)
        const sensitive = target?.sensitive === true
        if (m.sensitive !== sensitive) problems.push(`${at}: sensitive ${m.sensitive}, the model's is ${sensitive}`)
        if ((shape.required ?? []).includes(name) && !m.required) {
          problems.push(`${at}: required in the model, optional in ours`)
        }
        compareShape(models, mm.shape, asWire(m.codec), at, direction, problems, mm)
      }
      return
    }
    case 'list': {
      if (codec._tag !== 'ListType') {
        problems.push(`${path}: the model's ${shapeName} is a list, ours is a ${codec._tag}`)
        return
      }
      const item = shape.member!
      const itemName = item.locationName ?? 'member'
      if (codec.itemName !== itemName) problems.push(`${path}: list item name ${codec.itemName}, the model's is ${itemName}`)
      compareShape(models, item.shape, asWire(codec.item), `${path}[]`, direction, problems, item)
      return
    }
    case 'map':
      problems.push(`${path}: the model's ${shapeName} is a map; these operations were expected to have none`)
      return
    default: {
      if (codec._tag !== 'ScalarType') {
        problems.push(`${path}: the model's ${shapeName} is a ${shape.type}, ours is a ${codec._tag}`)
        return
      }
      const kind = KINDS[shape.type]
      if (codec.kind !== kind) problems.push(`${path}: kind ${codec.kind}, the model's ${shapeName} is ${shape.type}`)
      if (shape.type === 'timestamp') {
        const format = member?.timestampFormat ?? shape.timestampFormat ?? 'iso8601'
        if (codec.timestampFormat !== format) {
          problems.push(`${path}: timestamp format ${codec.timestampFormat}, the model's is ${format}`)
        }
      }
      const modelEnum = shape.enum
      const ourValues = codec.values
      if (modelEnum !== undefined && ourValues !== undefined) {
        if (direction === 'request') {
          // a request may admit fewer values than the model (ResourceType: only `import-image-task`), never others
          const unknown = ourValues.filter((v) => !modelEnum.includes(v))
          if (unknown.length > 0) problems.push(`${path}: ours admits ${unknown.join(', ')}, not in the model's ${shapeName}`)
        } else {
          // a result must know every value the model lists
          const missing = modelEnum.filter((v) => !ourValues.includes(v))
          if (missing.length > 0) problems.push(`${path}: ours lacks ${missing.join(', ')} of the model's ${shapeName}`)
        }
      }
      if (direction === 'result' && ourValues !== undefined && !codec.is('a-value-added-later')) {
        problems.push(`${path}: a result enum must stay open (a value added to the service later must still decode)`)
      }
    }
  }
}

// -------------------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------------------

const OPERATIONS = [ImportImage, DescribeImportImageTasks, CancelImportTask] as const

describe('the declarations match the EC2 model', () => {
  it('the fixture is the model the declarations cite', () => {
    expect(model.metadata.protocol).toBe('ec2')
    expect(model.metadata.apiVersion).toBe(EC2_API_VERSION)
    expect(Object.keys(model.operations).sort()).toEqual(OPERATIONS.map((o) => o.name).sort())
  })

  describe.each(OPERATIONS.map((op) => [op.name, op] as const))('%s', (name, op) => {
    const spec = model.operations[name]!

    it('names its input and output shapes as the model does', () => {
      expect(op.input.name).toBe(spec.input.shape)
      expect(op.output.name).toBe(spec.output.shape)
    })

    it.each([
      ['request', spec.input.shape, op.input],
      ['result', spec.output.shape, op.output],
    ] as const)('%s shape %s: members, wire names, kinds and enums', (direction, shapeName, codec) => {
      const problems: Array<string> = []
      compareShape(model.shapes, shapeName, asWire(codec), shapeName, direction, problems)
      expect(problems, `${shapeName} disagrees with the EC2 model:\n${problems.join('\n')}`).toEqual([])
    })
  })

  it('ResourceType admits only import-image-task, one of the model enum', () => {
    expect(ResourceType.values).toEqual(['import-image-task'])
    expect(model.shapes['ResourceType']!.enum).toContain('import-image-task')
  })

  it('BootModeValues is the whole model enum (uefi-preferred is refused by a rule, not by the enum)', () => {
    expect([...(BootModeValues.values ?? [])].sort()).toEqual([...model.shapes['BootModeValues']!.enum!].sort())
  })
})

describe('the model walk reports what it should', () => {
  const shapes: Record<string, ModelShape> = {
    Req: {
      type: 'structure',
      members: {
        Items: { shape: 'ItemList', locationName: 'Item' },
        When: { shape: 'Stamp' },
        Mode: { shape: 'Mode' },
        Missing: { shape: 'Str' },
      },
    },
    ItemList: { type: 'list', member: { shape: 'Str', locationName: 'item' } },
    Str: { type: 'string' },
    Stamp: { type: 'timestamp' },
    Mode: { type: 'string', enum: ['a', 'b'] },
  }

  it('a wrong query name, item name, kind, enum value, and a missing and an extra member', () => {
    const codec = S.struct('Req', {
      Items: S.member(S.list(S.string, 'member'), { locationName: 'Items' }),
      When: S.member(S.string),
      Mode: S.member(S.enumeration('Mode', ['a', 'c'])),
      Extra: S.member(S.string),
    })
    const problems: Array<string> = []
    compareShape(shapes, 'Req', asWire(codec), 'Req', 'request', problems)
    expect(problems).toEqual([
      'Req.Missing: in the model\'s Req, missing from ours',
      'Req.Extra: ours has it, the model\'s Req does not',
      'Req.Items: query name Items, the model\'s is Item',
      'Req.Items: XML name Items, the model\'s is Item',
      'Req.Items: list item name member, the model\'s is item',
      'Req.When: kind string, the model\'s Stamp is timestamp',
      "Req.Mode: ours admits c, not in the model's Mode",
    ])
  })

  it('request members out of the model order (the order the query string lists them in)', () => {
    const codec = S.struct('Req', {
      When: S.member(S.timestamp()),
      Items: S.member(S.list(S.string, 'item'), { locationName: 'Item' }),
      Mode: S.member(S.enumeration('Mode', ['a'])),
      Missing: S.member(S.string),
    })
    const problems: Array<string> = []
    compareShape(shapes, 'Req', asWire(codec), 'Req', 'request', problems)
    expect(problems).toEqual(["Req: members in the order When, Items, Mode, Missing; the model's is Items, When, Mode, Missing"])
  })

  it('a closed result enum, or one lacking a model value', () => {
    const codec = S.struct('Req', {
      Items: S.member(S.list(S.string, 'item'), { locationName: 'Item' }),
      When: S.member(S.timestamp()),
      Mode: S.member(S.enumeration('Mode', ['a'])),
      Missing: S.member(S.string),
    })
    const problems: Array<string> = []
    compareShape(shapes, 'Req', asWire(codec), 'Req', 'result', problems)
    expect(problems).toEqual([
      "Req.Mode: ours lacks b of the model's Mode",
      'Req.Mode: a result enum must stay open (a value added to the service later must still decode)',
    ])
  })
})
