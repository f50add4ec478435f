/**
 * Tags, and the tag specifications that put them on the import task.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A tag: `Key` and `Value`. The same shape is sent in `TagSpecifications` and read back in `Tags`
 * (`tagSet/item/{key,value}`).
 *
 * @public
 * @since 0.1.0
 */
const TagShape = S.struct(
  'Tag',
  {
    Key: S.member(S.string, { locationName: 'key' }),
    Value: S.member(S.string, { locationName: 'value' }),
  },
  { strict: true },
)
/**
 * @public
 * @since 0.1.0
 */
export interface Tag extends t.TypeOf<typeof TagShape> {}
/**
 * @public
 * @since 0.1.0
 */
export const Tag: S.Shape<Tag> = TagShape

/**
 * The resource type a tag specification names. The EC2 model's `ResourceType` enum has over a hundred values, but
 * ImportImage tags only the task it creates, so the one value it accepts is the only one this codec admits: a
 * typo or `image` (the AMI does not exist yet) is caught before sending.
 *
 * @public
 * @since 0.1.0
 */
export const ResourceType = S.enumeration('ResourceType', ['import-image-task'] as const)

/**
 * Tags for a resource the call creates. For ImportImage that resource is the import task (not the AMI), so
 * `ResourceType` is `import-image-task`.
 *
 * @public
 * @since 0.1.0
 */
const TagSpecificationShape = S.struct(
  'TagSpecification',
  {
    ResourceType: S.member(ResourceType, { locationName: 'resourceType' }),
    Tags: S.member(S.list(Tag, 'item', 'TagList'), { locationName: 'Tag' }),
  },
  { strict: true },
)
/**
 * @public
 * @since 0.1.0
 */
export interface TagSpecification extends t.TypeOf<typeof TagSpecificationShape> {}
/**
 * @public
 * @since 0.1.0
 */
export const TagSpecification: S.Shape<TagSpecification> = TagSpecificationShape
