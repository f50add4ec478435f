// Types for the undici modules UndiciModules.ts loads directly: each is the same class that
// `undici`'s index exports, so it takes that class's declared type.
declare module 'undici/lib/dispatcher/agent.js' {
  const Agent: typeof import('undici').Agent
  export = Agent
}
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  const EnvHttpProxyAgent: typeof import('undici').EnvHttpProxyAgent
  export = EnvHttpProxyAgent
}
declare module 'undici/lib/global.js' {
  export const getGlobalDispatcher: typeof import('undici').getGlobalDispatcher
}
