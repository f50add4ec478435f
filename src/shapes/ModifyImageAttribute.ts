/**
 * `ModifyImageAttribute`: change one attribute of an AMI — who may launch it (accounts, organizations, the
 * public), its description, its IMDS support.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'
import {
  AccountId,
  AttributeValue,
  LaunchPermission,
  OperationType,
  OrganizationArn,
  OrganizationalUnitArn,
  PermissionGroup,
} from './Image.js'

// -------------------------------------------------------------------------------------------------
// request shapes
// -------------------------------------------------------------------------------------------------

// `LaunchPermissionModifications`: its members and wire names, declared once (the interface and the codec below are named after it).
const LaunchPermissionModificationsShape = S.struct(
  'LaunchPermissionModifications',
  {
    Add: S.member(S.list(LaunchPermission, 'item', 'LaunchPermissionList')),
    Remove: S.member(S.list(LaunchPermission, 'item', 'LaunchPermissionList')),
  },
  { strict: true },
)
/**
 * Launch permissions to add and to remove, each naming one account (12 digits), the public (`Group: 'all'`), an
 * organization or an organizational unit.
 *
 * @public
 * @since 0.2.0
 */
export interface LaunchPermissionModifications extends t.TypeOf<typeof LaunchPermissionModificationsShape> {}
/**
 * Launch permissions to add and to remove, each naming one account (12 digits), the public (`Group: 'all'`), an
 * organization or an organizational unit.
 *
 * @public
 * @since 0.2.0
 */
export const LaunchPermissionModifications: S.Shape<LaunchPermissionModifications> = LaunchPermissionModificationsShape

// `ModifyImageAttributeRequest`: its members and wire names, declared once (the interface and the codec below are named after it).
const ModifyImageAttributeRequestShape = S.struct(
  'ModifyImageAttributeRequest',
  {
    Attribute: S.member(S.string),
    Description: S.member(AttributeValue),
    ImageId: S.member(S.string, { required: true }),
    LaunchPermission: S.member(LaunchPermissionModifications),
    OperationType: S.member(OperationType),
    ProductCodes: S.member(S.list(S.string, 'ProductCode', 'ProductCodeStringList'), { locationName: 'ProductCode' }),
    UserGroups: S.member(S.list(PermissionGroup, 'UserGroup', 'UserGroupStringList'), { locationName: 'UserGroup' }),
    UserIds: S.member(S.list(AccountId, 'UserId', 'UserIdStringList'), { locationName: 'UserId' }),
    Value: S.member(S.string),
    OrganizationArns: S.member(S.list(OrganizationArn, 'OrganizationArn', 'OrganizationArnStringList'), {
      locationName: 'OrganizationArn',
    }),
    OrganizationalUnitArns: S.member(
      S.list(OrganizationalUnitArn, 'OrganizationalUnitArn', 'OrganizationalUnitArnStringList'),
      { locationName: 'OrganizationalUnitArn' },
    ),
    ImdsSupport: S.member(AttributeValue),
    DryRun: S.member(S.boolean, { locationName: 'dryRun' }),
  },
  { strict: true },
)
/**
 * The input of `ModifyImageAttribute`. Sharing is said either with `LaunchPermission` (`{ Add: [{ UserId }] }`)
 * or with `Attribute: 'launchPermission'`, `OperationType` and the flat lists (`UserIds`, `UserGroups`,
 * `OrganizationArns`, `OrganizationalUnitArns`); both are checked the same way: account ids of 12 digits, the
 * group `all`, organization and OU ARNs.
 *
 * @public
 * @since 0.2.0
 */
export interface ModifyImageAttributeRequest extends t.TypeOf<typeof ModifyImageAttributeRequestShape> {}
/**
 * The input of `ModifyImageAttribute`. Sharing is said either with `LaunchPermission` (`{ Add: [{ UserId }] }`)
 * or with `Attribute: 'launchPermission'`, `OperationType` and the flat lists (`UserIds`, `UserGroups`,
 * `OrganizationArns`, `OrganizationalUnitArns`); both are checked the same way: account ids of 12 digits, the
 * group `all`, organization and OU ARNs.
 *
 * @public
 * @since 0.2.0
 */
export const ModifyImageAttributeRequest: S.Shape<ModifyImageAttributeRequest> = ModifyImageAttributeRequestShape

// -------------------------------------------------------------------------------------------------
// result shapes
// -------------------------------------------------------------------------------------------------

// `ModifyImageAttributeResult`: its members and wire names, declared once (the interface and the codec below are named after it).
const ModifyImageAttributeResultShape = S.struct('ModifyImageAttributeResult', {})
/**
 * The output of `ModifyImageAttribute`: empty. The model declares no output (EC2 answers
 * `<return>true</return>`, which the model does not name); this empty structure lets the call decode its response
 * like every other call.
 *
 * @public
 * @since 0.2.0
 */
export interface ModifyImageAttributeResult extends t.TypeOf<typeof ModifyImageAttributeResultShape> {}
/**
 * The output of `ModifyImageAttribute`: empty. The model declares no output (EC2 answers
 * `<return>true</return>`, which the model does not name); this empty structure lets the call decode its response
 * like every other call.
 *
 * @public
 * @since 0.2.0
 */
export const ModifyImageAttributeResult: S.Shape<ModifyImageAttributeResult> = ModifyImageAttributeResultShape
