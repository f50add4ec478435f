// The floor: raw undici sending a request signed once up front (aws4), reading the body as text and nothing else:
// no validation, no serialization, no per-request signing, no XML. Same roles as client-ours.mjs.
import { pathToFileURL } from 'node:url'
import { CREDENTIALS, DESCRIBE_FORM, IMPORT_IMAGE_FORM, REGION } from './lib/fixtures.mjs'

export const name = 'undici'

const CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8'

export const load = async () => {
  const [undici, aws4] = await Promise.all([import('undici'), import('aws4')])
  return { Agent: undici.Agent, request: undici.request, aws4: aws4.default }
}

export const create = async (url, lib) => {
  const { Agent, request, aws4 } = lib ?? (await load())
  const u = new URL(url)
  const target = `${u.origin}/`
  const presign = (body) =>
    aws4.sign(
      { method: 'POST', host: u.host, path: '/', service: 'ec2', region: REGION, headers: { 'content-type': CONTENT_TYPE }, body },
      { ...CREDENTIALS },
    ).headers
  const importHeaders = presign(IMPORT_IMAGE_FORM)
  const describeHeaders = presign(DESCRIBE_FORM)
  const dispatcher = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 })
  const post = async (headers, body) => {
    const res = await request(target, { dispatcher, method: 'POST', headers, body })
    const text = await res.body.text()
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`)
    return text
  }
  return {
    importImage: async () => {
      const text = await post(importHeaders, IMPORT_IMAGE_FORM)
      return text.length > 0 ? 'import-ami-0123456789abcdef0' : undefined
    },
    // Transfer only: the body is read, never parsed (there is no decoder to compare).
    describe: async () => (await post(describeHeaders, DESCRIBE_FORM)).length,
    close: () => dispatcher.close(),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runThroughput } = await import('./lib/throughput.mjs')
  await runThroughput(name, create)
}
