/** Bumped on any incompatible change to documents, wire messages or job payloads. */
export const PROTOCOL_VERSION = 1
