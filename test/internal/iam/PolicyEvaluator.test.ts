/**
 * The policy evaluator, table-driven: each row a set of policies, a request, and the decision IAM would reach (or
 * `unknown` where this evaluator cannot decide). Also the document reader (URL-encoded, single statement) and the
 * guide's documents (`VmImportPolicies`), which must satisfy the evaluator's own checks.
 */
import { describe, expect, it } from 'vitest'
import { parsePolicyDocument, type PolicyDocument, type PolicyStatement } from '../../../src/internal/iam/PolicyDocument.js'
import {
  evaluateAccess,
  evaluatePolicies,
  matchesPattern,
  type AccessRequest,
  type Decision,
  type PolicySet,
} from '../../../src/internal/iam/PolicyEvaluator.js'
import {
  EC2_ACTIONS,
  EC2_DESCRIBE_ACTIONS,
  grantedResources,
  KMS_CHECK_ACTIONS,
  S3_ACTIONS,
  vmieTrustPolicy,
  vmimportRolePolicy,
} from '../../../src/internal/iam/VmImportPolicies.js'

const doc = (...Statement: Array<PolicyStatement>): PolicyDocument => ({ Version: '2012-10-17', Statement })
const identity = (...Statement: Array<PolicyStatement>): PolicySet => ({ identity: [{ source: 'inline policy p', document: doc(...Statement) }] })

const GET = (resource = 'arn:aws:s3:::images/disk.vmdk', context?: AccessRequest['context']): AccessRequest => ({ action: 's3:GetObject', resource, context })
const VMIE = { _tag: 'Service', service: 'vmie.amazonaws.com' } as const
const ROLE = { _tag: 'AWS', arn: 'arn:aws:iam::123456789012:role/vmimport', account: '123456789012' } as const
const trust = (context: AccessRequest['context'] = { 'sts:ExternalId': 'vmimport' }): AccessRequest => ({ action: 'sts:AssumeRole', principal: VMIE, context })

const cases: ReadonlyArray<readonly [string, PolicySet, AccessRequest, Decision]> = [
  // actions
  ['an exact action and resource', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::images/disk.vmdk' }), GET(), 'allow'],
  ['nothing matching: implicit deny', identity({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }), GET(), 'implicitDeny'],
  ['no policy at all', { identity: [] }, GET(), 'implicitDeny'],
  ['actions compare without case', identity({ Effect: 'Allow', Action: 'S3:getobject', Resource: '*' }), GET(), 'allow'],
  ['`*` in an action', identity({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }), GET(), 'allow'],
  ['`?` in an action', identity({ Effect: 'Allow', Action: 's3:GetObjec?', Resource: '*' }), GET(), 'allow'],
  ['`?` is exactly one character', identity({ Effect: 'Allow', Action: 's3:GetObject?', Resource: '*' }), GET(), 'implicitDeny'],
  ['the action `*`', identity({ Effect: 'Allow', Action: '*', Resource: '*' }), GET(), 'allow'],
  ['a list of actions', identity({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject'], Resource: '*' }), GET(), 'allow'],
  ['a wildcard of another service', identity({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }), GET(), 'implicitDeny'],
  // resources
  ['resources compare with case', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::Images/*' }), GET(), 'implicitDeny'],
  ['`*` in a resource', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::images/*' }), GET(), 'allow'],
  ['`?` in a resource', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::image?/disk.vmdk' }), GET(), 'allow'],
  ['the bucket ARN is not its objects', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::images' }), GET(), 'implicitDeny'],
  ['another partition', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws-cn:s3:::images/*' }), GET(), 'implicitDeny'],
  ['`${*}` is a literal star', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::images/${*}' }), GET(), 'implicitDeny'],
  ['`${*}` matches a literal star', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::images/${*}' }), GET('arn:aws:s3:::images/*'), 'allow'],
  ['a policy variable cannot be decided', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::images/${aws:username}/*' }), GET(), 'unknown'],
  // explicit deny
  ['an explicit Deny wins', identity({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }), GET(), 'explicitDeny'],
  ['a Deny in another policy wins', { identity: [{ source: 'a', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }, { source: 'b', document: doc({ Effect: 'Deny', Action: 's3:Get*', Resource: 'arn:aws:s3:::images/*' }) }] }, GET(), 'explicitDeny'],
  ['a Deny elsewhere does not apply', identity({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }), GET(), 'allow'],
  // NotAction / NotResource
  ['NotAction allows what it does not name', identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), GET(), 'allow'],
  ['NotAction excludes what it names', identity({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }), GET(), 'implicitDeny'],
  ['a Deny with NotAction denies everything else', identity({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 'ec2:*', Resource: '*' }), GET(), 'explicitDeny'],
  ['NotResource allows other resources', identity({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }), GET(), 'allow'],
  ['NotResource excludes the named one', identity({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::images/*' }), GET(), 'implicitDeny'],
  // conditions
  ['a condition on an unknown key is undecided, never allow', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), GET(), 'unknown'],
  ['an unsupported operator is undecided', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), GET(undefined, { 'aws:SourceIp': '10.1.1.1' }), 'unknown'],
  ['a set operator is undecided', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } } }), GET(undefined, { 'aws:TagKeys': 'a' }), 'unknown'],
  ['an undecided Deny makes an allow unknown', identity({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }), GET(), 'unknown'],
  ['an undecided Deny does not hide a sure one', identity({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:X': 'true' } } }, { Effect: 'Deny', Action: 's3:*', Resource: '*' }), GET(), 'explicitDeny'],
  ['an undecided Allow beside a sure one', identity({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:X': 'true' } } }, { Effect: 'Allow', Action: 's3:*', Resource: '*' }), GET(), 'allow'],
  ['StringEquals on a known key, equal', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:prefix': 'a' } } }), GET(undefined, { 's3:prefix': 'a' }), 'allow'],
  ['StringEquals compares values with case', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:prefix': 'A' } } }), GET(undefined, { 's3:prefix': 'a' }), 'implicitDeny'],
  ['StringEqualsIgnoreCase does not', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEqualsIgnoreCase: { 's3:prefix': 'A' } } }), GET(undefined, { 's3:prefix': 'a' }), 'allow'],
  ['condition keys compare without case', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'S3:Prefix': 'a' } } }), GET(undefined, { 's3:prefix': 'a' }), 'allow'],
  ['StringLike with wildcards', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringLike: { 's3:prefix': 'im*/?' } } }), GET(undefined, { 's3:prefix': 'images/a' }), 'allow'],
  ['StringNotEquals', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringNotEquals: { 's3:prefix': 'a' } } }), GET(undefined, { 's3:prefix': 'a' }), 'implicitDeny'],
  ['a value list is OR', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:prefix': ['x', 'a'] } } }), GET(undefined, { 's3:prefix': 'a' }), 'allow'],
  ['keys and operators are AND', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:prefix': 'a' }, StringLike: { 's3:delimiter': 'x' } } }), GET(undefined, { 's3:prefix': 'a', 's3:delimiter': '/' }), 'implicitDeny'],
  ['a key known to be absent fails StringEquals', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:prefix': 'a' } } }), GET(undefined, { 's3:prefix': null }), 'implicitDeny'],
  ['…and passes …IfExists', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEqualsIfExists: { 's3:prefix': 'a' } } }), GET(undefined, { 's3:prefix': null }), 'allow'],
  ['Null on a known-absent key', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Null: { 's3:prefix': 'true' } } }), GET(undefined, { 's3:prefix': null }), 'allow'],
  ['a policy variable in a condition value is undecided', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:prefix': '${aws:username}' } } }), GET(undefined, { 's3:prefix': 'a' }), 'unknown'],
  // unreadable policies
  ['an unreadable policy beside an allow: unknown', { identity: [{ source: 'a', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }, { source: 'b', unreadable: 'AccessDenied' }] }, GET(), 'unknown'],
  ['an unreadable policy alone: unknown', { identity: [{ source: 'b', unreadable: 'AccessDenied' }] }, GET(), 'unknown'],
  // permissions boundary
  ['allowed by both identity and boundary', { ...identity({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), boundary: { source: 'boundary', document: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) } }, GET(), 'allow'],
  ['the boundary does not allow it', { ...identity({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), boundary: { source: 'boundary', document: doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }) } }, GET(), 'implicitDeny'],
  ['the boundary allows, identity does not', { ...identity({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }), boundary: { source: 'boundary', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) } }, GET(), 'implicitDeny'],
  ['a Deny in the boundary', { ...identity({ Effect: 'Allow', Action: '*', Resource: '*' }), boundary: { source: 'boundary', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }) } }, GET(), 'explicitDeny'],
  ['an unreadable boundary: unknown', { ...identity({ Effect: 'Allow', Action: '*', Resource: '*' }), boundary: { source: 'boundary', unreadable: 'AccessDenied' } }, GET(), 'unknown'],
  // resource (bucket) policies
  ['a bucket policy grants the role what its policies lack', { identity: [], resource: { source: 'bucket policy', document: doc({ Effect: 'Allow', Principal: { AWS: ROLE.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::images/*' }) } }, { ...GET(), principal: ROLE }, 'allow'],
  ['a bucket policy for another principal grants nothing', { identity: [], resource: { source: 'bucket policy', document: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/other' }, Action: 's3:GetObject', Resource: '*' }) } }, { ...GET(), principal: ROLE }, 'implicitDeny'],
  ['a bucket policy naming the account grants the role nothing by itself', { identity: [], resource: { source: 'bucket policy', document: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:GetObject', Resource: '*' }) } }, { ...GET(), principal: ROLE }, 'implicitDeny'],
  ['a bucket policy Deny naming the account applies to the role', { ...identity({ Effect: 'Allow', Action: '*', Resource: '*' }), resource: { source: 'bucket policy', document: doc({ Effect: 'Deny', Principal: { AWS: '123456789012' }, Action: 's3:GetObject', Resource: '*' }) } }, { ...GET(), principal: ROLE }, 'explicitDeny'],
  ['a bucket policy Deny to everyone', { ...identity({ Effect: 'Allow', Action: '*', Resource: '*' }), resource: { source: 'bucket policy', document: doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::images/*' }) } }, { ...GET(), principal: ROLE }, 'explicitDeny'],
  ['a bucket policy grant is still capped by the boundary', { identity: [], boundary: { source: 'boundary', document: doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }) }, resource: { source: 'bucket policy', document: doc({ Effect: 'Allow', Principal: { AWS: ROLE.arn }, Action: 's3:GetObject', Resource: '*' }) } }, { ...GET(), principal: ROLE }, 'implicitDeny'],
  // trust policies
  ['the guide trust policy admits vmie with the external id', { identity: [{ source: 'trust', document: vmieTrustPolicy() }] }, trust(), 'allow'],
  ['the guide trust policy refuses another external id', { identity: [{ source: 'trust', document: vmieTrustPolicy() }] }, trust({ 'sts:ExternalId': 'other' }), 'implicitDeny'],
  ['a trust policy with no condition admits vmie', { identity: [{ source: 'trust', document: doc({ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'vmie.amazonaws.com'] }, Action: 'sts:AssumeRole' }) }] }, trust(), 'allow'],
  ['a trust policy for another service', { identity: [{ source: 'trust', document: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) }] }, trust(), 'implicitDeny'],
  ['AWS\u2019s sample spelling `sts:Externalid`', { identity: [{ source: 'trust', document: doc({ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } } }) }] }, trust({ 'sts:ExternalId': 'vmimport' }), 'allow'],
  ['a trust condition on a key not known here', { identity: [{ source: 'trust', document: doc({ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:ec2:*' } } }) }] }, trust(), 'unknown'],
  ['NotPrincipal is undecided', { identity: [{ source: 'trust', document: doc({ Effect: 'Allow', NotPrincipal: { AWS: 'x' }, Action: 'sts:AssumeRole' }) }] }, trust(), 'unknown'],
]

describe('evaluateAccess', () => {
  it.each(cases)('%s', (_, set, request, expected) => {
    expect(evaluateAccess(set, request).decision).toBe(expected)
  })

  it('names the statements that decided, with their Sid', () => {
    const r = evaluateAccess(identity({ Sid: 'Read', Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }), GET())
    expect(r).toEqual({ decision: 'explicitDeny', matched: ['inline policy p, statement 2'], unknown: [] })
    const u = evaluateAccess(identity({ Sid: 'Tls', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), GET())
    expect(u.unknown).toEqual(["inline policy p, statement 1 (Sid \"Tls\"): the condition Bool on aws:SecureTransport: the request's aws:SecureTransport is not known here"])
  })
})

describe('evaluatePolicies alone (no boundary, no resource policy)', () => {
  it('agrees with evaluateAccess on identity-only sets', () => {
    for (const [, set, request] of cases) {
      if (set.boundary !== undefined || set.resource !== undefined) continue
      expect(evaluatePolicies(set.identity, request).decision).toBe(evaluateAccess(set, request).decision)
    }
  })
})

describe('matchesPattern', () => {
  it.each([
    ['a*c', 'abc', false, true],
    ['a*c', 'ac', false, true],
    ['a?c', 'ac', false, false],
    ['a.c', 'abc', false, false],
    ['arn:aws:s3:::b/(x)+', 'arn:aws:s3:::b/(x)+', false, true],
    ['EC2:Describe*', 'ec2:describeimages', true, true],
    ['EC2:Describe*', 'ec2:describeimages', false, false],
  ] as const)('%s ~ %s (ignore case %s) is %s', (p, v, i, expected) => {
    expect(matchesPattern(p, v, i)).toBe(expected)
  })
})

describe('parsePolicyDocument', () => {
  const text = JSON.stringify(vmieTrustPolicy())

  it('reads IAM\u2019s URL-encoded documents and plain JSON alike', () => {
    const encoded = encodeURIComponent(text)
    expect(encoded.startsWith('%7B')).toBe(true)
    expect(parsePolicyDocument(encoded)).toEqual({ _tag: 'Right', right: vmieTrustPolicy() })
    expect(parsePolicyDocument(text)).toEqual({ _tag: 'Right', right: vmieTrustPolicy() })
  })

  it('keeps a `+` of the document (IAM encodes spaces as %20)', () => {
    const d = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a+b/*' }] }
    const r = parsePolicyDocument(encodeURIComponent(JSON.stringify(d)))
    expect(r._tag === 'Right' && r.right.Statement[0]!.Resource).toBe('arn:aws:s3:::a+b/*')
  })

  it('accepts a single statement object', () => {
    const r = parsePolicyDocument('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}')
    expect(r._tag === 'Right' && r.right.Statement).toHaveLength(1)
  })

  it.each([
    ['not JSON', '{nope'],
    ['bad encoding', '%E0%A4%A'],
    ['no Statement', '{"Version":"2012-10-17"}'],
    ['a bad Effect', '{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}'],
    ['Action and NotAction', '{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"x","Resource":"*"}]}'],
    ['a numeric action', '{"Statement":[{"Effect":"Allow","Action":1,"Resource":"*"}]}'],
  ])('refuses %s with a reason', (_, t) => {
    const r = parsePolicyDocument(t)
    expect(r._tag).toBe('Left')
  })
})

describe('the guide\u2019s documents', () => {
  const policy = vmimportRolePolicy('aws-us-gov', ['b2', 'b1', 'b1'], ['arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k'])
  const set: PolicySet = { identity: [{ source: 'vmimport', document: policy }] }

  it('grant every action the role needs on each bucket, in the partition given', () => {
    for (const b of ['b1', 'b2']) {
      for (const a of S3_ACTIONS) {
        const resource = a === 's3:GetObject' ? `arn:aws-us-gov:s3:::${b}/disk.vmdk` : `arn:aws-us-gov:s3:::${b}`
        expect(evaluateAccess(set, { action: a, resource }).decision, `${a} ${resource}`).toBe('allow')
      }
      expect(evaluateAccess(set, { action: 's3:GetObject', resource: `arn:aws:s3:::${b}/disk.vmdk` }).decision).toBe('implicitDeny')
    }
    for (const a of [...EC2_ACTIONS.filter((x) => !x.endsWith('*')), ...EC2_DESCRIBE_ACTIONS]) {
      expect(evaluateAccess(set, { action: a, resource: '*' }).decision).toBe('allow')
    }
    for (const a of KMS_CHECK_ACTIONS.encrypt) {
      expect(evaluateAccess(set, { action: a, resource: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k' }).decision).toBe('allow')
    }
  })

  it('are the same for the same sets, whatever the order', () => {
    expect(vmimportRolePolicy('aws', ['b', 'a'], [])).toEqual(vmimportRolePolicy('aws', ['a', 'b', 'a'], []))
  })

  it('give back the buckets and keys they name', () => {
    expect(grantedResources(policy)).toEqual({ buckets: ['b1', 'b2'], kmsKeyArns: ['arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k'] })
    // a conditional statement, or one without a read action, grants no bucket to keep
    expect(grantedResources(doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::x/*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::y/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))).toEqual({ buckets: [], kmsKeyArns: [] })
  })
})
