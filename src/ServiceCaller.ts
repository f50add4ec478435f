/**
 * One configured caller per client and service: the resolved config, a dispatcher, and for each service the
 * pipeline's context (its endpoint, signing region, protocol), sharing one retry quota and one clock offset. The EC2
 * client is built on it, and so are the calls to S3, IAM and STS that the upload, the preflight and the role need:
 * one configuration, one set of sockets, the same retries, timeouts, abort, errors and redaction for all of them.
 *
 * @since 0.2.0
 */
import { randomUUID } from 'node:crypto'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Dispatcher } from 'undici'
import type { Runtime, WithMetadata } from './Call.js'
import { defaultEnvironment, resolveConfig, type ClientConfig, type ResolvedConfig, type ServiceId } from './ClientConfig.js'
import { configError, transportError, type ConfigError, type Ec2ImportError } from './Ec2ImportError.js'
import { endpointOf, execute, type CallContext, type ExecuteOptions, type ServiceDescription } from './internal/http/Pipeline.js'
import { RetryQuota, sleep } from './internal/http/Retry.js'
import { createDispatcher } from './internal/http/Transport.js'
import type { Operation } from './internal/protocol/Operation.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A service as a caller addresses it: which endpoint of the config it uses, and how it is spoken to.
 *
 * @internal
 */
export interface Service extends ServiceDescription {
  readonly id: ServiceId
}

/**
 * Calls to the services of one configuration.
 *
 * @internal
 */
export interface ServiceCaller {
  /** Run one operation of a service through the pipeline. Never rejects. */
  readonly call: <I, O>(service: Service, op: Operation<I, O>, input: unknown, options?: ExecuteOptions) => TaskEither<Ec2ImportError, WithMetadata<O>>
  /** The resolved configuration, or why there is none. */
  readonly config: { readonly _tag: 'Left'; readonly left: ConfigError } | { readonly _tag: 'Right'; readonly right: ResolvedConfig }
  readonly runtime: Runtime
  /** Release every socket it opened (not a dispatcher the caller passed in). Idempotent. */
  readonly close: () => Promise<void>
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/** @internal */
export const USER_AGENT = `ec2-import-image/0.2.0 node/${process.version}`

/**
 * The real effects.
 *
 * @internal
 */
export const defaultRuntime: Runtime = { now: Date.now, random: Math.random, sleep, uuid: randomUUID }

const left = <E>(e: E): { readonly _tag: 'Left'; readonly left: E } => ({ _tag: 'Left', left: e })

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * A caller for a configuration. It never throws: a configuration problem is the `Left` of every call.
 *
 * @internal
 */
export const createServiceCaller = (config: ClientConfig, runtime: Partial<Runtime> = {}): ServiceCaller => {
  const rt: Runtime = { ...defaultRuntime, ...runtime }
  const resolved = resolveConfig(config, rt.environment ?? defaultEnvironment())
  let dispatcher: Dispatcher | undefined
  const ownsDispatcher = config.dispatcher === undefined
  const quota = new RetryQuota()
  const clock = { offsetMs: 0 }
  const contexts = new Map<ServiceId, CallContext>()
  let closed = false
  let closing: Promise<void> | undefined

  const contextOf = (r: ResolvedConfig, service: Service): CallContext | ConfigError => {
    const known = contexts.get(service.id)
    if (known !== undefined) return known
    const at = r.services[service.id]
    if (at === undefined) return configError(`no endpoint for ${service.id} in region ${r.region}`)
    dispatcher ??= r.dispatcher ?? createDispatcher({ connectTimeoutMs: r.connectTimeoutMs, proxy: r.proxy })
    const ctx: CallContext = {
      service,
      endpoint: endpointOf(at.url),
      signingRegion: at.signingRegion,
      credentials: r.credentials,
      dispatcher,
      policy: { maxAttempts: r.maxAttempts, ...r.retry },
      quota,
      clock,
      runtime: rt,
      requestTimeoutMs: r.requestTimeoutMs,
      maxResponseBytes: r.maxResponseBytes,
      userAgent: USER_AGENT,
      logger: r.logger,
    }
    contexts.set(service.id, ctx)
    return ctx
  }

  return {
    config: resolved,
    runtime: rt,
    call:
      <I, O>(service: Service, op: Operation<I, O>, input: unknown, options?: ExecuteOptions): TaskEither<Ec2ImportError, WithMetadata<O>> =>
      async () => {
        if (resolved._tag === 'Left') return resolved
        if (closed) return left(configError(`${op.name}: the client is closed`))
        const ctx = contextOf(resolved.right, service)
        if ('_tag' in ctx) return left(ctx)
        try {
          return await execute(ctx, op, input ?? {}, options)
        } catch (e) {
          // Unreachable by design; if a bug gets here, it is still a value, not a rejection.
          return left(transportError(op.name, { reason: 'network', code: 'INTERNAL', message: `unexpected failure: ${e instanceof Error ? e.message : String(e)}` }, 0))
        }
      },
    // One close, however often it is called: undici refuses to close an agent twice.
    close: () =>
      (closing ??= (async () => {
        closed = true
        if (dispatcher !== undefined && ownsDispatcher) await dispatcher.close()
      })()),
  }
}
