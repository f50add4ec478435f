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
import { CancelImportTask, DescribeImportImageTasks, ImportImage } from '../../src/operations/Ec2.js'
import * as S from '../../src/internal/schema/Schema.js'
import { asWire } from '../../src/internal/schema/Schema.js'
import { compareShape, type Model, type ModelShape } from '../helpers/model-walk.js'
import { ImportImageResourceType } from '../../src/shapes/Tag.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

const model = JSON.parse(readFileSync(new URL('../fixtures/ec2-import-model.json', import.meta.url), 'utf8')) as Model

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
      expect(op.output.name).toBe(spec.output!.shape)
    })

    it.each([
      ['request', spec.input.shape, op.input],
      ['result', spec.output!.shape, op.output],
    ] as const)('%s shape %s: members, wire names, kinds and enums', (direction, shapeName, codec) => {
      const problems: Array<string> = []
      compareShape(model.shapes, shapeName, asWire(codec), shapeName, direction, problems)
      expect(problems, `${shapeName} disagrees with the EC2 model:\n${problems.join('\n')}`).toEqual([])
    })
  })

  it('ImportImage tags admit only import-image-task, one of the model enum', () => {
    expect(ImportImageResourceType.values).toEqual(['import-image-task'])
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
