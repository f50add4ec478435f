/**
 * The STS operation the preflight needs, `GetCallerIdentity`, run through the same pipeline as every other call
 * against the config's `sts` endpoint.
 *
 * The credential chain has its own STS description (`internal/credentials/Sts.ts`, for `AssumeRole` while
 * credentials are being resolved, before any config exists); this one is the same description, protocol and
 * signing name taken from it, with the config's service id added so a `ServiceCaller` can address it.
 *
 * @since 0.2.0
 */
import type { Service } from '../ServiceCaller.js'
import { STS as CREDENTIAL_CHAIN_STS, STS_API_VERSION } from '../internal/credentials/Sts.js'
import { operation, type Operation } from '../internal/protocol/Operation.js'
import { GetCallerIdentityRequest, GetCallerIdentityResponse } from '../shapes/Sts.js'

// -------------------------------------------------------------------------------------------------
// services
// -------------------------------------------------------------------------------------------------

/**
 * STS: AWS Query, signed as `sts`, at the config's `sts` endpoint.
 *
 * @internal
 */
export const STS: Service = { ...CREDENTIAL_CHAIN_STS, id: 'sts' }

// -------------------------------------------------------------------------------------------------
// operations
// -------------------------------------------------------------------------------------------------

/**
 * Who the caller is. A read: safe to retry.
 *
 * @internal
 */
export const GetCallerIdentity: Operation<GetCallerIdentityRequest, GetCallerIdentityResponse> = operation(
  'GetCallerIdentity',
  GetCallerIdentityRequest,
  GetCallerIdentityResponse,
  { idempotent: true, version: STS_API_VERSION },
)
