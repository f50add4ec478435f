/**
 * The `vmimport` role as AWS's VM Import guide writes it: the trust policy (with the guide's own spelling of the
 * condition key, `sts:Externalid`) and the role policy for one bucket. Written out here, not taken from
 * `src/internal/iam/VmImportPolicies.ts`, so the tests check the package against the guide, not against itself.
 */

/** The guide's trust policy: `vmie.amazonaws.com` may assume the role with the external id `vmimport`. */
export const GUIDE_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } } }],
}

/** The guide's role policy for `bucket`: read the bucket and its objects, and the EC2 actions an import makes. */
export const guidePolicy = (bucket: string) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
    { Effect: 'Allow', Action: ['ec2:ModifySnapshotAttribute', 'ec2:CopySnapshot', 'ec2:RegisterImage', 'ec2:Describe*'], Resource: '*' },
  ],
})
