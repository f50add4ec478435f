/**
 * The snapshot-path methods of the client, against a scripted loopback server: each sends its action with the
 * model's wire names, decodes EC2's answer, and its dry run turns DryRunOperation into `{ allowed: true }`; bad input
 * is refused by path and never sent; ImportSnapshot and CopyImage always carry a ClientToken, the same on every
 * attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Ec2ImportClient } from '../src/Client.js'
import { NS, ec2Error, startScriptedServer, type ScriptedServer } from './helpers/scripted-server.js'

let server: ScriptedServer
let ec2: Ec2ImportClient
const CREDS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-key-test' }

beforeAll(async () => {
  server = await startScriptedServer()
  ec2 = createClient(
    { region: 'eu-west-1', endpoint: server.endpoint, credentials: CREDS, maxAttempts: 3, retry: { baseDelayMs: 1, maxDelayMs: 5 } },
    { random: () => 0 },
  )
})
afterAll(async () => {
  await ec2.close()
  await server.close()
})

const response = (action: string, inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><requestId>r-1</requestId>${inner}</${action}Response>`

describe('the snapshot path through the client', () => {
  it('importSnapshot sends one disk container and a generated ClientToken, the same on a retry', async () => {
    server.requests.length = 0
    server.script(
      { status: 503, body: ec2Error('Unavailable', 'try again') },
      { status: 200, body: response('ImportSnapshot', '<importTaskId>import-snap-0123456789abcdef0</importTaskId><snapshotTaskDetail><status>active</status><format>RAW</format></snapshotTaskDetail>') },
    )
    const r = await ec2.importSnapshot({ DiskContainer: { Format: 'raw', UserBucket: { S3Bucket: 'b', S3Key: 'disk.raw' } }, Description: 'd' })()
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    expect(r.right.ImportTaskId).toBe('import-snap-0123456789abcdef0')
    expect(r.right.SnapshotTaskDetail?.Status).toBe('active')
    expect(r.right.$metadata.attempts).toBe(2)
    const [first, second] = server.requests
    expect(first!.params.get('Action')).toBe('ImportSnapshot')
    expect(first!.params.get('DiskContainer.UserBucket.S3Bucket')).toBe('b')
    const token = first!.params.get('ClientToken')
    expect(token).toMatch(/^[0-9a-f-]{36}$/)
    expect(second!.params.get('ClientToken')).toBe(token)
  })

  it('registerImage is not retried once it may have reached EC2 (it has no token)', async () => {
    server.requests.length = 0
    server.script({ status: 503, body: ec2Error('Unavailable', 'try again') })
    const r = await ec2.registerImage({ Name: 'my-ami', RootDeviceName: '/dev/xvda', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1' } }] })()
    expect(r._tag).toBe('Left')
    expect(server.requests).toHaveLength(1)
  })

  it('describeImages with no input pages from the start and decodes images', async () => {
    server.requests.length = 0
    server.script({
      status: 200,
      body: response('DescribeImages', '<imagesSet><item><imageId>ami-1</imageId><imageState>available</imageState><name>n</name><architecture>arm64</architecture><tagSet><item><key>k</key><value>v</value></item></tagSet></item></imagesSet>'),
    })
    const r = await ec2.describeImages()()
    expect(r._tag === 'Right' && r.right.Images?.[0]).toMatchObject({ ImageId: 'ami-1', State: 'available', Name: 'n', Architecture: 'arm64', Tags: [{ Key: 'k', Value: 'v' }] })
    expect(server.requests[0]!.params.get('Action')).toBe('DescribeImages')
  })

  it('dry runs answer allowed for DryRunOperation', async () => {
    server.requests.length = 0
    server.script({ status: 412, body: ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.') })
    const r = await ec2.dryRun.createTags({ Resources: ['ami-1'], Tags: [{ Key: 'k', Value: 'v' }] })()
    expect(r).toEqual({ _tag: 'Right', right: { allowed: true, requestId: 'err-req' } })
    expect(server.requests[0]!.params.get('DryRun')).toBe('true')
    expect(server.requests[0]!.params.get('ResourceId.1')).toBe('ami-1')
  })

  it('refuses invalid input by path and sends nothing', async () => {
    server.requests.length = 0
    const r = await ec2.copyImage({ Name: 'my-copy', SourceImageId: 'ami-1', SourceRegion: 'us-east-1', KmsKeyId: 'k' } as never)()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      expect(r.left._tag).toBe('ValidationError')
      expect(r.left.message).toContain('KmsKeyId')
    }
    expect(server.requests).toHaveLength(0)
  })
})
