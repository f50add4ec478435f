/**
 * The compiled EC2 Query serializer against the plain path it stands in for (validate, then `serializeQuery`), on
 * every EC2 operation's requests: valid ones from the arbitraries, and the same requests disturbed one place at a time
 * (a member removed, an unknown member added, a value of the wrong type, a date as ISO 8601 text, …).
 *
 * - It says yes exactly where the request codec's `is` says yes, so it takes every valid request that needs no
 *   conversion and declines every other.
 * - Where it says yes, validation says yes too, and the plain path writes the very same bytes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Ec2 from '../../../src/operations/Ec2.js'
import { serializeValidQuery } from '../../../src/internal/protocol/CompiledQuerySerializer.js'
import { serializeRequest, serializeValidRequest, validateRequest, type Operation } from '../../../src/internal/protocol/Operation.js'
import * as S from '../../../src/internal/schema/Schema.js'
import { validRequest } from '../../helpers/arbitraries.js'
import { validRequests } from '../../helpers/arbitraries-snapshot-path.js'

type AnyOp = Operation<unknown, unknown>

const OPS: ReadonlyArray<readonly [string, AnyOp]> = Object.entries(Ec2)
  .filter(([, v]) => typeof v === 'object' && v !== null && 'input' in v && 'output' in v)
  .map(([k, v]) => [k, v as unknown as AnyOp])

// An ImportImage request with every member a valid one can carry (bench/lib/fixtures.mjs has the same).
const importImageInput = (): Record<string, unknown> => ({
  Architecture: 'x86_64',
  BootMode: 'uefi',
  ClientData: {
    Comment: 'uploaded by the nightly pipeline',
    UploadEnd: new Date('2024-06-01T02:10:00Z'),
    UploadSize: 8.5,
    UploadStart: new Date('2024-06-01T02:00:00Z'),
  },
  ClientToken: '6b0b5f0e-3f7c-4f7e-9d7e-2b1d2c3a4b5c',
  Description: 'web server image, nightly build',
  DiskContainers: [
    { Description: 'root disk', DeviceName: '/dev/sda', Format: 'VMDK', UserBucket: { S3Bucket: 'b', S3Key: 'k/web.vmdk' } },
    { Description: 'data disk', DeviceName: '/dev/sdb', Format: 'VHD', Url: 'https://b.s3.amazonaws.com/data.vhd' },
    { Description: 'log disk', DeviceName: '/dev/sdc', SnapshotId: 'snap-0123456789abcdef0' },
  ],
  DryRun: false,
  Encrypted: true,
  Hypervisor: 'xen',
  KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  LicenseSpecifications: [{ LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0' }],
  LicenseType: 'BYOL',
  Platform: 'Linux',
  RoleName: 'vmimport',
  TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'Name', Value: 'web-nightly' }, { Key: 'team', Value: 'platform' }] }],
})

// Every EC2 operation with a generator of valid requests.
const valid: fc.Arbitrary<{ readonly op: AnyOp; readonly input: unknown }> = fc.oneof(
  validRequest.map(({ op, input }) => ({ op: Ec2[op] as unknown as AnyOp, input: input as unknown })),
  ...Object.entries(validRequests).map(([name, arb]) => arb.map((input) => ({ op: Ec2[name as keyof typeof validRequests] as unknown as AnyOp, input }))),
)

// The places in a plain value (objects and arrays), as paths.
const places = (v: unknown, path: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  const out: Array<ReadonlyArray<string | number>> = [path]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...places(x, [...path, i])))
  else if (typeof v === 'object' && v !== null && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) out.push(...places(x, [...path, k]))
  return out
}

const at = (root: unknown, path: ReadonlyArray<string | number>): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root)

const strange: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.constant('\uD800'),
  fc.constant('2024-06-01T02:00:00Z'),
  fc.constant(new Date(Number.NaN)),
  fc.constant(new Date('2024-06-01T02:00:00Z')),
  fc.constant([]),
  fc.constant({}),
  fc.constant(['x']),
)

// One disturbance at one place: the value replaced, a member removed, or an unknown member added.
const disturbed = valid.chain(({ op, input }) => {
  const spots = places(input)
  return fc.tuple(fc.nat({ max: spots.length - 1 }), fc.nat({ max: 2 }), strange, fc.constantFrom('Bogus', 'dryRun', 'toString', '__proto__')).map(
    ([i, how, value, name]) => {
      const copy = structuredClone(input) as Record<string, unknown>
      const path = spots[i]!
      if (path.length === 0 || how === 2) {
        const target = at(copy, path)
        if (typeof target === 'object' && target !== null && !Array.isArray(target) && !(target instanceof Date)) {
          Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true })
        }
      } else {
        const parent = at(copy, path.slice(0, -1)) as Record<string | number, unknown>
        const key = path[path.length - 1]!
        if (how === 0) parent[key] = value
        else if (Array.isArray(parent)) parent.splice(key as number, 1)
        else delete parent[key]
      }
      return { op, input: copy as unknown }
    },
  )
})

// The same token each time it is asked for, so both paths can be compared byte for byte.
const token = (): string => 'token-from-the-test'

const compare = ({ op, input }: { readonly op: AnyOp; readonly input: unknown }): boolean => {
  const fast = serializeValidRequest(op, input, token)
  expect(fast !== undefined).toBe(op.input.is(input))
  if (fast === undefined) return false
  const checked = validateRequest(op, input)
  expect(checked._tag).toBe('Right')
  if (checked._tag === 'Right') expect(fast).toBe(serializeRequest(op, checked.right, token))
  return true
}

describe('the compiled EC2 Query serializer', () => {
  it('is checked on every EC2 operation', () => {
    const generated = new Set([...['ImportImage', 'DescribeImportImageTasks', 'CancelImportTask'], ...Object.keys(validRequests)])
    expect(OPS.map(([name]) => name).sort()).toStrictEqual([...generated].sort())
  })

  it('takes every valid request, and writes the bytes the plain path writes', () => {
    fc.assert(
      fc.property(valid, (r) => {
        expect(compare(r)).toBe(true)
      }),
      { numRuns: 3_000 },
    )
  })

  it('says yes exactly where the codec does, and then agrees with validation and the plain path', () => {
    let taken = 0
    let declined = 0
    fc.assert(
      fc.property(disturbed, (r) => {
        if (compare(r)) taken++
        else declined++
      }),
      { numRuns: 5_000 },
    )
    // Both sides were exercised: disturbances that leave a valid request, and ones that do not.
    expect(taken).toBeGreaterThan(200)
    expect(declined).toBeGreaterThan(2_000)
  })

  it('leaves a request that validation converts to the plain path (a date given as ISO 8601 text)', () => {
    const input = importImageInput()
    const asText = { ...input, ClientData: { ...(input['ClientData'] as object), UploadStart: '2024-06-01T02:00:00Z' } }
    expect(serializeValidRequest(Ec2.ImportImage as unknown as AnyOp, asText, token)).toBeUndefined()
    const checked = validateRequest(Ec2.ImportImage as unknown as AnyOp, asText)
    expect(checked._tag).toBe('Right')
    // …which writes the same body as the Date would have
    if (checked._tag === 'Right') {
      expect(serializeRequest(Ec2.ImportImage as unknown as AnyOp, checked.right, token)).toBe(
        serializeValidRequest(Ec2.ImportImage as unknown as AnyOp, input, token),
      )
    }
  })

  it('makes the idempotency token only for a request without one, as the plain path does', () => {
    const input = importImageInput()
    delete input['ClientToken']
    let made = 0
    const body = serializeValidRequest(Ec2.ImportImage as unknown as AnyOp, input, () => `made-${++made}`)
    expect(made).toBe(1)
    expect(body).toContain('&ClientToken=made-1&')
    serializeValidRequest(Ec2.ImportImage as unknown as AnyOp, importImageInput(), () => `made-${++made}`)
    expect(made).toBe(1)
  })

  it('declines a shape with a map, and every shape where generating code is forbidden', () => {
    const withMap = S.asWire(S.struct('WithMap', { Labels: S.member(S.map(S.string)) }, { strict: true }))
    expect(serializeValidQuery(withMap, { Labels: { a: 'b' } }, token)).toBeUndefined()

    const fresh = S.asWire(S.struct('Fresh', { Name: S.member(S.string) }, { strict: true }))
    const original = globalThis.Function
    globalThis.Function = function () {
      throw new EvalError('Code generation from strings disallowed for this context')
    } as unknown as FunctionConstructor
    try {
      expect(serializeValidQuery(fresh, { Name: 'x' }, token)).toBeUndefined()
    } finally {
      globalThis.Function = original
    }
    // (the decision holds for the shape: still declined once code generation is allowed again)
    expect(serializeValidQuery(fresh, { Name: 'x' }, token)).toBeUndefined()
  })
})
