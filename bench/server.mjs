// The loopback server: plain `http.createServer` on 127.0.0.1:0 answering canned EC2 Query XML.
// Run by `run.mjs` in its own process (so its CPU is never charged to a client); it reports its port over IPC.
// It does not verify signatures: every client pays for signing, the server only routes on `Action`.
import { createServer } from 'node:http'
import { DESCRIBE_FORM, IMPORT_IMAGE_RESPONSE_XML, describeResponseXml } from './lib/fixtures.mjs'

const TASKS = Number(process.env.BENCH_DESCRIBE_TASKS ?? 1000)
const importBody = Buffer.from(IMPORT_IMAGE_RESPONSE_XML)
const describeBody = Buffer.from(describeResponseXml(TASKS))
const unknownBody = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidAction</Code>' +
    '<Message>unknown action</Message></Error></Errors><RequestID>bench</RequestID></Response>',
)

let lastSecond = -1
let date = ''
const httpDate = () => {
  const s = Math.floor(Date.now() / 1000)
  if (s !== lastSecond) {
    lastSecond = s
    date = new Date(s * 1000).toUTCString()
  }
  return date
}

let served = 0
const server = createServer((req, res) => {
  let head = ''
  req.setEncoding('latin1')
  req.on('data', (chunk) => {
    if (head.length < 64) head += chunk
  })
  req.on('end', () => {
    served++
    const body = head.startsWith('Action=ImportImage&')
      ? importBody
      : head.startsWith(DESCRIBE_FORM)
        ? describeBody
        : head.includes('Action=ImportImage&') // a client that orders parameters differently
          ? importBody
          : head.includes('Action=DescribeImportImageTasks&')
            ? describeBody
            : unknownBody
    res.writeHead(body === unknownBody ? 400 : 200, {
      'content-type': 'text/xml;charset=UTF-8',
      'content-length': body.length,
      date: httpDate(),
      'x-amzn-requestid': '5e0e3c4f-0000-4000-8000-00000000beef',
      server: 'AmazonEC2',
    })
    res.end(body)
  })
})
server.keepAliveTimeout = 30_000
server.headersTimeout = 31_000
server.maxRequestsPerSocket = 0

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  const info = { port, describeBytes: describeBody.length, importBytes: importBody.length }
  if (process.send) process.send({ ready: info })
  else console.log(JSON.stringify(info))
})

process.on('message', (m) => {
  if (m === 'stats') process.send?.({ stats: { served } })
  if (m === 'stop') server.close(() => process.exit(0))
})
process.on('disconnect', () => process.exit(0))
