/**
 * IAM: the request and result shapes of the ten operations the preflight and the `vmimport` role need — `GetRole`,
 * `CreateRole`, `UpdateAssumeRolePolicy`, `PutRolePolicy`, `GetRolePolicy`, `ListRolePolicies`,
 * `ListAttachedRolePolicies`, `GetPolicy`, `GetPolicyVersion`, `SimulatePrincipalPolicy`.
 *
 * Member names, wire names and types follow the IAM model (`test/fixtures/iam-vmimport-model.json`, botocore's
 * `iam/2010-05-08`), as AWS SDK v3's `@aws-sdk/client-iam` names them; `test/shapes/iam-model.test.ts` checks every
 * declaration here against it.
 *
 * Policy documents (`AssumeRolePolicyDocument`, `PolicyDocument`, `Document`) are kept as IAM sends them: URL-encoded
 * JSON, as the SDK keeps them too. `internal/iam/PolicyDocument` decodes and parses them; a codec cannot do it,
 * because the same declaration validates the documents a request sends, which are not encoded.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// scalars
// -------------------------------------------------------------------------------------------------

const NAME = /^[\w+=,.@-]+$/
const roleName = S.constrainedString('roleNameType', (s) => s.length >= 1 && s.length <= 64 && NAME.test(s), 'a role name is 1 to 64 of A-Z a-z 0-9 _ + = , . @ -')
const policyName = S.constrainedString('policyNameType', (s) => s.length >= 1 && s.length <= 128 && NAME.test(s), 'a policy name is 1 to 128 of A-Z a-z 0-9 _ + = , . @ -')
// IAM counts the document's characters, whitespace included; the pattern is what JSON in Latin-1 can hold.
const POLICY_TEXT = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/
const policyDocument = S.constrainedString(
  'policyDocumentType',
  (s) => s.length >= 1 && s.length <= 131_072 && POLICY_TEXT.test(s),
  'a policy document is 1 to 131072 characters of tab, newline, carriage return or U+0020 to U+00FF',
)
const arn = S.constrainedString('arnType', (s) => s.length >= 20 && s.length <= 2048, 'an ARN is 20 to 2048 characters')
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/
const path = S.constrainedString('pathType', (s) => s.length <= 512 && PATH.test(s), "a path is '/' or starts and ends with '/' (at most 512 characters)")
const maxItems = S.integer

// -------------------------------------------------------------------------------------------------
// shared shapes
// -------------------------------------------------------------------------------------------------

const IamTagShape = S.struct('Tag', {
  Key: S.member(S.string, { required: true }),
  Value: S.member(S.string, { required: true }),
})
/**
 * A tag on an IAM entity. Unlike EC2's, both members are required.
 *
 * @public
 * @since 0.2.0
 */
export interface IamTag extends t.TypeOf<typeof IamTagShape> {}
/**
 * The codec of `IamTag`.
 *
 * @public
 * @since 0.2.0
 */
export const IamTag: S.Shape<IamTag> = IamTagShape

/**
 * What kind of permissions boundary a role has: today only a managed policy.
 *
 * @public
 * @since 0.2.0
 */
export type PermissionsBoundaryAttachmentType = 'PermissionsBoundaryPolicy' | (string & {})
const PermissionsBoundaryAttachmentType = S.openEnumeration('PermissionsBoundaryAttachmentType', ['PermissionsBoundaryPolicy'] as const)

const AttachedPermissionsBoundaryShape = S.struct('AttachedPermissionsBoundary', {
  PermissionsBoundaryType: S.member(PermissionsBoundaryAttachmentType),
  PermissionsBoundaryArn: S.member(S.string),
})
/**
 * The permissions boundary of a role: the managed policy that caps what its other policies can grant.
 *
 * @public
 * @since 0.2.0
 */
export interface AttachedPermissionsBoundary extends t.TypeOf<typeof AttachedPermissionsBoundaryShape> {}
/**
 * The codec of `AttachedPermissionsBoundary`.
 *
 * @public
 * @since 0.2.0
 */
export const AttachedPermissionsBoundary: S.Shape<AttachedPermissionsBoundary> = AttachedPermissionsBoundaryShape

const RoleLastUsedShape = S.struct('RoleLastUsed', {
  LastUsedDate: S.member(S.timestamp()),
  Region: S.member(S.string),
})
/**
 * When and where a role was last used.
 *
 * @public
 * @since 0.2.0
 */
export interface RoleLastUsed extends t.TypeOf<typeof RoleLastUsedShape> {}
/**
 * The codec of `RoleLastUsed`.
 *
 * @public
 * @since 0.2.0
 */
export const RoleLastUsed: S.Shape<RoleLastUsed> = RoleLastUsedShape

const RoleShape = S.struct('Role', {
  Path: S.member(S.string, { required: true }),
  RoleName: S.member(S.string, { required: true }),
  RoleId: S.member(S.string, { required: true }),
  Arn: S.member(S.string, { required: true }),
  CreateDate: S.member(S.timestamp(), { required: true }),
  /** URL-encoded JSON, as IAM sends it. */
  AssumeRolePolicyDocument: S.member(S.string),
  Description: S.member(S.string),
  MaxSessionDuration: S.member(S.integer),
  PermissionsBoundary: S.member(AttachedPermissionsBoundary),
  Tags: S.member(S.list(IamTag, 'member', 'Array<Tag>')),
  RoleLastUsed: S.member(RoleLastUsed),
})
/**
 * An IAM role. `AssumeRolePolicyDocument` is URL-encoded JSON, as IAM sends it.
 *
 * @public
 * @since 0.2.0
 */
export interface Role extends t.TypeOf<typeof RoleShape> {}
/**
 * The codec of `Role`.
 *
 * @public
 * @since 0.2.0
 */
export const Role: S.Shape<Role> = RoleShape

// -------------------------------------------------------------------------------------------------
// GetRole, CreateRole, UpdateAssumeRolePolicy
// -------------------------------------------------------------------------------------------------

const GetRoleRequestShape = S.struct('GetRoleRequest', { RoleName: S.member(roleName, { required: true }) }, { strict: true })
/**
 * The input of `GetRole`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetRoleRequest extends t.TypeOf<typeof GetRoleRequestShape> {}
/**
 * The input of `GetRole`.
 *
 * @public
 * @since 0.2.0
 */
export const GetRoleRequest: S.Shape<GetRoleRequest> = GetRoleRequestShape

const GetRoleResponseShape = S.struct('GetRoleResponse', { Role: S.member(Role, { required: true }) })
/**
 * The output of `GetRole`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetRoleResponse extends t.TypeOf<typeof GetRoleResponseShape> {}
/**
 * The output of `GetRole`.
 *
 * @public
 * @since 0.2.0
 */
export const GetRoleResponse: S.Shape<GetRoleResponse> = GetRoleResponseShape

const CreateRoleRequestShape = S.struct(
  'CreateRoleRequest',
  {
    Path: S.member(path),
    RoleName: S.member(roleName, { required: true }),
    AssumeRolePolicyDocument: S.member(policyDocument, { required: true }),
    Description: S.member(S.constrainedString('roleDescriptionType', (s) => s.length <= 1000, 'a role description is at most 1000 characters')),
    MaxSessionDuration: S.member(S.integer),
    PermissionsBoundary: S.member(arn),
    Tags: S.member(S.list(IamTag, 'member', 'Array<Tag>')),
  },
  { strict: true },
)
/**
 * The input of `CreateRole`.
 *
 * @public
 * @since 0.2.0
 */
export interface CreateRoleRequest extends t.TypeOf<typeof CreateRoleRequestShape> {}
/**
 * The input of `CreateRole`.
 *
 * @public
 * @since 0.2.0
 */
export const CreateRoleRequest: S.Shape<CreateRoleRequest> = CreateRoleRequestShape

const CreateRoleResponseShape = S.struct('CreateRoleResponse', { Role: S.member(Role, { required: true }) })
/**
 * The output of `CreateRole`.
 *
 * @public
 * @since 0.2.0
 */
export interface CreateRoleResponse extends t.TypeOf<typeof CreateRoleResponseShape> {}
/**
 * The output of `CreateRole`.
 *
 * @public
 * @since 0.2.0
 */
export const CreateRoleResponse: S.Shape<CreateRoleResponse> = CreateRoleResponseShape

const UpdateAssumeRolePolicyRequestShape = S.struct(
  'UpdateAssumeRolePolicyRequest',
  {
    RoleName: S.member(roleName, { required: true }),
    PolicyDocument: S.member(policyDocument, { required: true }),
  },
  { strict: true },
)
/**
 * The input of `UpdateAssumeRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface UpdateAssumeRolePolicyRequest extends t.TypeOf<typeof UpdateAssumeRolePolicyRequestShape> {}
/**
 * The input of `UpdateAssumeRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const UpdateAssumeRolePolicyRequest: S.Shape<UpdateAssumeRolePolicyRequest> = UpdateAssumeRolePolicyRequestShape

// The model gives UpdateAssumeRolePolicy and PutRolePolicy no output: their results have no members.
const UpdateAssumeRolePolicyResultShape = S.struct('UpdateAssumeRolePolicyResult', {})
/**
 * The output of `UpdateAssumeRolePolicy`: empty (the model gives the operation no output).
 *
 * @public
 * @since 0.2.0
 */
export interface UpdateAssumeRolePolicyResult extends t.TypeOf<typeof UpdateAssumeRolePolicyResultShape> {}
/**
 * The output of `UpdateAssumeRolePolicy`: empty (the model gives the operation no output).
 *
 * @public
 * @since 0.2.0
 */
export const UpdateAssumeRolePolicyResult: S.Shape<UpdateAssumeRolePolicyResult> = UpdateAssumeRolePolicyResultShape

// -------------------------------------------------------------------------------------------------
// inline policies: PutRolePolicy, GetRolePolicy, ListRolePolicies
// -------------------------------------------------------------------------------------------------

const PutRolePolicyRequestShape = S.struct(
  'PutRolePolicyRequest',
  {
    RoleName: S.member(roleName, { required: true }),
    PolicyName: S.member(policyName, { required: true }),
    PolicyDocument: S.member(policyDocument, { required: true }),
  },
  { strict: true },
)
/**
 * The input of `PutRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface PutRolePolicyRequest extends t.TypeOf<typeof PutRolePolicyRequestShape> {}
/**
 * The input of `PutRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const PutRolePolicyRequest: S.Shape<PutRolePolicyRequest> = PutRolePolicyRequestShape

const PutRolePolicyResultShape = S.struct('PutRolePolicyResult', {})
/**
 * The output of `PutRolePolicy`: empty (the model gives the operation no output).
 *
 * @public
 * @since 0.2.0
 */
export interface PutRolePolicyResult extends t.TypeOf<typeof PutRolePolicyResultShape> {}
/**
 * The output of `PutRolePolicy`: empty (the model gives the operation no output).
 *
 * @public
 * @since 0.2.0
 */
export const PutRolePolicyResult: S.Shape<PutRolePolicyResult> = PutRolePolicyResultShape

const GetRolePolicyRequestShape = S.struct(
  'GetRolePolicyRequest',
  {
    RoleName: S.member(roleName, { required: true }),
    PolicyName: S.member(policyName, { required: true }),
  },
  { strict: true },
)
/**
 * The input of `GetRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetRolePolicyRequest extends t.TypeOf<typeof GetRolePolicyRequestShape> {}
/**
 * The input of `GetRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const GetRolePolicyRequest: S.Shape<GetRolePolicyRequest> = GetRolePolicyRequestShape

const GetRolePolicyResponseShape = S.struct('GetRolePolicyResponse', {
  RoleName: S.member(S.string, { required: true }),
  PolicyName: S.member(S.string, { required: true }),
  /** URL-encoded JSON, as IAM sends it. */
  PolicyDocument: S.member(S.string, { required: true }),
})
/**
 * The output of `GetRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetRolePolicyResponse extends t.TypeOf<typeof GetRolePolicyResponseShape> {}
/**
 * The output of `GetRolePolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const GetRolePolicyResponse: S.Shape<GetRolePolicyResponse> = GetRolePolicyResponseShape

const ListRolePoliciesRequestShape = S.struct(
  'ListRolePoliciesRequest',
  {
    RoleName: S.member(roleName, { required: true }),
    Marker: S.member(S.string),
    MaxItems: S.member(maxItems),
  },
  { strict: true },
)
/**
 * The input of `ListRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export interface ListRolePoliciesRequest extends t.TypeOf<typeof ListRolePoliciesRequestShape> {}
/**
 * The input of `ListRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export const ListRolePoliciesRequest: S.Shape<ListRolePoliciesRequest> = ListRolePoliciesRequestShape

const ListRolePoliciesResponseShape = S.struct('ListRolePoliciesResponse', {
  PolicyNames: S.member(S.list(S.string), { required: true }),
  IsTruncated: S.member(S.boolean),
  Marker: S.member(S.string),
})
/**
 * The output of `ListRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export interface ListRolePoliciesResponse extends t.TypeOf<typeof ListRolePoliciesResponseShape> {}
/**
 * The output of `ListRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export const ListRolePoliciesResponse: S.Shape<ListRolePoliciesResponse> = ListRolePoliciesResponseShape

// -------------------------------------------------------------------------------------------------
// managed policies: ListAttachedRolePolicies, GetPolicy, GetPolicyVersion
// -------------------------------------------------------------------------------------------------

const ListAttachedRolePoliciesRequestShape = S.struct(
  'ListAttachedRolePoliciesRequest',
  {
    RoleName: S.member(roleName, { required: true }),
    PathPrefix: S.member(S.string),
    Marker: S.member(S.string),
    MaxItems: S.member(maxItems),
  },
  { strict: true },
)
/**
 * The input of `ListAttachedRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export interface ListAttachedRolePoliciesRequest extends t.TypeOf<typeof ListAttachedRolePoliciesRequestShape> {}
/**
 * The input of `ListAttachedRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export const ListAttachedRolePoliciesRequest: S.Shape<ListAttachedRolePoliciesRequest> = ListAttachedRolePoliciesRequestShape

const AttachedPolicyShape = S.struct('AttachedPolicy', {
  PolicyName: S.member(S.string),
  PolicyArn: S.member(S.string),
})
/**
 * A managed policy attached to a role.
 *
 * @public
 * @since 0.2.0
 */
export interface AttachedPolicy extends t.TypeOf<typeof AttachedPolicyShape> {}
/**
 * The codec of `AttachedPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const AttachedPolicy: S.Shape<AttachedPolicy> = AttachedPolicyShape

const ListAttachedRolePoliciesResponseShape = S.struct('ListAttachedRolePoliciesResponse', {
  AttachedPolicies: S.member(S.list(AttachedPolicy)),
  IsTruncated: S.member(S.boolean),
  Marker: S.member(S.string),
})
/**
 * The output of `ListAttachedRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export interface ListAttachedRolePoliciesResponse extends t.TypeOf<typeof ListAttachedRolePoliciesResponseShape> {}
/**
 * The output of `ListAttachedRolePolicies`.
 *
 * @public
 * @since 0.2.0
 */
export const ListAttachedRolePoliciesResponse: S.Shape<ListAttachedRolePoliciesResponse> = ListAttachedRolePoliciesResponseShape

const GetPolicyRequestShape = S.struct('GetPolicyRequest', { PolicyArn: S.member(arn, { required: true }) }, { strict: true })
/**
 * The input of `GetPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetPolicyRequest extends t.TypeOf<typeof GetPolicyRequestShape> {}
/**
 * The input of `GetPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const GetPolicyRequest: S.Shape<GetPolicyRequest> = GetPolicyRequestShape

const PolicyShape = S.struct('Policy', {
  PolicyName: S.member(S.string),
  PolicyId: S.member(S.string),
  Arn: S.member(S.string),
  Path: S.member(S.string),
  DefaultVersionId: S.member(S.string),
  AttachmentCount: S.member(S.integer),
  PermissionsBoundaryUsageCount: S.member(S.integer),
  IsAttachable: S.member(S.boolean),
  Description: S.member(S.string),
  CreateDate: S.member(S.timestamp()),
  UpdateDate: S.member(S.timestamp()),
  Tags: S.member(S.list(IamTag, 'member', 'Array<Tag>')),
})
/**
 * A managed policy (its default version's document is read with `GetPolicyVersion`).
 *
 * @public
 * @since 0.2.0
 */
export interface Policy extends t.TypeOf<typeof PolicyShape> {}
/**
 * The codec of `Policy`.
 *
 * @public
 * @since 0.2.0
 */
export const Policy: S.Shape<Policy> = PolicyShape

const GetPolicyResponseShape = S.struct('GetPolicyResponse', { Policy: S.member(Policy) })
/**
 * The output of `GetPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetPolicyResponse extends t.TypeOf<typeof GetPolicyResponseShape> {}
/**
 * The output of `GetPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const GetPolicyResponse: S.Shape<GetPolicyResponse> = GetPolicyResponseShape

const POLICY_VERSION = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/
const GetPolicyVersionRequestShape = S.struct(
  'GetPolicyVersionRequest',
  {
    PolicyArn: S.member(arn, { required: true }),
    VersionId: S.member(S.constrainedString('policyVersionIdType', (s) => POLICY_VERSION.test(s), 'a policy version id is v1, v2, …'), {
      required: true,
    }),
  },
  { strict: true },
)
/**
 * The input of `GetPolicyVersion`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetPolicyVersionRequest extends t.TypeOf<typeof GetPolicyVersionRequestShape> {}
/**
 * The input of `GetPolicyVersion`.
 *
 * @public
 * @since 0.2.0
 */
export const GetPolicyVersionRequest: S.Shape<GetPolicyVersionRequest> = GetPolicyVersionRequestShape

const PolicyVersionShape = S.struct('PolicyVersion', {
  /** URL-encoded JSON, as IAM sends it. */
  Document: S.member(S.string),
  VersionId: S.member(S.string),
  IsDefaultVersion: S.member(S.boolean),
  CreateDate: S.member(S.timestamp()),
})
/**
 * One version of a managed policy. `Document` is URL-encoded JSON, as IAM sends it.
 *
 * @public
 * @since 0.2.0
 */
export interface PolicyVersion extends t.TypeOf<typeof PolicyVersionShape> {}
/**
 * The codec of `PolicyVersion`.
 *
 * @public
 * @since 0.2.0
 */
export const PolicyVersion: S.Shape<PolicyVersion> = PolicyVersionShape

const GetPolicyVersionResponseShape = S.struct('GetPolicyVersionResponse', { PolicyVersion: S.member(PolicyVersion) })
/**
 * The output of `GetPolicyVersion`.
 *
 * @public
 * @since 0.2.0
 */
export interface GetPolicyVersionResponse extends t.TypeOf<typeof GetPolicyVersionResponseShape> {}
/**
 * The output of `GetPolicyVersion`.
 *
 * @public
 * @since 0.2.0
 */
export const GetPolicyVersionResponse: S.Shape<GetPolicyVersionResponse> = GetPolicyVersionResponseShape

// -------------------------------------------------------------------------------------------------
// SimulatePrincipalPolicy
// -------------------------------------------------------------------------------------------------

/**
 * The type of a context key's values in a simulation.
 *
 * @public
 * @since 0.2.0
 */
export type ContextKeyTypeEnum =
  | 'string'
  | 'stringList'
  | 'numeric'
  | 'numericList'
  | 'boolean'
  | 'booleanList'
  | 'ip'
  | 'ipList'
  | 'binary'
  | 'binaryList'
  | 'date'
  | 'dateList'
const ContextKeyTypeEnum = S.enumeration<ContextKeyTypeEnum>('ContextKeyTypeEnum', [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
])

const ContextEntryShape = S.struct(
  'ContextEntry',
  {
    ContextKeyName: S.member(S.constrainedString('ContextKeyNameType', (s) => s.length >= 5 && s.length <= 256, 'a context key name is 5 to 256 characters')),
    ContextKeyValues: S.member(S.list(S.string)),
    ContextKeyType: S.member(ContextKeyTypeEnum),
  },
  { strict: true },
)
/**
 * A condition key's value for a simulation (`aws:SourceIp`, `sts:ExternalId`, …).
 *
 * @public
 * @since 0.2.0
 */
export interface ContextEntry extends t.TypeOf<typeof ContextEntryShape> {}
/**
 * The codec of `ContextEntry`.
 *
 * @public
 * @since 0.2.0
 */
export const ContextEntry: S.Shape<ContextEntry> = ContextEntryShape

const actionName = S.constrainedString('ActionNameType', (s) => s.length >= 3 && s.length <= 128, 'an action name is 3 to 128 characters')
const resourceName = S.constrainedString('ResourceNameType', (s) => s.length >= 1 && s.length <= 2048, 'a resource name is 1 to 2048 characters')

const SimulatePrincipalPolicyRequestShape = S.struct(
  'SimulatePrincipalPolicyRequest',
  {
    PolicySourceArn: S.member(arn, { required: true }),
    PolicyInputList: S.member(S.list(policyDocument)),
    PermissionsBoundaryPolicyInputList: S.member(S.list(policyDocument)),
    ActionNames: S.member(S.list(actionName), { required: true }),
    ResourceArns: S.member(S.list(resourceName)),
    ResourcePolicy: S.member(policyDocument),
    ResourceOwner: S.member(resourceName),
    CallerArn: S.member(resourceName),
    ContextEntries: S.member(S.list(ContextEntry)),
    ResourceHandlingOption: S.member(
      S.constrainedString('ResourceHandlingOptionType', (s) => s.length >= 1 && s.length <= 64, 'a resource handling option is 1 to 64 characters'),
    ),
    MaxItems: S.member(maxItems),
    Marker: S.member(S.string),
  },
  { strict: true },
)
/**
 * The input of `SimulatePrincipalPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface SimulatePrincipalPolicyRequest extends t.TypeOf<typeof SimulatePrincipalPolicyRequestShape> {}
/**
 * The input of `SimulatePrincipalPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const SimulatePrincipalPolicyRequest: S.Shape<SimulatePrincipalPolicyRequest> = SimulatePrincipalPolicyRequestShape

/**
 * A simulated decision. Open: a value IAM adds later still decodes.
 *
 * @public
 * @since 0.2.0
 */
export type PolicyEvaluationDecisionType = 'allowed' | 'explicitDeny' | 'implicitDeny' | (string & {})
const PolicyEvaluationDecisionType = S.openEnumeration('PolicyEvaluationDecisionType', ['allowed', 'explicitDeny', 'implicitDeny'] as const)

/**
 * Where a matched statement comes from.
 *
 * @public
 * @since 0.2.0
 */
export type PolicySourceType = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none' | (string & {})
const PolicySourceType = S.openEnumeration('PolicySourceType', ['user', 'group', 'role', 'aws-managed', 'user-managed', 'resource', 'none'] as const)

const PositionShape = S.struct('Position', { Line: S.member(S.integer), Column: S.member(S.integer) })
/**
 * `Position`, as the IAM model has it.
 *
 * @public
 * @since 0.2.0
 */
export interface Position extends t.TypeOf<typeof PositionShape> {}
/**
 * The codec of `Position`.
 *
 * @public
 * @since 0.2.0
 */
export const Position: S.Shape<Position> = PositionShape

const StatementShape = S.struct('Statement', {
  SourcePolicyId: S.member(S.string),
  SourcePolicyType: S.member(PolicySourceType),
  StartPosition: S.member(Position),
  EndPosition: S.member(Position),
})
/**
 * A statement a simulation matched.
 *
 * @public
 * @since 0.2.0
 */
export interface Statement extends t.TypeOf<typeof StatementShape> {}
/**
 * The codec of `Statement`.
 *
 * @public
 * @since 0.2.0
 */
export const Statement: S.Shape<Statement> = StatementShape

const OrganizationsDecisionDetailShape = S.struct('OrganizationsDecisionDetail', { AllowedByOrganizations: S.member(S.boolean) })
/**
 * `OrganizationsDecisionDetail`, as the IAM model has it.
 *
 * @public
 * @since 0.2.0
 */
export interface OrganizationsDecisionDetail extends t.TypeOf<typeof OrganizationsDecisionDetailShape> {}
/**
 * The codec of `OrganizationsDecisionDetail`.
 *
 * @public
 * @since 0.2.0
 */
export const OrganizationsDecisionDetail: S.Shape<OrganizationsDecisionDetail> = OrganizationsDecisionDetailShape

const PermissionsBoundaryDecisionDetailShape = S.struct('PermissionsBoundaryDecisionDetail', {
  AllowedByPermissionsBoundary: S.member(S.boolean),
})
/**
 * `PermissionsBoundaryDecisionDetail`, as the IAM model has it.
 *
 * @public
 * @since 0.2.0
 */
export interface PermissionsBoundaryDecisionDetail extends t.TypeOf<typeof PermissionsBoundaryDecisionDetailShape> {}
/**
 * The codec of `PermissionsBoundaryDecisionDetail`.
 *
 * @public
 * @since 0.2.0
 */
export const PermissionsBoundaryDecisionDetail: S.Shape<PermissionsBoundaryDecisionDetail> = PermissionsBoundaryDecisionDetailShape

const evalDecisionDetails = S.map(PolicyEvaluationDecisionType, 'key', 'value', 'Record<string, PolicyEvaluationDecisionType>')

const ResourceSpecificResultShape = S.struct('ResourceSpecificResult', {
  EvalResourceName: S.member(S.string, { required: true }),
  EvalResourceDecision: S.member(PolicyEvaluationDecisionType, { required: true }),
  MatchedStatements: S.member(S.list(Statement)),
  MissingContextValues: S.member(S.list(S.string)),
  EvalDecisionDetails: S.member(evalDecisionDetails),
  PermissionsBoundaryDecisionDetail: S.member(PermissionsBoundaryDecisionDetail),
})
/**
 * `ResourceSpecificResult`, as the IAM model has it.
 *
 * @public
 * @since 0.2.0
 */
export interface ResourceSpecificResult extends t.TypeOf<typeof ResourceSpecificResultShape> {}
/**
 * The codec of `ResourceSpecificResult`.
 *
 * @public
 * @since 0.2.0
 */
export const ResourceSpecificResult: S.Shape<ResourceSpecificResult> = ResourceSpecificResultShape

const EvaluationResultShape = S.struct('EvaluationResult', {
  EvalActionName: S.member(S.string, { required: true }),
  EvalResourceName: S.member(S.string),
  EvalDecision: S.member(PolicyEvaluationDecisionType, { required: true }),
  MatchedStatements: S.member(S.list(Statement)),
  MissingContextValues: S.member(S.list(S.string)),
  OrganizationsDecisionDetail: S.member(OrganizationsDecisionDetail),
  PermissionsBoundaryDecisionDetail: S.member(PermissionsBoundaryDecisionDetail),
  EvalDecisionDetails: S.member(evalDecisionDetails),
  ResourceSpecificResults: S.member(S.list(ResourceSpecificResult)),
})
/**
 * The simulated decision for one action (and resource).
 *
 * @public
 * @since 0.2.0
 */
export interface EvaluationResult extends t.TypeOf<typeof EvaluationResultShape> {}
/**
 * The codec of `EvaluationResult`.
 *
 * @public
 * @since 0.2.0
 */
export const EvaluationResult: S.Shape<EvaluationResult> = EvaluationResultShape

const SimulatePolicyResponseShape = S.struct('SimulatePolicyResponse', {
  EvaluationResults: S.member(S.list(EvaluationResult)),
  IsTruncated: S.member(S.boolean),
  Marker: S.member(S.string),
})
/**
 * The output of `SimulatePrincipalPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export interface SimulatePolicyResponse extends t.TypeOf<typeof SimulatePolicyResponseShape> {}
/**
 * The output of `SimulatePrincipalPolicy`.
 *
 * @public
 * @since 0.2.0
 */
export const SimulatePolicyResponse: S.Shape<SimulatePolicyResponse> = SimulatePolicyResponseShape
