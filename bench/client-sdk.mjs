// AWS SDK v3's EC2 client (@aws-sdk/client-ec2), with its defaults (node:http keep-alive handler, standard
// retries). Same roles as client-ours.mjs.
import { pathToFileURL } from 'node:url'
import { CREDENTIALS, REGION, importImageInput } from './lib/fixtures.mjs'

export const name = 'sdk'

export const load = () => import('@aws-sdk/client-ec2')

export const create = async (url, lib) => {
  const { EC2Client, ImportImageCommand, DescribeImportImageTasksCommand } = lib ?? (await load())
  const client = new EC2Client({ region: REGION, endpoint: url, credentials: { ...CREDENTIALS } })
  const input = importImageInput()
  return {
    importImage: async () => (await client.send(new ImportImageCommand(input))).ImportTaskId,
    describe: async () => (await client.send(new DescribeImportImageTasksCommand({}))).ImportImageTasks?.length ?? 0,
    close: async () => client.destroy(),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runThroughput } = await import('./lib/throughput.mjs')
  await runThroughput(name, create)
}
