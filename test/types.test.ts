/**
 * The codecs and the static types never disagree.
 *
 * At compile time: for every exported shape, the static type and the codec's `TypeOf` are the same type (checked
 * both ways), and the narrowed request types are exactly the struct types minus what their rules reject.
 * At run time: values generated AS the static type (the arbitraries are typed with it, so they compile) all pass
 * the codec, and each targeted mutation that the type would refuse is refused by the codec too.
 */
import * as fc from 'fast-check'
import type * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import * as Cancel from '../src/shapes/CancelImportTask.js'
import * as Describe from '../src/shapes/DescribeImportImageTasks.js'
import * as Import from '../src/shapes/ImportImage.js'
import * as Tags from '../src/shapes/Tag.js'
import * as A from './helpers/arbitraries.js'

// -------------------------------------------------------------------------------------------------
// compile time
// -------------------------------------------------------------------------------------------------

type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false
const same = <X, Y>(proof: Equals<X, Y>): Equals<X, Y> => proof

// Every shape: the exported type is the codec's type.
export const compileTimeProofs = [
  same<Import.UserBucket, t.TypeOf<typeof Import.UserBucket>>(true),
  same<Import.ImageDiskContainer, t.TypeOf<typeof Import.ImageDiskContainer>>(true),
  same<Import.ClientData, t.TypeOf<typeof Import.ClientData>>(true),
  same<Import.ImportImageLicenseConfigurationRequest, t.TypeOf<typeof Import.ImportImageLicenseConfigurationRequest>>(true),
  same<Import.ImportImageRequest, t.TypeOf<typeof Import.ImportImageRequest>>(true),
  same<Import.ImportImageResult, t.TypeOf<typeof Import.ImportImageResult>>(true),
  same<Import.SnapshotDetail, t.TypeOf<typeof Import.SnapshotDetail>>(true),
  same<Import.UserBucketDetails, t.TypeOf<typeof Import.UserBucketDetails>>(true),
  same<Import.ImportImageLicenseConfigurationResponse, t.TypeOf<typeof Import.ImportImageLicenseConfigurationResponse>>(true),
  same<Tags.Tag, t.TypeOf<typeof Tags.Tag>>(true),
  same<Tags.TagSpecification, t.TypeOf<typeof Tags.TagSpecification>>(true),
  same<Describe.Filter, t.TypeOf<typeof Describe.Filter>>(true),
  same<Describe.DescribeImportImageTasksRequest, t.TypeOf<typeof Describe.DescribeImportImageTasksRequest>>(true),
  same<Describe.DescribeImportImageTasksResult, t.TypeOf<typeof Describe.DescribeImportImageTasksResult>>(true),
  same<Describe.ImportImageTask, t.TypeOf<typeof Describe.ImportImageTask>>(true),
  same<Cancel.CancelImportTaskRequest, t.TypeOf<typeof Cancel.CancelImportTaskRequest>>(true),
  same<Cancel.CancelImportTaskResult, t.TypeOf<typeof Cancel.CancelImportTaskResult>>(true),
  // every enumeration: the named type is the codec's
  same<Import.DiskImageFormat, t.TypeOf<typeof Import.DiskImageFormat>>(true),
  same<Import.ImportArchitecture, t.TypeOf<typeof Import.ImportArchitecture>>(true),
  same<Import.BootModeValues, t.TypeOf<typeof Import.BootModeValues>>(true),
  same<Import.ImportPlatform, t.TypeOf<typeof Import.ImportPlatform>>(true),
  same<Import.ImportLicenseType, t.TypeOf<typeof Import.ImportLicenseType>>(true),
  same<Import.ImportHypervisor, t.TypeOf<typeof Import.ImportHypervisor>>(true),
  same<Import.ImportTaskStatus, t.TypeOf<typeof Import.ImportTaskStatus>>(true),
  // a nested shape is its named type, which is what the declarations print
  same<Import.ImportImageRequest['DiskContainers'], Array<Import.ImageDiskContainer>>(true),
  same<NonNullable<Import.ImageDiskContainerMembers['UserBucket']>, Import.UserBucket>(true),
  same<NonNullable<Import.ImportImageResult['SnapshotDetails']>, Array<Import.SnapshotDetail>>(true),
  same<NonNullable<Import.SnapshotDetail['UserBucket']>, Import.UserBucketDetails>(true),
  same<NonNullable<Describe.DescribeImportImageTasksResult['ImportImageTasks']>, Array<Describe.ImportImageTask>>(true),
  same<NonNullable<Describe.DescribeImportImageTasksRequest['Filters']>, Array<Describe.Filter>>(true),
] as const

// The narrowed types are within the members, and narrower: each `@ts-expect-error` fails the type check if the
// line below it ever compiles.
declare const requestMembers: Import.ImportImageRequestMembers
declare const diskMembers: Import.ImageDiskContainerMembers
declare const request: Import.ImportImageRequest
declare const disk: Import.ImageDiskContainer
export const narrowedProofs = (): unknown => {
  const widened: Import.ImportImageRequestMembers = request
  const widenedDisk: Import.ImageDiskContainerMembers = disk
  // @ts-expect-error the members alone are not a valid request
  const r1: Import.ImportImageRequest = requestMembers
  // @ts-expect-error the members alone are not a valid disk
  const d1: Import.ImageDiskContainer = diskMembers
  // @ts-expect-error KmsKeyId needs Encrypted: true
  const r2: Import.ImportImageRequest = { DiskContainers: [{ Url: 'u' }], KmsKeyId: 'k' }
  const r3: Import.ImportImageRequest = { DiskContainers: [{ Url: 'u' }], Encrypted: true, KmsKeyId: 'k' }
  // @ts-expect-error not both LicenseType and UsageOperation
  const r4: Import.ImportImageRequest = { DiskContainers: [{ Url: 'u' }], LicenseType: 'BYOL', UsageOperation: 'RunInstances:0800' }
  // @ts-expect-error uefi-preferred is not supported for imports
  const r5: Import.ImportImageRequest = { DiskContainers: [{ Url: 'u' }], BootMode: 'uefi-preferred' }
  // @ts-expect-error exactly one source
  const d2: Import.ImageDiskContainer = { Url: 'u', SnapshotId: 's' }
  // @ts-expect-error exactly one source
  const d3: Import.ImageDiskContainer = { Format: 'VMDK' }
  return [widened, widenedDisk, r1, d1, r2, r3, r4, r5, d2, d3]
}

// -------------------------------------------------------------------------------------------------
// run time
// -------------------------------------------------------------------------------------------------

const RUNS = 500

describe('what the type describes, the codec accepts', () => {
  it.each([
    ['ImportImageRequest', Import.ImportImageRequest, A.importImageRequest],
    ['DescribeImportImageTasksRequest', Describe.DescribeImportImageTasksRequest, A.describeImportImageTasksRequest],
    ['CancelImportTaskRequest', Cancel.CancelImportTaskRequest, A.cancelImportTaskRequest],
    ['ImageDiskContainer', Import.ImageDiskContainer, A.imageDiskContainer],
    ['TagSpecification', Tags.TagSpecification, A.tagSpecification],
    ['ImportImageResult', Import.ImportImageResult, A.importImageResult],
    ['DescribeImportImageTasksResult', Describe.DescribeImportImageTasksResult, A.describeImportImageTasksResult],
    ['CancelImportTaskResult', Cancel.CancelImportTaskResult, A.cancelImportTaskResult],
  ] as const)('%s', (_name, codec, arbitrary) => {
    fc.assert(
      fc.property(arbitrary as fc.Arbitrary<unknown>, (value) => {
        const r = (codec as t.Mixed).decode(value)
        expect(r._tag).toBe('Right')
        expect((codec as t.Mixed).is(value)).toBe(true)
        // and a result survives JSON: encode, stringify, parse, decode is the same value
        const back = (codec as t.Mixed).decode(JSON.parse(JSON.stringify((codec as t.Mixed).encode(value))))
        expect(back._tag).toBe('Right')
      }),
      { numRuns: RUNS },
    )
  })
})

describe('what the type refuses, the codec rejects', () => {
  // Each mutation turns a valid request into one the compiler would not accept (shown by the proofs above).
  const mutations: ReadonlyArray<readonly [string, (r: Record<string, unknown>) => Record<string, unknown>, string]> = [
    ['KmsKeyId without Encrypted: true', (r) => ({ ...r, Encrypted: false, KmsKeyId: 'alias/k' }), 'KmsKeyId'],
    ['LicenseType with UsageOperation', (r) => ({ ...r, LicenseType: 'BYOL', UsageOperation: 'RunInstances:0800' }), 'UsageOperation'],
    ['uefi-preferred', (r) => ({ ...r, BootMode: 'uefi-preferred' }), 'BootMode'],
    ['two sources on a disk', (r) => ({ ...r, DiskContainers: [{ Url: 's3://b/k', SnapshotId: 'snap-1' }] }), 'DiskContainers.0.SnapshotId'],
    ['no source on a disk', (r) => ({ ...r, DiskContainers: [{ Format: 'VMDK' }] }), 'DiskContainers.0'],
    ['no disk containers', (r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'DiskContainers')), 'DiskContainers'],
    ['an unknown member', (r) => ({ ...r, DiskContainer: [] }), 'DiskContainer'],
    ['a wrong enum literal', (r) => ({ ...r, Architecture: 'arm64' }), 'Architecture'],
    ['a wrong type', (r) => ({ ...r, DryRun: 'yes' }), 'DryRun'],
  ]
  it.each(mutations)('%s', (_name, mutate, path) => {
    fc.assert(
      fc.property(A.importImageRequest, (request) => {
        const mutated = mutate({ ...(request as unknown as Record<string, unknown>) })
        const r = Import.ImportImageRequest.decode(mutated)
        expect(r._tag).toBe('Left')
        expect(Import.ImportImageRequest.is(mutated)).toBe(false)
        if (r._tag === 'Left') {
          const paths = r.left.map((e) => e.context.map((c) => c.key).filter((k) => k !== '').join('.'))
          expect(paths).toContain(path)
        }
      }),
      { numRuns: 100 },
    )
  })
})
