// The signer without its fast path: every request is signed by aws4.
export const fastAuthorization = (..._args: ReadonlyArray<unknown>): undefined => undefined
