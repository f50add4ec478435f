/**
 * `DescribeImages`: the request (ids, owners, filters) and the AMIs it returns.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { Filter } from './DescribeImportImageTasks.js'
import { Image } from './Image.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

// `DescribeImagesRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const DescribeImagesRequestShape = S.struct(
  'DescribeImagesRequest',
  {
    ExecutableUsers: S.member(S.list(S.string, 'ExecutableBy', 'ExecutableByStringList'), { locationName: 'ExecutableBy' }),
    ImageIds: S.member(S.list(S.string, 'ImageId', 'ImageIdStringList'), { locationName: 'ImageId' }),
    Owners: S.member(S.list(S.string, 'Owner', 'OwnerStringList'), { locationName: 'Owner' }),
    IncludeDeprecated: S.member(S.boolean),
    IncludeDisabled: S.member(S.boolean),
    MaxResults: S.member(S.integer),
    NextToken: S.member(S.string),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
    Filters: S.member(S.list(Filter, 'Filter', 'FilterList'), { locationName: 'Filter' }),
  },
  { strict: true },
)
/**
 * The input of `DescribeImages`. Filters such as `name`, `image-id`, `state`, `tag:<key>`; `Owners: ['self']` for
 * your own AMIs. One unknown id in `ImageIds` fails the whole call (`InvalidAMIID.NotFound`); the `image-id` filter
 * does not.
 *
 * @public
 * @since 0.2.0
 */
export interface DescribeImagesRequest extends t.TypeOf<typeof DescribeImagesRequestShape> {}
/**
 * The input of `DescribeImages`. Filters such as `name`, `image-id`, `state`, `tag:<key>`; `Owners: ['self']` for
 * your own AMIs. One unknown id in `ImageIds` fails the whole call (`InvalidAMIID.NotFound`); the `image-id` filter
 * does not.
 *
 * @public
 * @since 0.2.0
 */
export const DescribeImagesRequest: S.Shape<DescribeImagesRequest> = DescribeImagesRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `DescribeImagesResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const DescribeImagesResultShape = S.struct('DescribeImagesResult', {
  NextToken: S.member(S.string, { locationName: 'nextToken' }),
  Images: S.member(S.list(Image, 'item', 'ImageList'), { locationName: 'imagesSet' }),
})
/**
 * The output of `DescribeImages`: a page of AMIs and the token of the next page, if any.
 *
 * @public
 * @since 0.2.0
 */
export interface DescribeImagesResult extends t.TypeOf<typeof DescribeImagesResultShape> {}
/**
 * The output of `DescribeImages`: a page of AMIs and the token of the next page, if any.
 *
 * @public
 * @since 0.2.0
 */
export const DescribeImagesResult: S.Shape<DescribeImagesResult> = DescribeImagesResultShape
