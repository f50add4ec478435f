/**
 * Tags, the tag specifications that put them on the resources a call creates, and the tag rules every operation
 * that takes tags checks before sending.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as S from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

// `Tag`: its members and wire names, declared once (the interface and the codec below are named after it).
const TagShape = S.struct(
  'Tag',
  {
    Key: S.member(S.string, { locationName: 'key' }),
    Value: S.member(S.string, { locationName: 'value' }),
  },
  { strict: true },
)
/**
 * A tag: `Key` and `Value`. The same shape is sent in `TagSpecifications` and read back in `Tags`
 * (`tagSet/item/{key,value}`).
 *
 * @public
 * @since 0.1.0
 */
export interface Tag extends t.TypeOf<typeof TagShape> {}
/**
 * A tag: `Key` and `Value`. The same shape is sent in `TagSpecifications` and read back in `Tags`
 * (`tagSet/item/{key,value}`).
 *
 * @public
 * @since 0.1.0
 */
export const Tag: S.Shape<Tag> = TagShape

/**
 * A resource type of the EC2 model (`ResourceType`): what a tag specification names.
 *
 * @public
 * @since 0.2.0
 */
export type ResourceType =
  | 'capacity-reservation'
  | 'client-vpn-endpoint'
  | 'customer-gateway'
  | 'carrier-gateway'
  | 'coip-pool'
  | 'declarative-policies-report'
  | 'dedicated-host'
  | 'dhcp-options'
  | 'egress-only-internet-gateway'
  | 'elastic-ip'
  | 'elastic-gpu'
  | 'export-image-task'
  | 'export-instance-task'
  | 'fleet'
  | 'fpga-image'
  | 'host-reservation'
  | 'image'
  | 'image-usage-report'
  | 'import-image-task'
  | 'import-snapshot-task'
  | 'instance'
  | 'instance-event-window'
  | 'internet-gateway'
  | 'ipam'
  | 'ipam-pool'
  | 'ipam-scope'
  | 'ipv4pool-ec2'
  | 'ipv6pool-ec2'
  | 'key-pair'
  | 'launch-template'
  | 'local-gateway'
  | 'local-gateway-route-table'
  | 'local-gateway-virtual-interface'
  | 'local-gateway-virtual-interface-group'
  | 'local-gateway-route-table-vpc-association'
  | 'local-gateway-route-table-virtual-interface-group-association'
  | 'natgateway'
  | 'network-acl'
  | 'network-interface'
  | 'network-insights-analysis'
  | 'network-insights-path'
  | 'network-insights-access-scope'
  | 'network-insights-access-scope-analysis'
  | 'outpost-lag'
  | 'placement-group'
  | 'prefix-list'
  | 'replace-root-volume-task'
  | 'reserved-instances'
  | 'route-table'
  | 'security-group'
  | 'security-group-rule'
  | 'service-link-virtual-interface'
  | 'snapshot'
  | 'spot-fleet-request'
  | 'spot-instances-request'
  | 'subnet'
  | 'subnet-cidr-reservation'
  | 'traffic-mirror-filter'
  | 'traffic-mirror-session'
  | 'traffic-mirror-target'
  | 'transit-gateway'
  | 'transit-gateway-attachment'
  | 'transit-gateway-connect-peer'
  | 'transit-gateway-multicast-domain'
  | 'transit-gateway-policy-table'
  | 'transit-gateway-metering-policy'
  | 'transit-gateway-route-table'
  | 'transit-gateway-route-table-announcement'
  | 'volume'
  | 'vpc'
  | 'vpc-endpoint'
  | 'vpc-endpoint-connection'
  | 'vpc-endpoint-service'
  | 'vpc-endpoint-service-permission'
  | 'vpc-peering-connection'
  | 'vpn-connection'
  | 'vpn-gateway'
  | 'vpc-flow-log'
  | 'capacity-reservation-fleet'
  | 'traffic-mirror-filter-rule'
  | 'vpc-endpoint-connection-device-type'
  | 'verified-access-instance'
  | 'verified-access-group'
  | 'verified-access-endpoint'
  | 'verified-access-policy'
  | 'verified-access-trust-provider'
  | 'vpn-connection-device-type'
  | 'vpc-block-public-access-exclusion'
  | 'vpc-encryption-control'
  | 'route-server'
  | 'route-server-endpoint'
  | 'route-server-peer'
  | 'ipam-resource-discovery'
  | 'ipam-resource-discovery-association'
  | 'instance-connect-endpoint'
  | 'verified-access-endpoint-target'
  | 'ipam-external-resource-verification-token'
  | 'capacity-block'
  | 'mac-modification-task'
  | 'ipam-prefix-list-resolver'
  | 'ipam-policy'
  | 'ipam-prefix-list-resolver-target'
  | 'secondary-interface'
  | 'secondary-network'
  | 'secondary-subnet'
  | 'capacity-manager-data-export'
  | 'vpn-concentrator'
  | 'ipam-pool-allocation'

/**
 * Every resource type a tag specification can name: the EC2 model's whole `ResourceType` enum. Each operation
 * accepts only some of them (ImportImage `import-image-task`, ImportSnapshot `import-snapshot-task`, RegisterImage
 * and CopyImage `image` and `snapshot`): its own tag specification says which.
 *
 * In 0.1 this codec admitted `import-image-task` only; that narrower codec is now `ImportImageResourceType`.
 *
 * @public
 * @since 0.1.0
 */
export const ResourceType: S.Enumeration<ResourceType> = S.enumeration('ResourceType', [
  'capacity-reservation', 'client-vpn-endpoint', 'customer-gateway', 'carrier-gateway', 'coip-pool',
  'declarative-policies-report', 'dedicated-host', 'dhcp-options', 'egress-only-internet-gateway', 'elastic-ip',
  'elastic-gpu', 'export-image-task', 'export-instance-task', 'fleet', 'fpga-image', 'host-reservation', 'image',
  'image-usage-report', 'import-image-task', 'import-snapshot-task', 'instance', 'instance-event-window',
  'internet-gateway', 'ipam', 'ipam-pool', 'ipam-scope', 'ipv4pool-ec2', 'ipv6pool-ec2', 'key-pair',
  'launch-template', 'local-gateway', 'local-gateway-route-table', 'local-gateway-virtual-interface',
  'local-gateway-virtual-interface-group', 'local-gateway-route-table-vpc-association',
  'local-gateway-route-table-virtual-interface-group-association', 'natgateway', 'network-acl', 'network-interface',
  'network-insights-analysis', 'network-insights-path', 'network-insights-access-scope',
  'network-insights-access-scope-analysis', 'outpost-lag', 'placement-group', 'prefix-list',
  'replace-root-volume-task', 'reserved-instances', 'route-table', 'security-group', 'security-group-rule',
  'service-link-virtual-interface', 'snapshot', 'spot-fleet-request', 'spot-instances-request', 'subnet',
  'subnet-cidr-reservation', 'traffic-mirror-filter', 'traffic-mirror-session', 'traffic-mirror-target',
  'transit-gateway', 'transit-gateway-attachment', 'transit-gateway-connect-peer',
  'transit-gateway-multicast-domain', 'transit-gateway-policy-table', 'transit-gateway-metering-policy',
  'transit-gateway-route-table', 'transit-gateway-route-table-announcement', 'volume', 'vpc', 'vpc-endpoint',
  'vpc-endpoint-connection', 'vpc-endpoint-service', 'vpc-endpoint-service-permission', 'vpc-peering-connection',
  'vpn-connection', 'vpn-gateway', 'vpc-flow-log', 'capacity-reservation-fleet', 'traffic-mirror-filter-rule',
  'vpc-endpoint-connection-device-type', 'verified-access-instance', 'verified-access-group',
  'verified-access-endpoint', 'verified-access-policy', 'verified-access-trust-provider',
  'vpn-connection-device-type', 'vpc-block-public-access-exclusion', 'vpc-encryption-control', 'route-server',
  'route-server-endpoint', 'route-server-peer', 'ipam-resource-discovery', 'ipam-resource-discovery-association',
  'instance-connect-endpoint', 'verified-access-endpoint-target', 'ipam-external-resource-verification-token',
  'capacity-block', 'mac-modification-task', 'ipam-prefix-list-resolver', 'ipam-policy',
  'ipam-prefix-list-resolver-target', 'secondary-interface', 'secondary-network', 'secondary-subnet',
  'capacity-manager-data-export', 'vpn-concentrator', 'ipam-pool-allocation',
] as const)

const tagList = S.list(Tag, 'item', 'TagList')

const awsPrefix = /^aws:/i

/**
 * The tag rules of EC2 (keys of 1 to 128 characters, not starting with `aws:`, values of at most 256), for the tags
 * at `path`. The same words as `ImportImageRequest`'s rules.
 *
 * @internal
 */
export const tagRules = (
  tags: ReadonlyArray<{ readonly Key?: string; readonly Value?: string }>,
  path: ReadonlyArray<string | number>,
): Array<S.RuleViolation> => {
  const out: Array<S.RuleViolation> = []
  tags.forEach((tag, j) => {
    const key = tag.Key
    if (key === undefined || key.length < 1 || key.length > 128) {
      out.push({ path: [...path, j, 'Key'], message: 'a tag key has 1 to 128 characters' })
    } else if (awsPrefix.test(key)) {
      out.push({ path: [...path, j, 'Key'], message: "a tag key may not start with 'aws:' (reserved for AWS)" })
    }
    if (tag.Value !== undefined && tag.Value.length > 256) {
      out.push({ path: [...path, j, 'Value'], message: 'a tag value has at most 256 characters' })
    }
  })
  return out
}

const specificationRules = (spec: { readonly Tags?: ReadonlyArray<Tag> }): Array<S.RuleViolation> =>
  tagRules(spec.Tags ?? [], ['Tags'])

// `TagSpecification`: its members and wire names, declared once (the interface and the codec below are named after it).
const TagSpecificationShape = S.struct(
  'TagSpecification',
  {
    ResourceType: S.member(ResourceType, { locationName: 'resourceType' }),
    Tags: S.member(tagList, { locationName: 'Tag' }),
  },
  { strict: true, rules: specificationRules },
)
/**
 * Tags for a resource a call creates: the model's `TagSpecification`, with any `ResourceType` of the model. The
 * operations take narrower ones (`ImportImageTagSpecification`, `ImportSnapshotTagSpecification`,
 * `ImageTagSpecification`), which name only the resource types they accept.
 *
 * @public
 * @since 0.1.0
 */
export interface TagSpecification extends t.TypeOf<typeof TagSpecificationShape> {}
/**
 * Tags for a resource a call creates: the model's `TagSpecification`, with any `ResourceType` of the model. The
 * operations take narrower ones (`ImportImageTagSpecification`, `ImportSnapshotTagSpecification`,
 * `ImageTagSpecification`), which name only the resource types they accept.
 *
 * @public
 * @since 0.1.0
 */
export const TagSpecification: S.Shape<TagSpecification> = TagSpecificationShape

// -------------------------------------------------------------------------------------------------
// tag specifications of one operation
// -------------------------------------------------------------------------------------------------

/**
 * The one resource type ImportImage tags: the import task it creates (not the AMI, which does not exist yet). A
 * typo or `image` is caught before sending.
 *
 * @public
 * @since 0.2.0
 */
export const ImportImageResourceType: S.Enumeration<'import-image-task'> = S.enumeration('ResourceType', [
  'import-image-task',
] as const)

// `ImportImageTagSpecification`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImportImageTagSpecificationShape = S.struct(
  'TagSpecification',
  {
    ResourceType: S.member(ImportImageResourceType, { locationName: 'resourceType' }),
    Tags: S.member(tagList, { locationName: 'Tag' }),
  },
  { strict: true },
)
/**
 * Tags for the task ImportImage creates: 0.1's `TagSpecification`, `ResourceType` `import-image-task`. Optional in
 * the member, as in 0.1: `ImportImageRequest`'s rules require it.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportImageTagSpecification extends t.TypeOf<typeof ImportImageTagSpecificationShape> {}
/**
 * Tags for the task ImportImage creates: 0.1's `TagSpecification`, `ResourceType` `import-image-task`. Optional in
 * the member, as in 0.1: `ImportImageRequest`'s rules require it.
 *
 * @public
 * @since 0.2.0
 */
export const ImportImageTagSpecification: S.Shape<ImportImageTagSpecification> = ImportImageTagSpecificationShape

// `ImportSnapshotTagSpecification`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImportSnapshotTagSpecificationShape = S.struct(
  'TagSpecification',
  {
    ResourceType: S.member(S.enumeration('ResourceType', ['import-snapshot-task'] as const), {
      locationName: 'resourceType',
      required: true,
    }),
    Tags: S.member(tagList, { locationName: 'Tag' }),
  },
  { strict: true, rules: specificationRules },
)
/**
 * Tags for the task ImportSnapshot creates: `ResourceType` is `import-snapshot-task`, and required (the snapshot
 * it makes is tagged afterwards, with CreateTags). Tag keys and values follow the EC2 tag rules.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportSnapshotTagSpecification extends t.TypeOf<typeof ImportSnapshotTagSpecificationShape> {}
/**
 * Tags for the task ImportSnapshot creates: `ResourceType` is `import-snapshot-task`, and required (the snapshot
 * it makes is tagged afterwards, with CreateTags). Tag keys and values follow the EC2 tag rules.
 *
 * @public
 * @since 0.2.0
 */
export const ImportSnapshotTagSpecification: S.Shape<ImportSnapshotTagSpecification> =
  ImportSnapshotTagSpecificationShape

// `ImageTagSpecification`: its members and wire names, declared once (the interface and the codec below are named after it).
const ImageTagSpecificationShape = S.struct(
  'TagSpecification',
  {
    ResourceType: S.member(S.enumeration('ResourceType', ['image', 'snapshot'] as const), {
      locationName: 'resourceType',
      required: true,
    }),
    Tags: S.member(tagList, { locationName: 'Tag' }),
  },
  { strict: true, rules: specificationRules },
)
/**
 * Tags for the AMI (`image`) or its snapshots (`snapshot`) that RegisterImage or CopyImage creates: "To tag the
 * AMI, the value for ResourceType must be image. If you specify another value for ResourceType, the request
 * fails." `ResourceType` is required; tag keys and values follow the EC2 tag rules.
 *
 * @public
 * @since 0.2.0
 */
export interface ImageTagSpecification extends t.TypeOf<typeof ImageTagSpecificationShape> {}
/**
 * Tags for the AMI (`image`) or its snapshots (`snapshot`) that RegisterImage or CopyImage creates: "To tag the
 * AMI, the value for ResourceType must be image. If you specify another value for ResourceType, the request
 * fails." `ResourceType` is required; tag keys and values follow the EC2 tag rules.
 *
 * @public
 * @since 0.2.0
 */
export const ImageTagSpecification: S.Shape<ImageTagSpecification> = ImageTagSpecificationShape
