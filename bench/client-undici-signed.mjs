// A reference, not a target: raw undici that signs each request with aws4 when it sends it, as the simplest glue that
// can talk to AWS does. The floor's client (client-undici.mjs) with the same pre-serialized forms and the body read as
// text; no validation, no serialization, no XML. It shows what signing alone adds to the floor.
import { pathToFileURL } from 'node:url'
import { undiciClient } from './client-undici.mjs'
import { CREDENTIALS, DESCRIBE_FORM, IMPORT_IMAGE_FORM, signable } from './lib/fixtures.mjs'

export const name = 'undici-signed'

export const load = async () => {
  const [undici, aws4] = await Promise.all([import('undici'), import('aws4')])
  return { Agent: undici.Agent, request: undici.request, sign: aws4.default.sign }
}

export const create = async (url, lib) => {
  const undici = lib ?? (await load())
  const host = new URL(url).host
  const credentials = { ...CREDENTIALS }
  const sign = (body) => undici.sign(signable(host, body), credentials).headers
  return undiciClient(undici, url, { importImage: () => sign(IMPORT_IMAGE_FORM), describe: () => sign(DESCRIBE_FORM) })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runThroughput } = await import('./lib/throughput.mjs')
  await runThroughput(name, create)
}
