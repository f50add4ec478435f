/**
 * The IAM operations the preflight and the `vmimport` role need, in one table: each one's action name, API version
 * and the shapes of its request and result (`shapes/Iam.ts`). They run through the same pipeline as EC2's, over the
 * AWS Query protocol, against the config's `iam` endpoint (global per partition, signed in its home region).
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import type { Service } from '../ServiceCaller.js'
import { awsQuery } from '../internal/protocol/AwsQuery.js'
import { operation, type Operation } from '../internal/protocol/Operation.js'
import {
  CreateRoleRequest,
  CreateRoleResponse,
  GetPolicyRequest,
  GetPolicyResponse,
  GetPolicyVersionRequest,
  GetPolicyVersionResponse,
  GetRolePolicyRequest,
  GetRolePolicyResponse,
  GetRoleRequest,
  GetRoleResponse,
  ListAttachedRolePoliciesRequest,
  ListAttachedRolePoliciesResponse,
  ListRolePoliciesRequest,
  ListRolePoliciesResponse,
  PutRolePolicyRequest,
  PutRolePolicyResult,
  SimulatePolicyResponse,
  SimulatePrincipalPolicyRequest,
  UpdateAssumeRolePolicyRequest,
  UpdateAssumeRolePolicyResult,
} from '../shapes/Iam.js'

// -------------------------------------------------------------------------------------------------
// services
// -------------------------------------------------------------------------------------------------

/**
 * The IAM API version every request names.
 *
 * @internal
 */
export const IAM_API_VERSION = '2010-05-08'

/**
 * IAM: AWS Query, signed as `iam`.
 *
 * @internal
 */
export const IAM: Service = { id: 'iam', signingName: 'iam', protocol: awsQuery }

// Every IAM operation names the same API version; only the retry rule differs between them.
const iam = <I, O>(name: string, input: t.Type<I, unknown, unknown>, output: t.Type<O, unknown, unknown>, idempotent: boolean): Operation<I, O> =>
  operation(name, input, output, { idempotent, version: IAM_API_VERSION })

// -------------------------------------------------------------------------------------------------
// roles
// -------------------------------------------------------------------------------------------------

/** @internal */
export const GetRole: Operation<GetRoleRequest, GetRoleResponse> = iam('GetRole', GetRoleRequest, GetRoleResponse, true)

/**
 * Not retried once it may have reached IAM: a second `CreateRole` would answer `EntityAlreadyExists` for the role
 * the first one made. `ensureVmImportRole` reads the role back instead.
 *
 * @internal
 */
export const CreateRole: Operation<CreateRoleRequest, CreateRoleResponse> = iam('CreateRole', CreateRoleRequest, CreateRoleResponse, false)

/** Writing the same document again is the same call: safe to retry. @internal */
export const UpdateAssumeRolePolicy: Operation<UpdateAssumeRolePolicyRequest, UpdateAssumeRolePolicyResult> = iam(
  'UpdateAssumeRolePolicy',
  UpdateAssumeRolePolicyRequest,
  UpdateAssumeRolePolicyResult,
  true,
)

// -------------------------------------------------------------------------------------------------
// inline policies
// -------------------------------------------------------------------------------------------------

/** Writing the same document again is the same call: safe to retry. @internal */
export const PutRolePolicy: Operation<PutRolePolicyRequest, PutRolePolicyResult> = iam('PutRolePolicy', PutRolePolicyRequest, PutRolePolicyResult, true)

/** @internal */
export const GetRolePolicy: Operation<GetRolePolicyRequest, GetRolePolicyResponse> = iam('GetRolePolicy', GetRolePolicyRequest, GetRolePolicyResponse, true)

/** @internal */
export const ListRolePolicies: Operation<ListRolePoliciesRequest, ListRolePoliciesResponse> = iam(
  'ListRolePolicies',
  ListRolePoliciesRequest,
  ListRolePoliciesResponse,
  true,
)

// -------------------------------------------------------------------------------------------------
// managed policies
// -------------------------------------------------------------------------------------------------

/** @internal */
export const ListAttachedRolePolicies: Operation<ListAttachedRolePoliciesRequest, ListAttachedRolePoliciesResponse> = iam(
  'ListAttachedRolePolicies',
  ListAttachedRolePoliciesRequest,
  ListAttachedRolePoliciesResponse,
  true,
)

/** @internal */
export const GetPolicy: Operation<GetPolicyRequest, GetPolicyResponse> = iam('GetPolicy', GetPolicyRequest, GetPolicyResponse, true)

/** @internal */
export const GetPolicyVersion: Operation<GetPolicyVersionRequest, GetPolicyVersionResponse> = iam(
  'GetPolicyVersion',
  GetPolicyVersionRequest,
  GetPolicyVersionResponse,
  true,
)

// -------------------------------------------------------------------------------------------------
// simulation
// -------------------------------------------------------------------------------------------------

/** @internal */
export const SimulatePrincipalPolicy: Operation<SimulatePrincipalPolicyRequest, SimulatePolicyResponse> = iam(
  'SimulatePrincipalPolicy',
  SimulatePrincipalPolicyRequest,
  SimulatePolicyResponse,
  true,
)

/**
 * Every IAM operation of the table, for the tests that walk them all.
 *
 * @internal
 */
export const IAM_OPERATIONS: ReadonlyArray<Operation<unknown, unknown>> = [
  GetRole,
  CreateRole,
  UpdateAssumeRolePolicy,
  PutRolePolicy,
  GetRolePolicy,
  ListRolePolicies,
  ListAttachedRolePolicies,
  GetPolicy,
  GetPolicyVersion,
  SimulatePrincipalPolicy,
] as ReadonlyArray<Operation<unknown, unknown>>
