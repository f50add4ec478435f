/**
 * `DescribeImageAttribute`: read one attribute of an AMI (its launch permissions, boot mode, IMDS support, …).
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { AttributeValue, ImageBlockDeviceMapping, ImageLaunchPermission, ProductCode } from './Image.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

/**
 * The attributes `DescribeImageAttribute` reads, one per call.
 *
 * @public
 * @since 0.2.0
 */
export type ImageAttributeName = 'description' | 'kernel' | 'ramdisk' | 'launchPermission' | 'productCodes' | 'blockDeviceMapping' | 'sriovNetSupport' | 'bootMode' | 'tpmSupport' | 'uefiData' | 'lastLaunchedTime' | 'imdsSupport' | 'deregistrationProtection'
/**
 * The codec of `ImageAttributeName`.
 *
 * @public
 * @since 0.2.0
 */
export const ImageAttributeName: S.Enumeration<ImageAttributeName> = S.enumeration('ImageAttributeName', [
  'description',
  'kernel',
  'ramdisk',
  'launchPermission',
  'productCodes',
  'blockDeviceMapping',
  'sriovNetSupport',
  'bootMode',
  'tpmSupport',
  'uefiData',
  'lastLaunchedTime',
  'imdsSupport',
  'deregistrationProtection',
] as const)

// `DescribeImageAttributeRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const DescribeImageAttributeRequestShape = S.struct(
  'DescribeImageAttributeRequest',
  {
    Attribute: S.member(ImageAttributeName, { required: true }),
    ImageId: S.member(S.string, { required: true }),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
  },
  { strict: true },
)
/**
 * The input of `DescribeImageAttribute`: the AMI and the one attribute to read.
 *
 * @public
 * @since 0.2.0
 */
export interface DescribeImageAttributeRequest extends t.TypeOf<typeof DescribeImageAttributeRequestShape> {}
/**
 * The input of `DescribeImageAttribute`: the AMI and the one attribute to read.
 *
 * @public
 * @since 0.2.0
 */
export const DescribeImageAttributeRequest: S.Shape<DescribeImageAttributeRequest> = DescribeImageAttributeRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `ImageAttribute`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImageAttributeShape = S.struct('ImageAttribute', {
  Description: S.member(AttributeValue, { locationName: 'description' }),
  KernelId: S.member(AttributeValue, { locationName: 'kernel' }),
  RamdiskId: S.member(AttributeValue, { locationName: 'ramdisk' }),
  SriovNetSupport: S.member(AttributeValue, { locationName: 'sriovNetSupport' }),
  BootMode: S.member(AttributeValue, { locationName: 'bootMode' }),
  TpmSupport: S.member(AttributeValue, { locationName: 'tpmSupport' }),
  UefiData: S.member(AttributeValue, { locationName: 'uefiData' }),
  LastLaunchedTime: S.member(AttributeValue, { locationName: 'lastLaunchedTime' }),
  ImdsSupport: S.member(AttributeValue, { locationName: 'imdsSupport' }),
  DeregistrationProtection: S.member(AttributeValue, { locationName: 'deregistrationProtection' }),
  ImageId: S.member(S.string, { locationName: 'imageId' }),
  LaunchPermissions: S.member(S.list(ImageLaunchPermission, 'item', 'LaunchPermissionList'), {
    locationName: 'launchPermission',
  }),
  ProductCodes: S.member(S.list(ProductCode, 'item', 'ProductCodeList'), { locationName: 'productCodes' }),
  BlockDeviceMappings: S.member(S.list(ImageBlockDeviceMapping, 'item', 'BlockDeviceMappingList'), {
    locationName: 'blockDeviceMapping',
  }),
})
/**
 * The output of `DescribeImageAttribute` (the model's `ImageAttribute`): the AMI's id and the attribute asked for
 * (the others absent).
 *
 * @public
 * @since 0.2.0
 */
export interface ImageAttribute extends t.TypeOf<typeof ImageAttributeShape> {}
/**
 * The output of `DescribeImageAttribute` (the model's `ImageAttribute`): the AMI's id and the attribute asked for
 * (the others absent).
 *
 * @public
 * @since 0.2.0
 */
export const ImageAttribute: S.Shape<ImageAttribute> = ImageAttributeShape
