// This project's client. As a scenario (`node bench/client-ours.mjs`, via run.mjs): CPU and wall per ImportImage
// request, sequential and at concurrency 16. As a module: `create(url)` for the other scenarios.
import { pathToFileURL } from 'node:url'
import { libUrl } from './lib/common.mjs'
import { CREDENTIALS, REGION, importImageInput } from './lib/fixtures.mjs'

export const name = 'ours'

/** Import the library (what a cold start pays for first). */
export const load = () => import(libUrl())

export const create = async (url, lib) => {
  const { createClient } = lib ?? (await load())
  const client = createClient({ region: REGION, endpoint: url, credentials: { ...CREDENTIALS } })
  const input = importImageInput()
  const describeInput = {}
  return {
    importImage: async () => {
      const r = await client.importImage(input)()
      if (r._tag !== 'Right') throw new Error(`ImportImage failed: ${JSON.stringify(r.left)}`)
      return r.right.ImportTaskId
    },
    describe: async () => {
      const r = await client.describeImportImageTasks(describeInput)()
      if (r._tag !== 'Right') throw new Error(`DescribeImportImageTasks failed: ${JSON.stringify(r.left).slice(0, 2000)}`)
      return r.right.ImportImageTasks?.length ?? 0
    },
    close: () => client.close(),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runThroughput } = await import('./lib/throughput.mjs')
  await runThroughput(name, create)
}
