// The floor: raw undici sending a request signed once up front (by run.mjs, with aws4), reading the body as text
// and nothing else: no validation, no serialization, no per-request signing, no XML. Same roles as client-ours.mjs.
import { pathToFileURL } from 'node:url'
import { DESCRIBE_FORM, IMPORT_IMAGE_FORM } from './lib/fixtures.mjs'

export const name = 'undici'

// Only undici: the headers come signed in advance (BENCH_PRESIGNED, from run.mjs), so nothing else is loaded.
export const load = async () => {
  const undici = await import('undici')
  return { Agent: undici.Agent, request: undici.request }
}

/**
 * Raw undici posting the two canned forms, with the headers `headers.importImage()` and `headers.describe()` give
 * for each request (the floor's are signed in advance; client-undici-signed.mjs signs each request).
 */
export const undiciClient = ({ Agent, request }, url, headers) => {
  const target = `${new URL(url).origin}/`
  const dispatcher = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 })
  const post = async (headers, body) => {
    const res = await request(target, { dispatcher, method: 'POST', headers, body })
    const text = await res.body.text()
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`)
    return text
  }
  return {
    importImage: async () => {
      const text = await post(headers.importImage(), IMPORT_IMAGE_FORM)
      return text.length > 0 ? 'import-ami-0123456789abcdef0' : undefined
    },
    // Transfer only: the body is read, never parsed (there is no decoder to compare).
    describe: async () => (await post(headers.describe(), DESCRIBE_FORM)).length,
    close: () => dispatcher.close(),
  }
}

export const create = async (url, lib) => {
  const signed = JSON.parse(process.env.BENCH_PRESIGNED ?? 'null')
  if (signed === null) throw new Error('BENCH_PRESIGNED is not set (run through bench/run.mjs)')
  return undiciClient(lib ?? (await load()), url, { importImage: () => signed.import, describe: () => signed.describe })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runThroughput } = await import('./lib/throughput.mjs')
  await runThroughput(name, create)
}
