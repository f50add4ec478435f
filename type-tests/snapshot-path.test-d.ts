// The snapshot path's rules, as the published declarations carry them (tsd, against the built `dist/index.d.ts`;
// `test/shapes/snapshot-path-types.test.ts` checks the same rules against the sources). Needs the shapes exported
// from `src/index.ts` and this file listed in `scripts/tsd.mjs`.
import { expectAssignable, expectNotAssignable, expectType } from 'tsd'
import type {
  BlockDeviceMapping,
  CopyImageRequest,
  CreateTagsRequest,
  CreateVolumePermission,
  DescribeImageAttributeRequest,
  EbsBlockDevice,
  Image,
  ImageTagSpecification,
  ImportImageRequest,
  ImportSnapshotRequest,
  ImportSnapshotTask,
  LaunchPermission,
  ModifyImageAttributeRequest,
  RegisterImageRequest,
  SnapshotDiskContainer,
  SnapshotTaskDetail,
  TagSpecification,
} from '../dist/index.js'

const bucket = { S3Bucket: 'images', S3Key: 'disk.raw' }
const gp3 = { SnapshotId: 'snap-1', VolumeType: 'gp3', Iops: 3000, Throughput: 125 } as const

// ImportSnapshot: one disk container with exactly one source, VHD/VMDK/RAW, KmsKeyId only when encrypted, tags on its task
expectAssignable<ImportSnapshotRequest>({ DiskContainer: { Format: 'raw', UserBucket: bucket } })
expectAssignable<ImportSnapshotRequest>({ DiskContainer: { Url: 's3://b/k' }, Encrypted: true, KmsKeyId: 'alias/k' })
expectAssignable<ImportSnapshotRequest>({ DiskContainer: { Url: 'u' }, TagSpecifications: [{ ResourceType: 'import-snapshot-task' }] })
expectNotAssignable<ImportSnapshotRequest>({ Description: 'no disk' })
expectNotAssignable<SnapshotDiskContainer>({ Url: 's3://b/k', UserBucket: bucket })
expectNotAssignable<SnapshotDiskContainer>({ Format: 'VMDK' })
expectNotAssignable<SnapshotDiskContainer>({ Url: 'u', Format: 'VHDX' })
expectNotAssignable<ImportSnapshotRequest>({ DiskContainer: { Url: 'u' }, KmsKeyId: 'alias/k' })
expectNotAssignable<ImportSnapshotRequest>({ DiskContainer: { Url: 'u' }, Encrypted: false, KmsKeyId: 'alias/k' })
expectNotAssignable<ImportSnapshotRequest>({ DiskContainer: { Url: 'u' }, TagSpecifications: [{ ResourceType: 'image' }] })

// RegisterImage: Name; the model's architectures (arm64), boot modes, v2.0; root device with mappings; one target each;
// Iops and Throughput where the volume type takes them; tags on the image or its snapshots
expectAssignable<RegisterImageRequest>({
  Name: 'my-ami',
  Architecture: 'arm64',
  BootMode: 'uefi',
  ImdsSupport: 'v2.0',
  TpmSupport: 'v2.0',
  RootDeviceName: '/dev/xvda',
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: gp3 }],
  TagSpecifications: [{ ResourceType: 'image' }, { ResourceType: 'snapshot' }],
})
expectNotAssignable<RegisterImageRequest>({ Architecture: 'arm64' })
expectNotAssignable<RegisterImageRequest>({ Name: 'n-1', Architecture: 'aarch64' })
expectNotAssignable<RegisterImageRequest>({ Name: 'n-1', BootMode: 'bios' })
expectNotAssignable<RegisterImageRequest>({ Name: 'n-1', ImdsSupport: 'v1.0' })
expectNotAssignable<RegisterImageRequest>({ Name: 'n-1', TpmSupport: '2.0' })
expectNotAssignable<RegisterImageRequest>({ Name: 'n-1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: gp3 }] })
expectNotAssignable<RegisterImageRequest>({ Name: 'n-1', TagSpecifications: [{ ResourceType: 'import-snapshot-task' }] })
expectNotAssignable<BlockDeviceMapping>({ DeviceName: '/dev/xvda', Ebs: gp3, NoDevice: '' })
expectNotAssignable<BlockDeviceMapping>({ DeviceName: '/dev/xvda' })
expectAssignable<EbsBlockDevice>({ VolumeType: 'io2', Iops: 16000 })
expectNotAssignable<EbsBlockDevice>({ VolumeType: 'gp2', Iops: 3000 })
expectNotAssignable<EbsBlockDevice>({ VolumeType: 'io1' })
expectNotAssignable<EbsBlockDevice>({ VolumeType: 'io1', Iops: 100, Throughput: 125 })

// CreateTags, CopyImage
expectAssignable<CreateTagsRequest>({ Resources: ['ami-1', 'snap-1'], Tags: [{ Key: 'Name', Value: 'x' }] })
expectNotAssignable<CreateTagsRequest>({ Resources: ['ami-1'] })
expectAssignable<CopyImageRequest>({ Name: 'copy', SourceImageId: 'ami-1', SourceRegion: 'eu-west-1', Encrypted: true, KmsKeyId: 'k' })
expectNotAssignable<CopyImageRequest>({ Name: 'copy', SourceImageId: 'ami-1' })
expectNotAssignable<CopyImageRequest>({ Name: 'copy', SourceImageId: 'ami-1', SourceRegion: 'eu-west-1', KmsKeyId: 'k' })

// permissions
expectAssignable<ModifyImageAttributeRequest>({ ImageId: 'ami-1', LaunchPermission: { Add: [{ UserId: '123456789012' }, { Group: 'all' }] } })
expectNotAssignable<LaunchPermission>({ Group: 'everyone' })
expectNotAssignable<LaunchPermission>({ UserId: '123456789012', Group: 'all' })
expectNotAssignable<ModifyImageAttributeRequest>({ ImageId: 'ami-1', UserGroups: ['everyone'] })
expectNotAssignable<CreateVolumePermission>({ UserId: '123456789012', Group: 'all' })
expectNotAssignable<DescribeImageAttributeRequest>({ ImageId: 'ami-1', Attribute: 'launchPermissions' })

// tag specifications: the model's whole enum; each operation's narrower one; ImportImage keeps 0.1's
expectAssignable<TagSpecification>({ ResourceType: 'volume' })
expectNotAssignable<ImageTagSpecification>({ ResourceType: 'volume' })
expectNotAssignable<ImportImageRequest>({ DiskContainers: [{ Url: 'u' }], TagSpecifications: [{ ResourceType: 'image' }] })

// results name their nested shapes, keep open enumerations, and the task id is present
declare const task: ImportSnapshotTask
expectType<string>(task.ImportTaskId)
expectType<SnapshotTaskDetail | undefined>(task.SnapshotTaskDetail)
declare const image: Image
expectAssignable<NonNullable<Image['Architecture']>>('riscv64')
expectType<boolean | undefined>(image.EnaSupport)
