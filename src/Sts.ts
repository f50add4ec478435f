/**
 * The two STS operations the credential chain needs (`AssumeRole`, `AssumeRoleWithWebIdentity`), declared with the
 * same combinators as EC2's shapes, so they go through the same serializer, signer, transport and XML reader.
 *
 * STS speaks awsQuery, not ec2Query; for these shapes (scalars only) the two write the same form body, and the
 * reader already knows awsQuery's `<ErrorResponse>` envelope. The result sits one element deeper
 * (`<AssumeRoleResponse><AssumeRoleResult>`), which the output declarations say.
 *
 * @since 0.1.0
 */
import type { Operation } from './Operation.js'
import * as S from './Schema.js'

/** The STS API version. @internal */
export const STS_API_VERSION = '2011-06-15'

const StsCredentials = S.struct('Credentials', {
  AccessKeyId: S.member(S.string),
  SecretAccessKey: S.member(S.sensitiveString, { sensitive: true }),
  SessionToken: S.member(S.sensitiveString, { sensitive: true }),
  Expiration: S.member(S.timestamp()),
})

const result = (name: string) =>
  S.struct(`${name}Response`, {
    [`${name}Result`]: S.member(S.struct(`${name}Result`, { Credentials: S.member(StsCredentials) })),
  })

/**
 * The temporary credentials STS returns.
 *
 * @internal
 */
export interface StsCredentials {
  readonly AccessKeyId?: string
  readonly SecretAccessKey?: string
  readonly SessionToken?: string
  readonly Expiration?: Date
}

type StsOperation<I> = Operation<I, Record<string, { readonly Credentials?: StsCredentials } | undefined>>

const operation = <I>(name: string, input: S.StructType<S.Members, unknown, unknown>): StsOperation<I> =>
  ({ name, version: STS_API_VERSION, input, output: result(name) }) as unknown as StsOperation<I>

/**
 * `AssumeRole`: credentials for a role, signed with the source credentials.
 *
 * @internal
 */
export const AssumeRole = operation<{
  readonly RoleArn: string
  readonly RoleSessionName: string
  readonly ExternalId?: string | undefined
  readonly DurationSeconds?: number | undefined
}>(
  'AssumeRole',
  S.struct('AssumeRoleRequest', {
    RoleArn: S.member(S.string, { required: true }),
    RoleSessionName: S.member(S.string, { required: true }),
    ExternalId: S.member(S.string),
    DurationSeconds: S.member(S.integer),
  }) as never,
)

/**
 * `AssumeRoleWithWebIdentity`: credentials for a role from an OIDC token; not signed.
 *
 * @internal
 */
export const AssumeRoleWithWebIdentity = operation<{
  readonly RoleArn: string
  readonly RoleSessionName: string
  readonly WebIdentityToken: string
  readonly DurationSeconds?: number | undefined
}>(
  'AssumeRoleWithWebIdentity',
  S.struct('AssumeRoleWithWebIdentityRequest', {
    RoleArn: S.member(S.string, { required: true }),
    RoleSessionName: S.member(S.string, { required: true }),
    WebIdentityToken: S.member(S.sensitiveString, { required: true, sensitive: true }),
    DurationSeconds: S.member(S.integer),
  }) as never,
)
