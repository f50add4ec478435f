// A reference, not a target: raw undici that signs each request with aws4 when it sends it, as the simplest glue that
// can talk to AWS does. The same pre-serialized form as the floor (client-undici.mjs) and the body read as text; no
// validation, no serialization, no XML. It shows what signing alone adds to the floor. Same roles as client-ours.mjs.
import { pathToFileURL } from 'node:url'
import { CREDENTIALS, DESCRIBE_FORM, IMPORT_IMAGE_FORM, REGION } from './lib/fixtures.mjs'

export const name = 'undici-signed'

export const load = async () => {
  const [undici, aws4] = await Promise.all([import('undici'), import('aws4')])
  return { Agent: undici.Agent, request: undici.request, sign: aws4.default.sign }
}

export const create = async (url, lib) => {
  const { Agent, request, sign } = lib ?? (await load())
  const u = new URL(url)
  const target = `${u.origin}/`
  const credentials = { ...CREDENTIALS }
  const dispatcher = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 })
  const post = async (body) => {
    const { headers } = sign(
      {
        method: 'POST',
        host: u.host,
        path: '/',
        service: 'ec2',
        region: REGION,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      },
      credentials,
    )
    const res = await request(target, { dispatcher, method: 'POST', headers, body })
    const text = await res.body.text()
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`)
    return text
  }
  return {
    importImage: async () => ((await post(IMPORT_IMAGE_FORM)).length > 0 ? 'import-ami-0123456789abcdef0' : undefined),
    describe: async () => (await post(DESCRIBE_FORM)).length,
    close: () => dispatcher.close(),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runThroughput } = await import('./lib/throughput.mjs')
  await runThroughput(name, create)
}
