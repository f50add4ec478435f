/**
 * `CreateTags`: tag resources that exist (the AMI and the snapshot a snapshot import made, say).
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { Tag, tagRules } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

const createTagsRules = (r: { Resources: ReadonlyArray<string>; Tags: ReadonlyArray<Tag> }): Array<S.RuleViolation> => {
  const out: Array<S.RuleViolation> = []
  if (r.Resources.length < 1 || r.Resources.length > 1000) {
    out.push({
      path: ['Resources'],
      message: `CreateTags takes 1 to 1000 resource ids ("Constraints: Up to 1000 resource IDs"); ${r.Resources.length} given`,
    })
  }
  if (r.Tags.length === 0) out.push({ path: ['Tags'], message: 'at least one tag is needed' })
  out.push(...tagRules(r.Tags, ['Tags']))
  return out
}

// `CreateTagsRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const CreateTagsRequestShape = S.struct(
  'CreateTagsRequest',
  {
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
    Resources: S.member(S.list(S.string, 'member', 'ResourceIdList'), { locationName: 'ResourceId', required: true }),
    Tags: S.member(S.list(Tag, 'item', 'TagList'), { locationName: 'Tag', required: true }),
  },
  { strict: true, rules: createTagsRules },
)
/**
 * The input of `CreateTags`: 1 to 1000 resource ids and the tags to put on each (keys of 1 to 128 characters, not
 * starting with `aws:`; values of at most 256). A tag that exists is overwritten.
 *
 * @public
 * @since 0.2.0
 */
export interface CreateTagsRequest extends t.TypeOf<typeof CreateTagsRequestShape> {}
/**
 * The input of `CreateTags`: 1 to 1000 resource ids and the tags to put on each (keys of 1 to 128 characters, not
 * starting with `aws:`; values of at most 256). A tag that exists is overwritten.
 *
 * @public
 * @since 0.2.0
 */
export const CreateTagsRequest: S.Shape<CreateTagsRequest> = CreateTagsRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `CreateTagsResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const CreateTagsResultShape = S.struct('CreateTagsResult', {})
/**
 * The output of `CreateTags`: empty. The model declares no output (EC2 answers `<return>true</return>`, which
 * the model does not name); this empty structure lets the call decode its response like every other call.
 *
 * @public
 * @since 0.2.0
 */
export interface CreateTagsResult extends t.TypeOf<typeof CreateTagsResultShape> {}
/**
 * The output of `CreateTags`: empty. The model declares no output (EC2 answers `<return>true</return>`, which
 * the model does not name); this empty structure lets the call decode its response like every other call.
 *
 * @public
 * @since 0.2.0
 */
export const CreateTagsResult: S.Shape<CreateTagsResult> = CreateTagsResultShape
