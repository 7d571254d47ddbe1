// kube-apiserver with --encryption-provider-config writes `k8s:enc:<provider>:<version>:<name>:` before the
// ciphertext (k8s.io/apiserver/pkg/storage/value/encrypt). For aescbc, aesgcm and secretbox <name> is the key's name
// in the EncryptionConfiguration; for kms it is the KMS provider's name, and a kms v2 value then carries a protobuf
// EncryptedObject whose field 2 is the KMS key ID. The keys live with the API server or the KMS, never in kine.

/** What a value encrypted at rest says about how it was encrypted; the ciphertext itself is never touched. */
export interface AtRestEncryption {
  /** `aescbc`, `aesgcm`, `secretbox`, `kms`, or whatever a newer API server writes. */
  readonly provider: string;
  /** The transformer's version segment: `v1`, or `v2` for kms v2. */
  readonly version: string;
  /** The key's name in the EncryptionConfiguration (for kms: the KMS provider's name). */
  readonly keyName: string;
  /** kms v2 only: the key ID the KMS plugin reported, when the envelope holds one. */
  readonly kmsKeyId?: string;
}

const PREFIX = 'k8s:enc:';
/** Names in an EncryptionConfiguration are short; anything longer is not a header this reads. */
const MAX_HEADER = 256;

/** True when `value` starts with kube-apiserver's at-rest encryption prefix. */
export function isEncryptedAtRest(value: Uint8Array): boolean {
  if (value.length < PREFIX.length) return false;
  for (let i = 0; i < PREFIX.length; i++) if (value[i] !== PREFIX.charCodeAt(i)) return false;
  return true;
}

/** Reads provider, version and key name from an encrypted value; undefined when it does not start with `k8s:enc:`. */
export function parseAtRestEncryption(value: Uint8Array): AtRestEncryption | undefined {
  if (!isEncryptedAtRest(value)) return undefined;
  const fields: string[] = [];
  let start = PREFIX.length;
  // provider, version and name each end at a ':'; what follows the third is ciphertext.
  for (let i = start; i < Math.min(value.length, MAX_HEADER) && fields.length < 3; i++) {
    if (value[i] !== 0x3a) continue;
    fields.push(Buffer.from(value.subarray(start, i)).toString('latin1'));
    start = i + 1;
  }
  const [provider = '', version = '', keyName = ''] = fields;
  const kmsKeyId = provider === 'kms' && version === 'v2' ? kmsV2KeyId(value.subarray(start)) : undefined;
  return { provider, version, keyName, ...(kmsKeyId ? { kmsKeyId } : {}) };
}

/**
 * The sentence every face shows for an encrypted value: who encrypted it, with which provider and key, and why it
 * cannot be read here.
 */
export function atRestSentence(e: AtRestEncryption): string {
  const provider = e.provider || 'unknown';
  if (provider === 'kms') {
    const id = e.kmsKeyId ? `, key ID '${e.kmsKeyId}'` : '';
    return `Encrypted at rest by kube-apiserver (provider kms ${e.version || 'v1'}, KMS provider '${e.keyName}'${id}): the key is held by the KMS, not in the bucket, so the value cannot be read here; read it through the API server (kubectl get) once it is back.`;
  }
  return `Encrypted at rest by kube-apiserver (provider ${provider}, key '${e.keyName}'): the key is in the API server's encryption configuration, not in the bucket, so the value cannot be read here; read it through the API server (kubectl get) once it is back.`;
}

/** Field 2 (keyID, a string) of a kms v2 EncryptedObject; undefined when the bytes do not parse as expected. */
function kmsV2KeyId(bytes: Uint8Array): string | undefined {
  let at = 0;
  const varint = (): number | undefined => {
    let n = 0;
    for (let shift = 0; shift < 35 && at < bytes.length; shift += 7) {
      const b = bytes[at++];
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
    }
    return undefined;
  };
  while (at < bytes.length) {
    const tag = varint();
    if (tag === undefined || (tag & 7) !== 2) return undefined;
    const length = varint();
    if (length === undefined || at + length > bytes.length) return undefined;
    if (tag >>> 3 === 2)
      return length <= MAX_HEADER ? Buffer.from(bytes.subarray(at, at + length)).toString('utf8') : undefined;
    at += length;
  }
  return undefined;
}
