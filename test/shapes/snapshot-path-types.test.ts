/**
 * The snapshot path's codecs and static types never disagree (as `test/types.test.ts` does for 0.1's shapes).
 *
 * At compile time: for every exported shape, the static type and the codec's `TypeOf` are the same type (checked
 * both ways), and each rule the types carry refuses what it should (`@ts-expect-error` on every line that must not
 * compile: the type check fails if one ever does). At run time: values generated AS the static types (the
 * arbitraries are typed with them) all pass the codecs, and the values the types refuse are refused by the codecs.
 * `type-tests/snapshot-path.test-d.ts` checks the same rules against the published `.d.ts`.
 */
import fc from 'fast-check'
import type * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import * as Copy from '../../src/shapes/CopyImage.js'
import * as CreateTags from '../../src/shapes/CreateTags.js'
import * as DeleteSnapshot from '../../src/shapes/DeleteSnapshot.js'
import * as Deregister from '../../src/shapes/DeregisterImage.js'
import * as DescribeAttribute from '../../src/shapes/DescribeImageAttribute.js'
import * as DescribeImages from '../../src/shapes/DescribeImages.js'
import * as DescribeTasks from '../../src/shapes/DescribeImportSnapshotTasks.js'
import * as DescribeSnapshots from '../../src/shapes/DescribeSnapshots.js'
import * as Image from '../../src/shapes/Image.js'
import * as ImportSnapshot from '../../src/shapes/ImportSnapshot.js'
import * as ModifyImage from '../../src/shapes/ModifyImageAttribute.js'
import * as ModifySnapshot from '../../src/shapes/ModifySnapshotAttribute.js'
import * as Register from '../../src/shapes/RegisterImage.js'
import * as Tags from '../../src/shapes/Tag.js'
import * as A from '../helpers/arbitraries-snapshot-path.js'

// -------------------------------------------------------------------------------------------------
// compile time
// -------------------------------------------------------------------------------------------------

type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false
const same = <X, Y>(proof: Equals<X, Y>): Equals<X, Y> => proof

// Every shape: the exported type is the codec's type.
export const compileTimeProofs = [
  same<Tags.TagSpecification, t.TypeOf<typeof Tags.TagSpecification>>(true),
  same<Tags.ImportImageTagSpecification, t.TypeOf<typeof Tags.ImportImageTagSpecification>>(true),
  same<Tags.ImportSnapshotTagSpecification, t.TypeOf<typeof Tags.ImportSnapshotTagSpecification>>(true),
  same<Tags.ImageTagSpecification, t.TypeOf<typeof Tags.ImageTagSpecification>>(true),
  same<Tags.ResourceType, t.TypeOf<typeof Tags.ResourceType>>(true),
  same<ImportSnapshot.SnapshotDiskContainer, t.TypeOf<typeof ImportSnapshot.SnapshotDiskContainer>>(true),
  same<ImportSnapshot.ImportSnapshotRequest, t.TypeOf<typeof ImportSnapshot.ImportSnapshotRequest>>(true),
  same<ImportSnapshot.ImportSnapshotResult, t.TypeOf<typeof ImportSnapshot.ImportSnapshotResult>>(true),
  same<ImportSnapshot.SnapshotTaskDetail, t.TypeOf<typeof ImportSnapshot.SnapshotTaskDetail>>(true),
  same<ImportSnapshot.SnapshotDiskImageFormat, t.TypeOf<typeof ImportSnapshot.SnapshotDiskImageFormat>>(true),
  same<DescribeTasks.DescribeImportSnapshotTasksRequest, t.TypeOf<typeof DescribeTasks.DescribeImportSnapshotTasksRequest>>(true),
  same<DescribeTasks.DescribeImportSnapshotTasksResult, t.TypeOf<typeof DescribeTasks.DescribeImportSnapshotTasksResult>>(true),
  same<DescribeTasks.ImportSnapshotTask, t.TypeOf<typeof DescribeTasks.ImportSnapshotTask>>(true),
  same<Image.EbsBlockDevice, t.TypeOf<typeof Image.EbsBlockDevice>>(true),
  same<Image.BlockDeviceMapping, t.TypeOf<typeof Image.BlockDeviceMapping>>(true),
  same<Image.ImageEbsBlockDevice, t.TypeOf<typeof Image.ImageEbsBlockDevice>>(true),
  same<Image.ImageBlockDeviceMapping, t.TypeOf<typeof Image.ImageBlockDeviceMapping>>(true),
  same<Image.LaunchPermission, t.TypeOf<typeof Image.LaunchPermission>>(true),
  same<Image.ImageLaunchPermission, t.TypeOf<typeof Image.ImageLaunchPermission>>(true),
  same<Image.AttributeValue, t.TypeOf<typeof Image.AttributeValue>>(true),
  same<Image.StateReason, t.TypeOf<typeof Image.StateReason>>(true),
  same<Image.ProductCode, t.TypeOf<typeof Image.ProductCode>>(true),
  same<Image.Image, t.TypeOf<typeof Image.Image>>(true),
  same<Image.ArchitectureValues, t.TypeOf<typeof Image.ArchitectureValues>>(true),
  same<Image.VolumeType, t.TypeOf<typeof Image.VolumeType>>(true),
  same<Register.RegisterImageRequest, t.TypeOf<typeof Register.RegisterImageRequest>>(true),
  same<Register.RegisterImageResult, t.TypeOf<typeof Register.RegisterImageResult>>(true),
  same<DescribeImages.DescribeImagesRequest, t.TypeOf<typeof DescribeImages.DescribeImagesRequest>>(true),
  same<DescribeImages.DescribeImagesResult, t.TypeOf<typeof DescribeImages.DescribeImagesResult>>(true),
  same<Deregister.DeregisterImageRequest, t.TypeOf<typeof Deregister.DeregisterImageRequest>>(true),
  same<Deregister.DeregisterImageResult, t.TypeOf<typeof Deregister.DeregisterImageResult>>(true),
  same<Deregister.DeleteSnapshotReturnCode, t.TypeOf<typeof Deregister.DeleteSnapshotReturnCode>>(true),
  same<CreateTags.CreateTagsRequest, t.TypeOf<typeof CreateTags.CreateTagsRequest>>(true),
  same<CreateTags.CreateTagsResult, t.TypeOf<typeof CreateTags.CreateTagsResult>>(true),
  same<Copy.CopyImageRequest, t.TypeOf<typeof Copy.CopyImageRequest>>(true),
  same<Copy.CopyImageResult, t.TypeOf<typeof Copy.CopyImageResult>>(true),
  same<ModifyImage.ModifyImageAttributeRequest, t.TypeOf<typeof ModifyImage.ModifyImageAttributeRequest>>(true),
  same<ModifyImage.ModifyImageAttributeResult, t.TypeOf<typeof ModifyImage.ModifyImageAttributeResult>>(true),
  same<ModifyImage.LaunchPermissionModifications, t.TypeOf<typeof ModifyImage.LaunchPermissionModifications>>(true),
  same<DescribeAttribute.DescribeImageAttributeRequest, t.TypeOf<typeof DescribeAttribute.DescribeImageAttributeRequest>>(true),
  same<DescribeAttribute.ImageAttribute, t.TypeOf<typeof DescribeAttribute.ImageAttribute>>(true),
  same<ModifySnapshot.ModifySnapshotAttributeRequest, t.TypeOf<typeof ModifySnapshot.ModifySnapshotAttributeRequest>>(true),
  same<ModifySnapshot.ModifySnapshotAttributeResult, t.TypeOf<typeof ModifySnapshot.ModifySnapshotAttributeResult>>(true),
  same<ModifySnapshot.CreateVolumePermission, t.TypeOf<typeof ModifySnapshot.CreateVolumePermission>>(true),
  same<ModifySnapshot.CreateVolumePermissionModifications, t.TypeOf<typeof ModifySnapshot.CreateVolumePermissionModifications>>(true),
  same<DeleteSnapshot.DeleteSnapshotRequest, t.TypeOf<typeof DeleteSnapshot.DeleteSnapshotRequest>>(true),
  same<DeleteSnapshot.DeleteSnapshotResult, t.TypeOf<typeof DeleteSnapshot.DeleteSnapshotResult>>(true),
  same<DescribeSnapshots.DescribeSnapshotsRequest, t.TypeOf<typeof DescribeSnapshots.DescribeSnapshotsRequest>>(true),
  same<DescribeSnapshots.DescribeSnapshotsResult, t.TypeOf<typeof DescribeSnapshots.DescribeSnapshotsResult>>(true),
  same<DescribeSnapshots.Snapshot, t.TypeOf<typeof DescribeSnapshots.Snapshot>>(true),
] as const

// Results keep the model's values and stay open: a value added to the service later is still a valid result.
export const openResultProofs: ReadonlyArray<NonNullable<Image.Image['Architecture']>> = ['arm64', 'riscv64']
export const knownResultValues: ReadonlyArray<Image.ArchitectureValues> = [
  'arm64',
  // @ts-expect-error a request's architecture is one the model lists
  'riscv64',
]

const bucket = { S3Bucket: 'images', S3Key: 'disk.raw' }
const ebs = { SnapshotId: 'snap-1', VolumeType: 'gp3', Iops: 3000, Throughput: 125 } as const

// Each rule the types carry: the line under each `@ts-expect-error` must not compile.
export const typeRuleProofs = (): unknown => [
  // ImportSnapshot: one disk container, exactly one source, an ImportSnapshot format, KmsKeyId only when encrypted
  ((): ImportSnapshot.ImportSnapshotRequest => ({ DiskContainer: { Format: 'raw', UserBucket: bucket } }))(),
  ((): ImportSnapshot.ImportSnapshotRequest => ({ DiskContainer: { Url: 's3://b/k' }, Encrypted: true, KmsKeyId: 'alias/k' }))(),
  // @ts-expect-error no disk container
  ((): ImportSnapshot.ImportSnapshotRequest => ({ Description: 'd' }))(),
  // @ts-expect-error two sources
  ((): ImportSnapshot.SnapshotDiskContainer => ({ Url: 's3://b/k', UserBucket: bucket }))(),
  // @ts-expect-error no source
  ((): ImportSnapshot.SnapshotDiskContainer => ({ Format: 'VMDK' }))(),
  // @ts-expect-error ImportSnapshot reads VHD, VMDK and RAW only
  ((): ImportSnapshot.SnapshotDiskContainer => ({ Url: 'u', Format: 'VHDX' }))(),
  // @ts-expect-error KmsKeyId needs Encrypted: true
  ((): ImportSnapshot.ImportSnapshotRequest => ({ DiskContainer: { Url: 'u' }, KmsKeyId: 'alias/k' }))(),
  // @ts-expect-error KmsKeyId needs Encrypted: true
  ((): ImportSnapshot.ImportSnapshotRequest => ({ DiskContainer: { Url: 'u' }, Encrypted: false, KmsKeyId: 'alias/k' }))(),
  // @ts-expect-error ImportSnapshot tags only its task
  ((): ImportSnapshot.ImportSnapshotRequest => ({ DiskContainer: { Url: 'u' }, TagSpecifications: [{ ResourceType: 'image' }] }))(),
  // @ts-expect-error the member is DiskContainer (one), not ImportImage's DiskContainers
  ((): ImportSnapshot.ImportSnapshotRequest => ({ DiskContainers: [{ Url: 'u' }] }))(),

  // RegisterImage
  ((): Register.RegisterImageRequest => ({
    Name: 'my-ami',
    Architecture: 'arm64',
    BootMode: 'uefi-preferred',
    ImdsSupport: 'v2.0',
    TpmSupport: 'v2.0',
    EnaSupport: true,
    RootDeviceName: '/dev/xvda',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: ebs }, { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' }],
    TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'Name', Value: 'x' }] }, { ResourceType: 'snapshot' }],
  }))(),
  // @ts-expect-error Name is required
  ((): Register.RegisterImageRequest => ({ Architecture: 'arm64' }))(),
  // @ts-expect-error an architecture the model does not have
  ((): Register.RegisterImageRequest => ({ Name: 'n-1', Architecture: 'aarch64' }))(),
  // @ts-expect-error an unknown boot mode
  ((): Register.RegisterImageRequest => ({ Name: 'n-1', BootMode: 'bios' }))(),
  // @ts-expect-error IMDS support is v2.0
  ((): Register.RegisterImageRequest => ({ Name: 'n-1', ImdsSupport: 'v1.0' }))(),
  // @ts-expect-error TPM support is v2.0
  ((): Register.RegisterImageRequest => ({ Name: 'n-1', TpmSupport: '2.0' }))(),
  // @ts-expect-error RootDeviceName is required with BlockDeviceMappings
  ((): Register.RegisterImageRequest => ({ Name: 'n-1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: ebs }] }))(),
  // @ts-expect-error RegisterImage tags the image or its snapshots only
  ((): Register.RegisterImageRequest => ({ Name: 'n-1', TagSpecifications: [{ ResourceType: 'import-snapshot-task' }] }))(),
  // @ts-expect-error a tag specification without ResourceType
  ((): Register.RegisterImageRequest => ({ Name: 'n-1', TagSpecifications: [{ Tags: [] }] }))(),
  // @ts-expect-error a mapping with two targets
  ((): Image.BlockDeviceMapping => ({ DeviceName: '/dev/xvda', Ebs: ebs, NoDevice: '' }))(),
  // @ts-expect-error a mapping with no target
  ((): Image.BlockDeviceMapping => ({ DeviceName: '/dev/xvda' }))(),
  ((): Image.EbsBlockDevice => ({ VolumeType: 'io2', Iops: 16000 }))(),
  ((): Image.EbsBlockDevice => ({ VolumeType: 'gp2', VolumeSize: 8 }))(),
  // @ts-expect-error Iops only for io1, io2 and gp3
  ((): Image.EbsBlockDevice => ({ VolumeType: 'gp2', Iops: 3000 }))(),
  // @ts-expect-error Iops only with a volume type that takes it
  ((): Image.EbsBlockDevice => ({ Iops: 3000 }))(),
  // @ts-expect-error Iops is required for io1 and io2
  ((): Image.EbsBlockDevice => ({ VolumeType: 'io1' }))(),
  // @ts-expect-error Throughput only for gp3
  ((): Image.EbsBlockDevice => ({ VolumeType: 'io1', Iops: 100, Throughput: 125 }))(),
  // @ts-expect-error an unknown volume type
  ((): Image.EbsBlockDevice => ({ VolumeType: 'gp4' }))(),

  // CreateTags
  ((): CreateTags.CreateTagsRequest => ({ Resources: ['ami-1', 'snap-1'], Tags: [{ Key: 'Name', Value: 'x' }] }))(),
  // @ts-expect-error Resources and Tags are required
  ((): CreateTags.CreateTagsRequest => ({ Resources: ['ami-1'] }))(),

  // CopyImage
  ((): Copy.CopyImageRequest => ({ Name: 'copy', SourceImageId: 'ami-1', SourceRegion: 'eu-west-1', Encrypted: true, KmsKeyId: 'k' }))(),
  // @ts-expect-error SourceRegion is required
  ((): Copy.CopyImageRequest => ({ Name: 'copy', SourceImageId: 'ami-1' }))(),
  // @ts-expect-error Name is required
  ((): Copy.CopyImageRequest => ({ SourceImageId: 'ami-1', SourceRegion: 'eu-west-1' }))(),
  // @ts-expect-error KmsKeyId needs Encrypted: true
  ((): Copy.CopyImageRequest => ({ Name: 'copy', SourceImageId: 'ami-1', SourceRegion: 'eu-west-1', KmsKeyId: 'k' }))(),
  // @ts-expect-error CopyImage tags the image or its snapshots only
  ((): Copy.CopyImageRequest => ({ Name: 'c-1', SourceImageId: 'a', SourceRegion: 'r', TagSpecifications: [{ ResourceType: 'volume' }] }))(),

  // ModifyImageAttribute and ModifySnapshotAttribute
  ((): ModifyImage.ModifyImageAttributeRequest => ({
    ImageId: 'ami-1',
    LaunchPermission: { Add: [{ UserId: '123456789012' }, { Group: 'all' }, { OrganizationArn: 'arn:aws:organizations::123456789012:organization/o-abcdefghij' }] },
  }))(),
  // @ts-expect-error the only group is all
  ((): Image.LaunchPermission => ({ Group: 'everyone' }))(),
  // @ts-expect-error one principal per permission
  ((): Image.LaunchPermission => ({ UserId: '123456789012', Group: 'all' }))(),
  // @ts-expect-error a permission names a principal
  ((): Image.LaunchPermission => ({}))(),
  // @ts-expect-error the only group is all
  ((): ModifyImage.ModifyImageAttributeRequest => ({ ImageId: 'ami-1', UserGroups: ['everyone'] }))(),
  // @ts-expect-error one principal per permission
  ((): ModifySnapshot.CreateVolumePermission => ({ UserId: '123456789012', Group: 'all' }))(),
  // @ts-expect-error the only group is all
  ((): ModifySnapshot.ModifySnapshotAttributeRequest => ({ SnapshotId: 'snap-1', GroupNames: ['public'] }))(),
  // @ts-expect-error an attribute DescribeImageAttribute does not read
  ((): DescribeAttribute.DescribeImageAttributeRequest => ({ ImageId: 'ami-1', Attribute: 'launchPermissions' }))(),
  // @ts-expect-error required ids
  ((): DeleteSnapshot.DeleteSnapshotRequest => ({ DryRun: true }))(),
  // @ts-expect-error required ids
  ((): Deregister.DeregisterImageRequest => ({ DeleteAssociatedSnapshots: true }))(),
]

// -------------------------------------------------------------------------------------------------
// run time
// -------------------------------------------------------------------------------------------------

describe('what the types describe, the codecs accept (500 generated values each)', () => {
  it.each([
    ['ImportSnapshotRequest', ImportSnapshot.ImportSnapshotRequest, A.importSnapshotRequest],
    ['SnapshotDiskContainer', ImportSnapshot.SnapshotDiskContainer, A.snapshotDiskContainer],
    ['DescribeImportSnapshotTasksRequest', DescribeTasks.DescribeImportSnapshotTasksRequest, A.describeImportSnapshotTasksRequest],
    ['RegisterImageRequest', Register.RegisterImageRequest, A.registerImageRequest],
    ['BlockDeviceMapping', Image.BlockDeviceMapping, A.blockDeviceMapping],
    ['EbsBlockDevice', Image.EbsBlockDevice, A.ebsBlockDevice],
    ['DescribeImagesRequest', DescribeImages.DescribeImagesRequest, A.describeImagesRequest],
    ['DeregisterImageRequest', Deregister.DeregisterImageRequest, A.deregisterImageRequest],
    ['CreateTagsRequest', CreateTags.CreateTagsRequest, A.createTagsRequest],
    ['CopyImageRequest', Copy.CopyImageRequest, A.copyImageRequest],
    ['ModifyImageAttributeRequest', ModifyImage.ModifyImageAttributeRequest, A.modifyImageAttributeRequest],
    ['LaunchPermission', Image.LaunchPermission, A.launchPermission],
    ['DescribeImageAttributeRequest', DescribeAttribute.DescribeImageAttributeRequest, A.describeImageAttributeRequest],
    ['ModifySnapshotAttributeRequest', ModifySnapshot.ModifySnapshotAttributeRequest, A.modifySnapshotAttributeRequest],
    ['DeleteSnapshotRequest', DeleteSnapshot.DeleteSnapshotRequest, A.deleteSnapshotRequest],
    ['DescribeSnapshotsRequest', DescribeSnapshots.DescribeSnapshotsRequest, A.describeSnapshotsRequest],
    ['ImportSnapshotTagSpecification', Tags.ImportSnapshotTagSpecification, A.importSnapshotTagSpecification],
    ['ImageTagSpecification', Tags.ImageTagSpecification, A.imageTagSpecification],
  ] as const)('%s', (_name, codec, arbitrary) => {
    const c = codec as unknown as t.Mixed
    fc.assert(
      fc.property(arbitrary as fc.Arbitrary<unknown>, (value) => {
        expect(c.decode(value)._tag).toBe('Right')
        expect(c.is(value)).toBe(true)
        // and survives JSON: encode, stringify, parse, decode
        expect(c.decode(JSON.parse(JSON.stringify(c.encode(value))))._tag).toBe('Right')
      }),
      { numRuns: 500 },
    )
  })
})

describe('what the types refuse, the codecs reject', () => {
  const rejects = (codec: unknown, value: unknown, path: string): void => {
    const c = codec as t.Mixed
    const r = c.decode(value)
    expect(r._tag).toBe('Left')
    expect(c.is(value)).toBe(false)
    if (r._tag === 'Left') {
      const paths = r.left.map((e) => e.context.map((x) => x.key).filter((k) => k !== '').join('.'))
      expect(paths).toContain(path)
    }
  }

  it.each([
    ['two sources', ImportSnapshot.SnapshotDiskContainer, { Url: 's3://b/k', UserBucket: bucket }, 'UserBucket'],
    ['no source', ImportSnapshot.SnapshotDiskContainer, { Format: 'VMDK' }, ''],
    ['VHDX', ImportSnapshot.SnapshotDiskContainer, { Url: 'u', Format: 'VHDX' }, 'Format'],
    ['KmsKeyId without Encrypted', ImportSnapshot.ImportSnapshotRequest, { DiskContainer: { Url: 'u' }, KmsKeyId: 'k' }, 'KmsKeyId'],
    ['tags on the image at ImportSnapshot', ImportSnapshot.ImportSnapshotRequest, { DiskContainer: { Url: 'u' }, TagSpecifications: [{ ResourceType: 'image' }] }, 'TagSpecifications.0.ResourceType'],
    ['Iops on gp2', Image.EbsBlockDevice, { VolumeType: 'gp2', Iops: 3000 }, 'Iops'],
    ['io1 without Iops', Image.EbsBlockDevice, { VolumeType: 'io1' }, 'Iops'],
    ['Throughput on io1', Image.EbsBlockDevice, { VolumeType: 'io1', Iops: 100, Throughput: 125 }, 'Throughput'],
    ['two targets', Image.BlockDeviceMapping, { Ebs: ebs, NoDevice: '' }, 'NoDevice'],
    ['mappings without a root device', Register.RegisterImageRequest, { Name: 'n-1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: ebs }] }, 'RootDeviceName'],
    ['aarch64', Register.RegisterImageRequest, { Name: 'n-1', Architecture: 'aarch64' }, 'Architecture'],
    ['KmsKeyId without Encrypted at CopyImage', Copy.CopyImageRequest, { Name: 'c-1', SourceImageId: 'a', SourceRegion: 'r', KmsKeyId: 'k' }, 'KmsKeyId'],
    ['two principals', Image.LaunchPermission, { UserId: '123456789012', Group: 'all' }, 'Group'],
    ['group everyone', Image.LaunchPermission, { Group: 'everyone' }, 'Group'],
    ['both on a create-volume permission', ModifySnapshot.CreateVolumePermission, { UserId: '123456789012', Group: 'all' }, 'Group'],
  ] as const)('%s', (_name, codec, value, path) => rejects(codec, value, path))
})
