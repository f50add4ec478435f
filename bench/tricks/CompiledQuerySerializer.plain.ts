// The client without its compiled EC2 Query serializer: every request is validated, then serialized, by the plain
// walks of src/internal/schema/Schema.ts and src/internal/protocol/QuerySerializer.ts.
export const serializeValidQuery = (_codec: unknown, _value: unknown, _idempotencyToken: () => string): undefined => undefined
