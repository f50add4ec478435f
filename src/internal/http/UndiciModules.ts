/**
 * The one place this package reaches into undici's own files. The dispatchers come from their modules, not from
 * undici's index, which would also load fetch, WebSocket, the caches, the mocks and the rest: a program that bundles
 * this client carries about 230 kB less, and starts sooner (bench/README.md).
 *
 * Those paths are not part of undici's public API, so they are checked: `test/internal/http/UndiciModules.test.ts`
 * asserts that each is the very class (or function) undici's index exports, against the installed undici and
 * against the lowest and the highest undici 7 that package.json's range allows.
 *
 * @since 0.2.0
 */
/// <reference path="./undici-modules.d.ts" />
import Agent from 'undici/lib/dispatcher/agent.js'
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import { getGlobalDispatcher } from 'undici/lib/global.js'

/**
 * undici's `Agent`, `EnvHttpProxyAgent` and `getGlobalDispatcher`, loaded from their own files.
 *
 * @internal
 */
export { Agent, EnvHttpProxyAgent, getGlobalDispatcher }
