/**
 * What the VM Import/Export user guide ("Required service role") specifies for the `vmimport` role, as data: the
 * trust policy (`vmie.amazonaws.com` may assume the role, with `sts:ExternalId` = `vmimport`), the permissions the
 * role needs (S3 read on the image's bucket, the EC2 snapshot and image actions, the KMS actions for encrypted images
 * and snapshots), and the documents that grant them — with ARNs for the caller's partition (`aws`, `aws-cn`,
 * `aws-us-gov`, …), as CoreOS's `CreateImportRole` writes them.
 *
 * The preflight checks a role against these requirements; `ensureVmImportRole` writes these documents. One module,
 * so the two can never disagree about what the role needs.
 *
 * @since 0.2.0
 */
import { listOf, POLICY_VERSION, type PolicyDocument, type PolicyStatement } from './PolicyDocument.js'

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The service principal VM Import assumes the role as.
 *
 * @internal
 */
export const VMIE_PRINCIPAL = 'vmie.amazonaws.com'

/**
 * The external id VM Import passes when it assumes the role.
 *
 * @internal
 */
export const VMIMPORT_EXTERNAL_ID = 'vmimport'

/**
 * The inline policy's name, as the guide writes it.
 *
 * @internal
 */
export const VMIMPORT_POLICY_NAME = 'vmimport'

/**
 * The S3 actions the role needs on the image's bucket (`GetBucketLocation`, `ListBucket`) and object (`GetObject`).
 *
 * @internal
 */
export const S3_ACTIONS = ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'] as const

/**
 * The EC2 actions the role needs: on snapshots and images it makes, and to describe them (`ec2:Describe*`, checked
 * through the describe calls the service makes).
 *
 * @internal
 */
export const EC2_ACTIONS = ['ec2:ModifySnapshotAttribute', 'ec2:CopySnapshot', 'ec2:RegisterImage', 'ec2:Describe*'] as const

/**
 * The concrete describe calls `ec2:Describe*` stands for in the check (a policy granting only some describes
 * grants less than the guide's wildcard).
 *
 * @internal
 */
export const EC2_DESCRIBE_ACTIONS = ['ec2:DescribeImages', 'ec2:DescribeSnapshots', 'ec2:DescribeImportImageTasks', 'ec2:DescribeImportSnapshotTasks'] as const

/**
 * The KMS actions the guide grants the role for encrypted images and snapshots.
 *
 * @internal
 */
export const KMS_ACTIONS = ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const

/**
 * The KMS actions the check asks for: `kms:Decrypt` to read an SSE-KMS object; the others, by a concrete name, to
 * encrypt the snapshots with a key.
 *
 * @internal
 */
export const KMS_CHECK_ACTIONS = {
  read: ['kms:Decrypt'],
  encrypt: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
} as const

// -------------------------------------------------------------------------------------------------
// ARNs
// -------------------------------------------------------------------------------------------------

/**
 * The partition of an ARN (`arn:aws-cn:…` → `aws-cn`), or `undefined` for a text that is not one.
 *
 * @internal
 */
export const partitionOfArn = (arn: string): string | undefined => /^arn:([a-z-]+):/.exec(arn)?.[1]

/**
 * The ARN of a bucket in a partition.
 *
 * @internal
 */
export const bucketArn = (partition: string, bucket: string): string => `arn:${partition}:s3:::${bucket}`

/**
 * The ARN of an object in a partition.
 *
 * @internal
 */
export const objectArn = (partition: string, bucket: string, key: string): string => `arn:${partition}:s3:::${bucket}/${key}`

/**
 * The ARN of a role (with its path: `/` for none).
 *
 * @internal
 */
export const roleArn = (partition: string, account: string, roleName: string, path = '/'): string => `arn:${partition}:iam::${account}:role${path}${roleName}`

// -------------------------------------------------------------------------------------------------
// documents
// -------------------------------------------------------------------------------------------------

/**
 * The trust policy statement the guide specifies. AWS's sample spells the key `sts:Externalid`; condition keys are
 * case-insensitive, and this is written as the service documents it.
 *
 * @internal
 */
export const vmieTrustStatement: PolicyStatement = {
  Effect: 'Allow',
  Principal: { Service: VMIE_PRINCIPAL },
  Action: 'sts:AssumeRole',
  Condition: { StringEquals: { 'sts:Externalid': VMIMPORT_EXTERNAL_ID } },
}

/**
 * The trust policy of a new role: the guide's one statement.
 *
 * @internal
 */
export const vmieTrustPolicy = (): PolicyDocument => ({ Version: POLICY_VERSION, Statement: [vmieTrustStatement] })

/**
 * The guide's role policy for some buckets and KMS keys, in a partition: S3 read on each bucket and its objects, the
 * EC2 actions on `*`, and the KMS actions on the keys (a statement only when there are keys). Buckets and keys are
 * sorted and unique, so the same sets always make the same document.
 *
 * @internal
 */
export const vmimportRolePolicy = (partition: string, buckets: ReadonlyArray<string>, kmsKeyArns: ReadonlyArray<string>): PolicyDocument => {
  const bs = [...new Set(buckets)].sort()
  const keys = [...new Set(kmsKeyArns)].sort()
  const statements: Array<PolicyStatement> = []
  if (bs.length > 0) {
    statements.push({
      Sid: 'VmImportS3',
      Effect: 'Allow',
      Action: [...S3_ACTIONS],
      Resource: bs.flatMap((b) => [bucketArn(partition, b), `${bucketArn(partition, b)}/*`]),
    })
  }
  statements.push({ Sid: 'VmImportEc2', Effect: 'Allow', Action: [...EC2_ACTIONS], Resource: '*' })
  if (keys.length > 0) statements.push({ Sid: 'VmImportKms', Effect: 'Allow', Action: [...KMS_ACTIONS], Resource: keys })
  return { Version: POLICY_VERSION, Statement: statements }
}

const S3_BUCKET_RESOURCE = /^arn:[a-z-]+:s3:::([^/*?]+)(\/\*)?$/
const KMS_KEY_RESOURCE = /^arn:[a-z-]+:kms:[^:]*:[^:]*:(key|alias)\/[^*?]+$/

/**
 * The buckets and KMS keys an existing role policy grants the guide's actions on: the resources of its `Allow`
 * statements that carry no condition, named exactly (`arn:…:s3:::bucket` or `…/*`; a KMS key or alias ARN). What
 * `ensureVmImportRole` keeps when it writes the union.
 *
 * @internal
 */
export const grantedResources = (doc: PolicyDocument): { readonly buckets: ReadonlyArray<string>; readonly kmsKeyArns: ReadonlyArray<string> } => {
  const buckets = new Set<string>()
  const keys = new Set<string>()
  for (const s of doc.Statement) {
    if (s.Effect !== 'Allow' || s.Condition !== undefined || s.Action === undefined) continue
    const actions = listOf(s.Action).map((a) => a.toLowerCase())
    const s3 = actions.some((a) => a === 's3:getobject' || a === 's3:*' || a === '*')
    const kms = actions.some((a) => a === 'kms:decrypt' || a === 'kms:*' || a === '*')
    for (const r of listOf(s.Resource)) {
      const b = S3_BUCKET_RESOURCE.exec(r)
      if (s3 && b !== null) buckets.add(b[1]!)
      if (kms && KMS_KEY_RESOURCE.test(r)) keys.add(r)
    }
  }
  return { buckets: [...buckets].sort(), kmsKeyArns: [...keys].sort() }
}
