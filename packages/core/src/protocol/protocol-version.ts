/**
 * The version of the daemon wire protocol. A client says which one it speaks in `hello`; the
 * daemon answers any other with `PROTOCOL_ERROR`. Bumped on any change an older peer would
 * misread; new optional fields that an older peer can ignore do not bump it.
 */
export const PROTOCOL_VERSION = 1;

/**
 * The largest frame (one NDJSON line, in UTF-8 bytes, without its newline) a client may send.
 * A longer line cannot be resynchronised cheaply, so the daemon answers `PROTOCOL_ERROR` and
 * closes that connection alone.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The largest frame the daemon sends and a client accepts: larger than {@link MAX_FRAME_BYTES}
 * because one `list` answer carries a whole queue and its history. A response that would be
 * larger still is replaced by a `PROTOCOL_ERROR` response.
 */
export const MAX_SERVER_FRAME_BYTES = 32 * 1024 * 1024;
