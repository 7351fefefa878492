/**
 * The version of the daemon wire protocol. A client says which one it speaks in `hello`; the
 * daemon answers any other with `PROTOCOL_ERROR`. Bumped on any change an older peer would
 * misread; new optional fields that an older peer can ignore do not bump it.
 */
export const PROTOCOL_VERSION = 1;

/**
 * The largest frame (one NDJSON line, in UTF-8 bytes, without its newline) either side accepts.
 * A longer line cannot be resynchronised cheaply, so the receiver answers `PROTOCOL_ERROR` and
 * closes that connection alone.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;
