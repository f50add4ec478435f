/**
 * moto's server (`python3 -m moto.server`), a real AWS endpoint nobody here wrote, started on a free loopback port
 * for the interop tests. S3 is addressed by path on it; IAM, STS and S3 all answer on the one endpoint, as they do on
 * the emulator. `moto` is missing on some machines: `available()` says so, and the interop suite then skips with that
 * reason (in CI, `.ci/run` fails instead: `MOTO_REQUIRED=1`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

export interface Moto {
  readonly endpoint: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** Forget every resource (moto's `/moto-api/reset`). */
  readonly reset: () => Promise<void>
  readonly stop: () => Promise<void>
}

const PYTHON = process.env['PYTHON'] ?? 'python3'

/** Whether moto's server can run here, or why not. */
export const available = (): true | string => {
  try {
    execFileSync(PYTHON, ['-c', 'import moto.server'], { stdio: 'ignore', timeout: 30_000 })
    return true
  } catch {
    return `moto is not installed for ${PYTHON} (pip install 'moto[server]')`
  }
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

/** Start moto on a free port and wait until it answers. */
export const startMoto = async (): Promise<Moto> => {
  const port = await freePort()
  const child: ChildProcess = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)))
  const endpoint = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}: ${stderr}`)
    try {
      const r = await fetch(`${endpoint}/moto-api/`)
      if (r.status < 500) break
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`moto did not start within 30 s: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    endpoint,
    // moto accepts any key; these are the ones its docs use.
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
