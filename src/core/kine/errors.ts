/** Why a kine key, message body or inner value could not be decoded; stable codes for tests and the CLI. */
export type KineDecodeReason =
  | 'bad-key'
  | 'bad-stream-identifier'
  | 'truncated'
  | 'bad-chunk-type'
  | 'crc-mismatch'
  | 'corrupt-block'
  | 'output-too-large'
  | 'bad-json'
  | 'bad-envelope'
  | 'bad-base64'
  | 'bad-protobuf'
  | 'empty-body';

/** A typed decoding failure: `reason` says which layer refused the bytes, the message says why in one sentence. */
export class KineDecodeError extends Error {
  override readonly name = 'KineDecodeError';
  constructor(
    readonly reason: KineDecodeReason,
    message: string,
  ) {
    super(message);
  }
}

/** Default cap on decompressed output per message: far above kine's values (etcd's limit is 1.5 MiB), far below harm. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
