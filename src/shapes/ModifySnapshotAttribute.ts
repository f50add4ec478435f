/**
 * `ModifySnapshotAttribute`: change who may create volumes from a snapshot (share it with accounts, or make it
 * public).
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import { AccountId, OperationType, PermissionGroup } from './Image.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

/**
 * The snapshot attributes `ModifySnapshotAttribute` changes.
 *
 * @public
 * @since 0.2.0
 */
export type SnapshotAttributeName = 'productCodes' | 'createVolumePermission'
/**
 * The codec of `SnapshotAttributeName`.
 *
 * @public
 * @since 0.2.0
 */
export const SnapshotAttributeName: S.Enumeration<SnapshotAttributeName> = S.enumeration('SnapshotAttributeName', [
  'productCodes',
  'createVolumePermission',
] as const)

const createVolumePermissionRules = (p: { UserId?: string; Group?: string }): Array<S.RuleViolation> =>
  (p.UserId === undefined) === (p.Group === undefined)
    ? [
        {
          path: p.UserId === undefined ? [] : ['Group'],
          message: `a create-volume permission names exactly one of UserId or Group (${p.UserId === undefined ? 'none' : 'both'} given)`,
        },
      ]
    : []

// `CreateVolumePermission`: its members and wire names, declared once (the interface and the codec below are named after it).
const CreateVolumePermissionShape = S.struct(
  'CreateVolumePermission',
  {
    UserId: S.member(AccountId, { locationName: 'userId' }),
    Group: S.member(PermissionGroup, { locationName: 'group' }),
  },
  { strict: true, rules: createVolumePermissionRules },
)
/**
 * The members of `CreateVolumePermission`, before its rules narrow them.
 *
 * @public
 * @since 0.2.0
 */
export interface CreateVolumePermissionMembers extends t.TypeOf<typeof CreateVolumePermissionShape> {}

/**
 * Who may create volumes from a snapshot: exactly one of an account (`UserId`, 12 digits) or the public
 * (`Group: 'all'`).
 *
 * @public
 * @since 0.2.0
 */
export type CreateVolumePermission = { UserId: string; Group?: never } | { Group: PermissionGroup; UserId?: never }

/**
 * The codec of `CreateVolumePermission`: its members and its rules.
 *
 * @public
 * @since 0.2.0
 */
export const CreateVolumePermission: S.Shape<CreateVolumePermission> =
  S.narrow<CreateVolumePermission>()(CreateVolumePermissionShape)

// `CreateVolumePermissionModifications`: its members and wire names, declared once (the interface and the codec below are named after it).
const CreateVolumePermissionModificationsShape = S.struct(
  'CreateVolumePermissionModifications',
  {
    Add: S.member(S.list(CreateVolumePermission, 'item', 'CreateVolumePermissionList')),
    Remove: S.member(S.list(CreateVolumePermission, 'item', 'CreateVolumePermissionList')),
  },
  { strict: true },
)
/**
 * Create-volume permissions to add and to remove.
 *
 * @public
 * @since 0.2.0
 */
export interface CreateVolumePermissionModifications extends t.TypeOf<typeof CreateVolumePermissionModificationsShape> {}
/**
 * Create-volume permissions to add and to remove.
 *
 * @public
 * @since 0.2.0
 */
export const CreateVolumePermissionModifications: S.Shape<CreateVolumePermissionModifications> =
  CreateVolumePermissionModificationsShape

// `ModifySnapshotAttributeRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const ModifySnapshotAttributeRequestShape = S.struct(
  'ModifySnapshotAttributeRequest',
  {
    Attribute: S.member(SnapshotAttributeName),
    CreateVolumePermission: S.member(CreateVolumePermissionModifications),
    GroupNames: S.member(S.list(PermissionGroup, 'GroupName', 'GroupNameStringList'), { locationName: 'UserGroup' }),
    OperationType: S.member(OperationType),
    SnapshotId: S.member(S.string, { required: true }),
    UserIds: S.member(S.list(AccountId, 'UserId', 'UserIdStringList'), { locationName: 'UserId' }),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
  },
  { strict: true },
)
/**
 * The input of `ModifySnapshotAttribute`. Sharing is said either with `CreateVolumePermission`
 * (`{ Add: [{ UserId }] }`) or with `Attribute: 'createVolumePermission'`, `OperationType` and the flat lists
 * (`UserIds`, `GroupNames`); both are checked the same way: account ids of 12 digits, the group `all`.
 *
 * @public
 * @since 0.2.0
 */
export interface ModifySnapshotAttributeRequest extends t.TypeOf<typeof ModifySnapshotAttributeRequestShape> {}
/**
 * The input of `ModifySnapshotAttribute`. Sharing is said either with `CreateVolumePermission`
 * (`{ Add: [{ UserId }] }`) or with `Attribute: 'createVolumePermission'`, `OperationType` and the flat lists
 * (`UserIds`, `GroupNames`); both are checked the same way: account ids of 12 digits, the group `all`.
 *
 * @public
 * @since 0.2.0
 */
export const ModifySnapshotAttributeRequest: S.Shape<ModifySnapshotAttributeRequest> = ModifySnapshotAttributeRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `ModifySnapshotAttributeResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const ModifySnapshotAttributeResultShape = S.struct('ModifySnapshotAttributeResult', {})
/**
 * The output of `ModifySnapshotAttribute`: empty. The model declares no output (EC2 answers
 * `<return>true</return>`, which the model does not name); this empty structure lets the call decode its response
 * like every other call.
 *
 * @public
 * @since 0.2.0
 */
export interface ModifySnapshotAttributeResult extends t.TypeOf<typeof ModifySnapshotAttributeResultShape> {}
/**
 * The output of `ModifySnapshotAttribute`: empty. The model declares no output (EC2 answers
 * `<return>true</return>`, which the model does not name); this empty structure lets the call decode its response
 * like every other call.
 *
 * @public
 * @since 0.2.0
 */
export const ModifySnapshotAttributeResult: S.Shape<ModifySnapshotAttributeResult> = ModifySnapshotAttributeResultShape
