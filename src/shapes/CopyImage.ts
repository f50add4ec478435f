/**
 * `CopyImage`: copy an AMI (and its snapshots) from another region into the client's, with the rules a request
 * must meet before it is sent.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import type { ImportEncryption } from './ImportImage.js'
import { ImageDescription, ImageName } from './Image.js'
import { ImageTagSpecification } from './Tag.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

/**
 * CopyImage's `ClientToken`: at most 128 ASCII characters (the model's `CopyImageClientToken`; other calls take
 * 64).
 *
 * @public
 * @since 0.2.0
 */
export const CopyImageClientToken: t.Type<string, string, unknown> = S.constrainedString(
  'CopyImageClientToken',
  // eslint-disable-next-line no-control-regex
  (s) => s.length <= 128 && /^[\x00-\x7f]*$/.test(s),
  'ClientToken must be at most 128 ASCII characters',
)

// `CopyImageRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const CopyImageRequestShape = S.struct(
  'CopyImageRequest',
  {
    ClientToken: S.member(CopyImageClientToken, { idempotencyToken: true }),
    Description: S.member(ImageDescription),
    Encrypted: S.member(S.boolean, { locationName: 'encrypted' }),
    KmsKeyId: S.member(S.string, { locationName: 'kmsKeyId' }),
    Name: S.member(ImageName, { required: true }),
    SourceImageId: S.member(S.string, { required: true }),
    SourceRegion: S.member(S.string, { required: true }),
    DestinationOutpostArn: S.member(S.string),
    CopyImageTags: S.member(S.boolean),
    TagSpecifications: S.member(S.list(ImageTagSpecification, 'item', 'TagSpecificationList'), {
      locationName: 'TagSpecification',
    }),
    SnapshotCopyCompletionDurationMinutes: S.member(S.long),
    DestinationAvailabilityZone: S.member(S.string),
    DestinationAvailabilityZoneId: S.member(S.string),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
  },
  {
    strict: true,
    rules: (r) =>
      r.KmsKeyId !== undefined && r.Encrypted !== true
        ? [
            {
              path: ['KmsKeyId'],
              message: 'KmsKeyId may only be given with Encrypted: true ("If you specify a KMS key, you must also set the encrypted state to true.")',
            },
          ]
        : [],
  },
)
/**
 * The members of `CopyImageRequest`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface CopyImageRequestMembers extends t.TypeOf<typeof CopyImageRequestShape> {}

/**
 * The input of `CopyImage`, sent to the destination region. The type says what the codec checks, where TypeScript
 * can: `Name`, `SourceImageId` and `SourceRegion` present; `KmsKeyId` only with `Encrypted: true`; tags only on the
 * new `image` or its `snapshot`s. Decoding also checks the name's characters and length, the description's length,
 * tag lengths and the `aws:` prefix.
 *
 * `ClientToken` is generated when absent (see `Operation`), so every call is idempotent across retries.
 *
 * @public
 * @since 0.2.0
 */
export type CopyImageRequest = Omit<CopyImageRequestMembers, 'Encrypted' | 'KmsKeyId'> & ImportEncryption

/**
 * The codec of `CopyImageRequest`: its members, and every documented rule.
 *
 * @public
 * @since 0.2.0
 */
export const CopyImageRequest: S.Shape<CopyImageRequest> = S.narrow<CopyImageRequest>()(CopyImageRequestShape)

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `CopyImageResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const CopyImageResultShape = S.struct('CopyImageResult', {
  ImageId: S.member(S.string, { locationName: 'imageId' }),
})
/**
 * The output of `CopyImage`: the new AMI's id in the destination region (`pending` until its snapshots are copied).
 *
 * @public
 * @since 0.2.0
 */
export interface CopyImageResult extends t.TypeOf<typeof CopyImageResultShape> {}
/**
 * The output of `CopyImage`: the new AMI's id in the destination region (`pending` until its snapshots are copied).
 *
 * @public
 * @since 0.2.0
 */
export const CopyImageResult: S.Shape<CopyImageResult> = CopyImageResultShape
