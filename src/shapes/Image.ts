/**
 * The shapes several AMI operations share: the AMI as `DescribeImages` reports it, block device mappings (as
 * `RegisterImage` takes them and as an image reports them), launch permissions, attribute values, and the
 * enumerations and constrained strings of an AMI request (name, description, architecture, IMDS and TPM support).
 *
 * Member names, wire names and types follow the EC2 model (`test/fixtures/ec2-image-pipeline-model.json`);
 * `test/shapes/snapshot-path-model.test.ts` checks every declaration here against it. Requests are strict and
 * carry the documented rules; results are lenient, with open enumerations.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { Tag } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// enumerations
// -------------------------------------------------------------------------------------------------

/**
 * The architectures of an AMI, as the model lists them (`arm64` included: the snapshot path is how arm64 images
 * are imported).
 *
 * @public
 * @since 0.2.0
 */
export type ArchitectureValues = 'i386' | 'x86_64' | 'arm64' | 'x86_64_mac' | 'arm64_mac'
/**
 * The codec of `ArchitectureValues`.
 *
 * @public
 * @since 0.2.0
 */
export const ArchitectureValues: S.Enumeration<ArchitectureValues> = S.enumeration('ArchitectureValues', [
  'i386',
  'x86_64',
  'arm64',
  'x86_64_mac',
  'arm64_mac',
] as const)

/**
 * IMDS support: `v2.0` makes instances launched from the AMI require IMDSv2 (session tokens).
 *
 * @public
 * @since 0.2.0
 */
export type ImdsSupportValues = 'v2.0'
/**
 * The codec of `ImdsSupportValues`.
 *
 * @public
 * @since 0.2.0
 */
export const ImdsSupportValues: S.Enumeration<ImdsSupportValues> = S.enumeration('ImdsSupportValues', [
  'v2.0',
] as const)

/**
 * NitroTPM support: `v2.0` gives instances launched from the AMI a TPM 2.0 (UEFI boot only).
 *
 * @public
 * @since 0.2.0
 */
export type TpmSupportValues = 'v2.0'
/**
 * The codec of `TpmSupportValues`.
 *
 * @public
 * @since 0.2.0
 */
export const TpmSupportValues: S.Enumeration<TpmSupportValues> = S.enumeration('TpmSupportValues', [
  'v2.0',
] as const)

/**
 * The EBS volume types.
 *
 * @public
 * @since 0.2.0
 */
export type VolumeType = 'standard' | 'io1' | 'io2' | 'gp2' | 'sc1' | 'st1' | 'gp3'
/**
 * The codec of `VolumeType`.
 *
 * @public
 * @since 0.2.0
 */
export const VolumeType: S.Enumeration<VolumeType> = S.enumeration('VolumeType', [
  'standard',
  'io1',
  'io2',
  'gp2',
  'sc1',
  'st1',
  'gp3',
] as const)

/**
 * The group a launch or create-volume permission can name: `all`, which makes the resource public.
 *
 * @public
 * @since 0.2.0
 */
export type PermissionGroup = 'all'
/**
 * The codec of `PermissionGroup`.
 *
 * @public
 * @since 0.2.0
 */
export const PermissionGroup: S.Enumeration<PermissionGroup> = S.enumeration('PermissionGroup', [
  'all',
] as const)

/**
 * Whether a permission modification adds or removes.
 *
 * @public
 * @since 0.2.0
 */
export type OperationType = 'add' | 'remove'
/**
 * The codec of `OperationType`.
 *
 * @public
 * @since 0.2.0
 */
export const OperationType: S.Enumeration<OperationType> = S.enumeration('OperationType', [
  'add',
  'remove',
] as const)

// Results: the same values, open, so a value added to the service later decodes as a plain string.
const OpenArchitectureValues = S.openEnumeration('ArchitectureValues', ArchitectureValues.values as ReadonlyArray<ArchitectureValues>)
const OpenBootModeValues = S.openEnumeration('BootModeValues', ['legacy-bios', 'uefi', 'uefi-preferred'] as const)
const OpenImdsSupportValues = S.openEnumeration('ImdsSupportValues', ['v2.0'] as const)
const OpenTpmSupportValues = S.openEnumeration('TpmSupportValues', ['v2.0'] as const)
const OpenVolumeType = S.openEnumeration('VolumeType', VolumeType.values as ReadonlyArray<VolumeType>)
const OpenPermissionGroup = S.openEnumeration('PermissionGroup', ['all'] as const)

// -------------------------------------------------------------------------------------------------
// constrained strings
// -------------------------------------------------------------------------------------------------

const codePoints = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/**
 * An AMI name: "3-128 alphanumeric characters, parentheses (()), square brackets ([]), spaces ( ), periods (.),
 * slashes (/), dashes (-), single quotes ('), at-signs (\@), or underscores(_)".
 *
 * @public
 * @since 0.2.0
 */
export const ImageName: t.Type<string, string, unknown> = S.constrainedString(
  'ImageNameRequest',
  (s) => /^[A-Za-z0-9()[\]./\-_'@ ]{3,128}$/.test(s),
  "an AMI name has 3 to 128 characters: letters, digits, spaces and ( ) [ ] . / - _ ' @",
)

/**
 * An AMI description: at most 255 characters.
 *
 * @public
 * @since 0.2.0
 */
export const ImageDescription: t.Type<string, string, unknown> = S.constrainedString(
  'ImageDescriptionRequest',
  (s) => codePoints(s) <= 255,
  'an AMI description has at most 255 characters',
)

/**
 * UEFI variable data for an AMI (base64, from the `uefivars` tool): at most 64,000 characters.
 *
 * @public
 * @since 0.2.0
 */
export const ImageUefiData: t.Type<string, string, unknown> = S.constrainedString(
  'ImageUefiDataRequest',
  (s) => codePoints(s) <= 64000,
  'UefiData has at most 64000 characters',
)

/**
 * An AWS account id: twelve digits.
 *
 * @public
 * @since 0.2.0
 */
export const AccountId: t.Type<string, string, unknown> = S.constrainedString('AccountId', (s) => /^[0-9]{12}$/.test(s), 'an AWS account id has 12 digits')

const PARTITION = 'aws(?:-[a-z]+)*'

/**
 * The ARN of an AWS Organizations organization (`arn:aws:organizations::123456789012:organization/o-…`).
 *
 * @public
 * @since 0.2.0
 */
export const OrganizationArn: t.Type<string, string, unknown> = S.constrainedString(
  'OrganizationArn',
  (s) => new RegExp(`^arn:${PARTITION}:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$`).test(s),
  'an organization ARN is arn:<partition>:organizations::<account>:organization/o-<id>',
)

/**
 * The ARN of an AWS Organizations organizational unit (`arn:aws:organizations::123456789012:ou/o-…/ou-…`).
 *
 * @public
 * @since 0.2.0
 */
export const OrganizationalUnitArn: t.Type<string, string, unknown> = S.constrainedString(
  'OrganizationalUnitArn',
  (s) =>
    new RegExp(`^arn:${PARTITION}:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`).test(s),
  'an organizational unit ARN is arn:<partition>:organizations::<account>:ou/o-<id>/ou-<root>-<id>',
)

// -------------------------------------------------------------------------------------------------
// shared structures
// -------------------------------------------------------------------------------------------------

// `AttributeValue`: its members and wire names, declared once (the interface and the codec below are named after it).
const AttributeValueShape = S.struct(
  'AttributeValue',
  {
    Value: S.member(S.string, { locationName: 'value' }),
  },
  { strict: true },
)
/**
 * One value of an attribute (`{ Value: 'v2.0' }`), as `ModifyImageAttribute` takes it and `DescribeImageAttribute`
 * returns it.
 *
 * @public
 * @since 0.2.0
 */
export interface AttributeValue extends t.TypeOf<typeof AttributeValueShape> {}
/**
 * One value of an attribute (`{ Value: 'v2.0' }`), as `ModifyImageAttribute` takes it and `DescribeImageAttribute`
 * returns it.
 *
 * @public
 * @since 0.2.0
 */
export const AttributeValue: S.Shape<AttributeValue> = AttributeValueShape

// `StateReason`: its members and wire names, declared once (the interface and the codec below are named after it).
const StateReasonShape = S.struct('StateReason', {
  Code: S.member(S.string, { locationName: 'code' }),
  Message: S.member(S.string, { locationName: 'message' }),
})
/**
 * Why a resource changed state (an AMI `failed`, say): a code and a message.
 *
 * @public
 * @since 0.2.0
 */
export interface StateReason extends t.TypeOf<typeof StateReasonShape> {}
/**
 * Why a resource changed state (an AMI `failed`, say): a code and a message.
 *
 * @public
 * @since 0.2.0
 */
export const StateReason: S.Shape<StateReason> = StateReasonShape

// `ProductCode`: its members and wire names, declared once (the interface and the codec below are named after it).
const ProductCodeShape = S.struct('ProductCode', {
  ProductCodeId: S.member(S.string, { locationName: 'productCode' }),
  ProductCodeType: S.member(S.openEnumeration('ProductCodeValues', ['devpay', 'marketplace'] as const), {
    locationName: 'type',
  }),
})
/**
 * A product code attached to an AMI (`devpay` or `marketplace`).
 *
 * @public
 * @since 0.2.0
 */
export interface ProductCode extends t.TypeOf<typeof ProductCodeShape> {}
/**
 * A product code attached to an AMI (`devpay` or `marketplace`).
 *
 * @public
 * @since 0.2.0
 */
export const ProductCode: S.Shape<ProductCode> = ProductCodeShape

// -------------------------------------------------------------------------------------------------
// block device mappings: requests
// -------------------------------------------------------------------------------------------------

const IOPS_TYPES: ReadonlyArray<string> = ['io1', 'io2', 'gp3']

const ebsRules = (e: { VolumeType?: string; Iops?: number; Throughput?: number }): Array<S.RuleViolation> => {
  const out: Array<S.RuleViolation> = []
  if (e.Iops !== undefined && (e.VolumeType === undefined || !IOPS_TYPES.includes(e.VolumeType))) {
    out.push({ path: ['Iops'], message: 'Iops is supported only for io1, io2 and gp3 volumes (give VolumeType)' })
  }
  if (e.Iops === undefined && (e.VolumeType === 'io1' || e.VolumeType === 'io2')) {
    out.push({ path: ['Iops'], message: `Iops is required for ${e.VolumeType} volumes` })
  }
  if (e.Throughput !== undefined && e.VolumeType !== 'gp3') {
    out.push({ path: ['Throughput'], message: 'Throughput is valid only for gp3 volumes' })
  }
  return out
}

// `EbsBlockDevice`: its members and wire names, declared once (the interface and the codec below are named after it).
const EbsBlockDeviceShape = S.struct(
  'EbsBlockDevice',
  {
    DeleteOnTermination: S.member(S.boolean, { locationName: 'deleteOnTermination' }),
    Iops: S.member(S.integer, { locationName: 'iops' }),
    SnapshotId: S.member(S.string, { locationName: 'snapshotId' }),
    VolumeSize: S.member(S.integer, { locationName: 'volumeSize' }),
    VolumeType: S.member(VolumeType, { locationName: 'volumeType' }),
    KmsKeyId: S.member(S.string, { locationName: 'kmsKeyId' }),
    Throughput: S.member(S.integer, { locationName: 'throughput' }),
    OutpostArn: S.member(S.string, { locationName: 'outpostArn' }),
    AvailabilityZone: S.member(S.string, { locationName: 'availabilityZone' }),
    Encrypted: S.member(S.boolean, { locationName: 'encrypted' }),
    VolumeInitializationRate: S.member(S.integer),
    AvailabilityZoneId: S.member(S.string),
    EbsCardIndex: S.member(S.integer),
  },
  { strict: true, rules: ebsRules },
)
/**
 * The members of `EbsBlockDevice`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface EbsBlockDeviceMembers extends t.TypeOf<typeof EbsBlockDeviceShape> {}

/**
 * A volume's type and performance: `Iops` only for io1, io2 and gp3 (and required for io1 and io2), `Throughput`
 * only for gp3.
 *
 * @public
 * @since 0.2.0
 */
export type EbsVolumePerformance =
  | { VolumeType: 'io1' | 'io2'; Iops: number; Throughput?: never }
  | { VolumeType: 'gp3'; Iops?: number; Throughput?: number }
  | { VolumeType?: 'standard' | 'gp2' | 'sc1' | 'st1'; Iops?: never; Throughput?: never }

/**
 * An EBS volume of a block device mapping, as `RegisterImage` takes it. The type says what the codec checks:
 * `Iops` and `Throughput` only where the volume type supports them.
 *
 * @public
 * @since 0.2.0
 */
export type EbsBlockDevice = Omit<EbsBlockDeviceMembers, 'VolumeType' | 'Iops' | 'Throughput'> & EbsVolumePerformance

/**
 * The codec of `EbsBlockDevice`: its members and its rules.
 *
 * @public
 * @since 0.2.0
 */
export const EbsBlockDevice: S.Shape<EbsBlockDevice> = S.narrow<EbsBlockDevice>()(EbsBlockDeviceShape)

const TARGETS = ['Ebs', 'VirtualName', 'NoDevice'] as const

const mappingRules = (m: { Ebs?: unknown; VirtualName?: string; NoDevice?: string }): Array<S.RuleViolation> => {
  const given = TARGETS.filter((k) => m[k] !== undefined)
  if (given.length === 1) return []
  return [
    {
      path: given.length === 0 ? [] : [given[1]!],
      message: `a block device mapping needs exactly one of Ebs, VirtualName or NoDevice (${given.length === 0 ? 'none' : given.join(' and ')} given)`,
    },
  ]
}

// `BlockDeviceMapping`: its members and wire names, declared once (the interface and the codec below are named after it).
const BlockDeviceMappingShape = S.struct(
  'BlockDeviceMapping',
  {
    Ebs: S.member(EbsBlockDevice, { locationName: 'ebs' }),
    NoDevice: S.member(S.string, { locationName: 'noDevice' }),
    DeviceName: S.member(S.string, { locationName: 'deviceName' }),
    VirtualName: S.member(S.string, { locationName: 'virtualName' }),
  },
  { strict: true, rules: mappingRules },
)
/**
 * The members of `BlockDeviceMapping`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface BlockDeviceMappingMembers extends t.TypeOf<typeof BlockDeviceMappingShape> {}

/**
 * What a block device mapping maps its device to: exactly one of an EBS volume, an instance store volume
 * (`VirtualName`, `ephemeral0`…) or nothing (`NoDevice`, which removes the device).
 *
 * @public
 * @since 0.2.0
 */
export type BlockDeviceTarget =
  | { Ebs: EbsBlockDevice; VirtualName?: never; NoDevice?: never }
  | { VirtualName: string; Ebs?: never; NoDevice?: never }
  | { NoDevice: string; Ebs?: never; VirtualName?: never }

/**
 * A block device mapping, as `RegisterImage` takes it. The type says what the codec checks: exactly one target.
 *
 * @public
 * @since 0.2.0
 */
export type BlockDeviceMapping = Omit<BlockDeviceMappingMembers, 'Ebs' | 'VirtualName' | 'NoDevice'> & BlockDeviceTarget

/**
 * The codec of `BlockDeviceMapping`: its members and its rules.
 *
 * @public
 * @since 0.2.0
 */
export const BlockDeviceMapping: S.Shape<BlockDeviceMapping> = S.narrow<BlockDeviceMapping>()(BlockDeviceMappingShape)

// -------------------------------------------------------------------------------------------------
// block device mappings: results
// -------------------------------------------------------------------------------------------------

// `ImageEbsBlockDevice`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImageEbsBlockDeviceShape = S.struct('EbsBlockDevice', {
  DeleteOnTermination: S.member(S.boolean, { locationName: 'deleteOnTermination' }),
  Iops: S.member(S.integer, { locationName: 'iops' }),
  SnapshotId: S.member(S.string, { locationName: 'snapshotId' }),
  VolumeSize: S.member(S.integer, { locationName: 'volumeSize' }),
  VolumeType: S.member(OpenVolumeType, { locationName: 'volumeType' }),
  KmsKeyId: S.member(S.string, { locationName: 'kmsKeyId' }),
  Throughput: S.member(S.integer, { locationName: 'throughput' }),
  OutpostArn: S.member(S.string, { locationName: 'outpostArn' }),
  AvailabilityZone: S.member(S.string, { locationName: 'availabilityZone' }),
  Encrypted: S.member(S.boolean, { locationName: 'encrypted' }),
  VolumeInitializationRate: S.member(S.integer),
  AvailabilityZoneId: S.member(S.string),
  EbsCardIndex: S.member(S.integer),
})
/**
 * An EBS volume of a block device mapping, as an image reports it (the model's `EbsBlockDevice`, lenient).
 *
 * @public
 * @since 0.2.0
 */
export interface ImageEbsBlockDevice extends t.TypeOf<typeof ImageEbsBlockDeviceShape> {}
/**
 * An EBS volume of a block device mapping, as an image reports it (the model's `EbsBlockDevice`, lenient).
 *
 * @public
 * @since 0.2.0
 */
export const ImageEbsBlockDevice: S.Shape<ImageEbsBlockDevice> = ImageEbsBlockDeviceShape

// `ImageBlockDeviceMapping`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImageBlockDeviceMappingShape = S.struct('BlockDeviceMapping', {
  Ebs: S.member(ImageEbsBlockDevice, { locationName: 'ebs' }),
  NoDevice: S.member(S.string, { locationName: 'noDevice' }),
  DeviceName: S.member(S.string, { locationName: 'deviceName' }),
  VirtualName: S.member(S.string, { locationName: 'virtualName' }),
})
/**
 * A block device mapping, as an image reports it (the model's `BlockDeviceMapping`, lenient).
 *
 * @public
 * @since 0.2.0
 */
export interface ImageBlockDeviceMapping extends t.TypeOf<typeof ImageBlockDeviceMappingShape> {}
/**
 * A block device mapping, as an image reports it (the model's `BlockDeviceMapping`, lenient).
 *
 * @public
 * @since 0.2.0
 */
export const ImageBlockDeviceMapping: S.Shape<ImageBlockDeviceMapping> = ImageBlockDeviceMappingShape

// -------------------------------------------------------------------------------------------------
// launch permissions
// -------------------------------------------------------------------------------------------------

const PRINCIPALS = ['UserId', 'Group', 'OrganizationArn', 'OrganizationalUnitArn'] as const

const launchPermissionRules = (p: Partial<Record<(typeof PRINCIPALS)[number], string>>): Array<S.RuleViolation> => {
  const given = PRINCIPALS.filter((k) => p[k] !== undefined)
  if (given.length === 1) return []
  return [
    {
      path: given.length === 0 ? [] : [given[1]!],
      message: `a launch permission names exactly one of UserId, Group, OrganizationArn or OrganizationalUnitArn (${given.length === 0 ? 'none' : given.join(' and ')} given)`,
    },
  ]
}

// `LaunchPermission`: its members and wire names, declared once (the interface and the codec below are named after it).
const LaunchPermissionShape = S.struct(
  'LaunchPermission',
  {
    OrganizationArn: S.member(OrganizationArn, { locationName: 'organizationArn' }),
    OrganizationalUnitArn: S.member(OrganizationalUnitArn, { locationName: 'organizationalUnitArn' }),
    UserId: S.member(AccountId, { locationName: 'userId' }),
    Group: S.member(PermissionGroup, { locationName: 'group' }),
  },
  { strict: true, rules: launchPermissionRules },
)
/**
 * The members of `LaunchPermission`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface LaunchPermissionMembers extends t.TypeOf<typeof LaunchPermissionShape> {}

/**
 * Who may launch an AMI, as `ModifyImageAttribute` takes it: exactly one of an account (`UserId`, 12 digits), the
 * public (`Group: 'all'`), an organization or an organizational unit (by ARN).
 *
 * @public
 * @since 0.2.0
 */
export type LaunchPermission =
  | { UserId: string; Group?: never; OrganizationArn?: never; OrganizationalUnitArn?: never }
  | { Group: PermissionGroup; UserId?: never; OrganizationArn?: never; OrganizationalUnitArn?: never }
  | { OrganizationArn: string; UserId?: never; Group?: never; OrganizationalUnitArn?: never }
  | { OrganizationalUnitArn: string; UserId?: never; Group?: never; OrganizationArn?: never }

/**
 * The codec of `LaunchPermission`: its members and its rules.
 *
 * @public
 * @since 0.2.0
 */
export const LaunchPermission: S.Shape<LaunchPermission> = S.narrow<LaunchPermission>()(LaunchPermissionShape)

// `ImageLaunchPermission`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImageLaunchPermissionShape = S.struct('LaunchPermission', {
  OrganizationArn: S.member(S.string, { locationName: 'organizationArn' }),
  OrganizationalUnitArn: S.member(S.string, { locationName: 'organizationalUnitArn' }),
  UserId: S.member(S.string, { locationName: 'userId' }),
  Group: S.member(OpenPermissionGroup, { locationName: 'group' }),
})
/**
 * A launch permission, as `DescribeImageAttribute` reports it (the model's `LaunchPermission`, lenient).
 *
 * @public
 * @since 0.2.0
 */
export interface ImageLaunchPermission extends t.TypeOf<typeof ImageLaunchPermissionShape> {}
/**
 * A launch permission, as `DescribeImageAttribute` reports it (the model's `LaunchPermission`, lenient).
 *
 * @public
 * @since 0.2.0
 */
export const ImageLaunchPermission: S.Shape<ImageLaunchPermission> = ImageLaunchPermissionShape

// -------------------------------------------------------------------------------------------------
// the image
// -------------------------------------------------------------------------------------------------

// `Image`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImageShape = S.struct('Image', {
  PlatformDetails: S.member(S.string, { locationName: 'platformDetails' }),
  UsageOperation: S.member(S.string, { locationName: 'usageOperation' }),
  BlockDeviceMappings: S.member(S.list(ImageBlockDeviceMapping, 'item', 'BlockDeviceMappingList'), {
    locationName: 'blockDeviceMapping',
  }),
  Description: S.member(S.string, { locationName: 'description' }),
  EnaSupport: S.member(S.boolean, { locationName: 'enaSupport' }),
  Hypervisor: S.member(S.openEnumeration('HypervisorType', ['ovm', 'xen'] as const), { locationName: 'hypervisor' }),
  ImageOwnerAlias: S.member(S.string, { locationName: 'imageOwnerAlias' }),
  Name: S.member(S.string, { locationName: 'name' }),
  RootDeviceName: S.member(S.string, { locationName: 'rootDeviceName' }),
  RootDeviceType: S.member(S.openEnumeration('DeviceType', ['ebs', 'instance-store'] as const), {
    locationName: 'rootDeviceType',
  }),
  SriovNetSupport: S.member(S.string, { locationName: 'sriovNetSupport' }),
  StateReason: S.member(StateReason, { locationName: 'stateReason' }),
  Tags: S.member(S.list(Tag, 'item', 'TagList'), { locationName: 'tagSet' }),
  VirtualizationType: S.member(S.openEnumeration('VirtualizationType', ['hvm', 'paravirtual'] as const), {
    locationName: 'virtualizationType',
  }),
  BootMode: S.member(OpenBootModeValues, { locationName: 'bootMode' }),
  TpmSupport: S.member(OpenTpmSupportValues, { locationName: 'tpmSupport' }),
  DeprecationTime: S.member(S.string, { locationName: 'deprecationTime' }),
  ImdsSupport: S.member(OpenImdsSupportValues, { locationName: 'imdsSupport' }),
  SourceInstanceId: S.member(S.string, { locationName: 'sourceInstanceId' }),
  DeregistrationProtection: S.member(S.string, { locationName: 'deregistrationProtection' }),
  LastLaunchedTime: S.member(S.string, { locationName: 'lastLaunchedTime' }),
  ImageAllowed: S.member(S.boolean, { locationName: 'imageAllowed' }),
  SourceImageId: S.member(S.string, { locationName: 'sourceImageId' }),
  SourceImageRegion: S.member(S.string, { locationName: 'sourceImageRegion' }),
  FreeTierEligible: S.member(S.boolean, { locationName: 'freeTierEligible' }),
  ImageId: S.member(S.string, { locationName: 'imageId' }),
  ImageLocation: S.member(S.string, { locationName: 'imageLocation' }),
  State: S.member(
    S.openEnumeration('ImageState', [
      'pending',
      'available',
      'invalid',
      'deregistered',
      'transient',
      'failed',
      'error',
      'disabled',
    ] as const),
    { locationName: 'imageState' },
  ),
  OwnerId: S.member(S.string, { locationName: 'imageOwnerId' }),
  CreationDate: S.member(S.string, { locationName: 'creationDate' }),
  Public: S.member(S.boolean, { locationName: 'isPublic' }),
  ProductCodes: S.member(S.list(ProductCode, 'item', 'ProductCodeList'), { locationName: 'productCodes' }),
  Architecture: S.member(OpenArchitectureValues, { locationName: 'architecture' }),
  ImageType: S.member(S.openEnumeration('ImageTypeValues', ['machine', 'kernel', 'ramdisk'] as const), {
    locationName: 'imageType',
  }),
  KernelId: S.member(S.string, { locationName: 'kernelId' }),
  RamdiskId: S.member(S.string, { locationName: 'ramdiskId' }),
  Platform: S.member(S.openEnumeration('PlatformValues', ['Windows'] as const), { locationName: 'platform' }),
})
/**
 * An AMI, as `DescribeImages` reports it. `State` moves `pending` → `available` (or `failed`, with a
 * `StateReason`); `CreationDate`, `DeprecationTime` and `LastLaunchedTime` are strings in the model, kept as sent.
 *
 * @public
 * @since 0.2.0
 */
export interface Image extends t.TypeOf<typeof ImageShape> {}
/**
 * An AMI, as `DescribeImages` reports it. `State` moves `pending` → `available` (or `failed`, with a
 * `StateReason`); `CreationDate`, `DeprecationTime` and `LastLaunchedTime` are strings in the model, kept as sent.
 *
 * @public
 * @since 0.2.0
 */
export const Image: S.Shape<Image> = ImageShape
