/**
 * STS `GetCallerIdentity`: who the configured credentials are (account, ARN, user id). The preflight asks it first:
 * VM Import refuses a root caller, and the account and partition in the ARN make the other checks' ARNs.
 *
 * Member names and types follow the STS model (`test/fixtures/sts-identity-model.json`, botocore's `sts/2011-06-15`),
 * as AWS SDK v3's `@aws-sdk/client-sts` names them; `test/shapes/iam-model.test.ts` checks them against it.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// GetCallerIdentity
// -------------------------------------------------------------------------------------------------

// `GetCallerIdentityRequest`: no members; strict, so a misspelt member is a validation error rather than dropped.
const GetCallerIdentityRequestShape = S.struct('GetCallerIdentityRequest', {}, { strict: true })
/**
 * The input of `GetCallerIdentity`: empty.
 *
 * @public
 * @since 0.2.0
 */
export interface GetCallerIdentityRequest extends t.TypeOf<typeof GetCallerIdentityRequestShape> {}
/**
 * The input of `GetCallerIdentity`: empty.
 *
 * @public
 * @since 0.2.0
 */
export const GetCallerIdentityRequest: S.Shape<GetCallerIdentityRequest> = GetCallerIdentityRequestShape

const GetCallerIdentityResponseShape = S.struct('GetCallerIdentityResponse', {
  UserId: S.member(S.string),
  Account: S.member(S.string),
  Arn: S.member(S.string),
})
/**
 * The output of `GetCallerIdentity`: the caller's unique id, account and ARN (`arn:aws:iam::123456789012:root` for
 * the account's root user).
 *
 * @public
 * @since 0.2.0
 */
export interface GetCallerIdentityResponse extends t.TypeOf<typeof GetCallerIdentityResponseShape> {}
/**
 * The output of `GetCallerIdentity`: the caller's unique id, account and ARN (`arn:aws:iam::123456789012:root` for
 * the account's root user).
 *
 * @public
 * @since 0.2.0
 */
export const GetCallerIdentityResponse: S.Shape<GetCallerIdentityResponse> = GetCallerIdentityResponseShape
