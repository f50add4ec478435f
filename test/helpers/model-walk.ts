/**
 * Walk an EC2 model shape (botocore's vocabulary, as in `fixtures/ec2-import-model.json` and
 * `fixtures/ec2-image-pipeline-model.json`) together with one of our declarations, and list every disagreement:
 * members (none missing, none extra, request members in the model's order), query names, XML names, list item names,
 * flattening, sensitivity, required-ness, scalar kinds, timestamp formats and enums (ours ⊆ the model's for requests,
 * ours ⊇ the model's and open for results). Shared by `shapes/model.test.ts` and `shapes/snapshot-path-model.test.ts`.
 */
import type * as S from '../../src/internal/schema/Schema.js'
import { asWire, type WireCodec } from '../../src/internal/schema/Schema.js'
import type { BotocoreRef, BotocoreShape } from './protocol-adapter.js'

// The model extract uses botocore's vocabulary, as the protocol tests' shapes do.
export type ModelMember = BotocoreRef
export type ModelShape = BotocoreShape

export interface Model {
  readonly metadata: { readonly apiVersion: string; readonly protocol: string }
  readonly operations: Readonly<Record<string, { readonly input: { shape: string }; readonly output?: { shape: string } }>>
  readonly shapes: Readonly<Record<string, ModelShape>>
}

const capitalize = (s: string): string => (s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1))

export type Direction = 'request' | 'result'

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
export const compareShape = (
  models: Readonly<Record<string, ModelShape>>,
  shapeName: string,
  codec: WireCodec,
  path: string,
  direction: Direction,
  problems: Array<string>,
  member?: ModelMember,
  visited?: Set<string>,
): void => {
  visited?.add(shapeName)
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
        compareShape(models, mm.shape, asWire(m.codec), at, direction, problems, mm, visited)
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
      compareShape(models, item.shape, asWire(codec.item), `${path}[]`, direction, problems, item, visited)
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
