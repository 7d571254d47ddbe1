import * as assert from 'node:assert/strict';
import { atRestSentence, parseAtRestEncryption } from '../../../../src/core/kine/encryptionAtRest';

const te = new TextEncoder();
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

describe('values encrypted at rest by kube-apiserver', () => {
  it('reads provider, version and key name of aescbc, aesgcm and secretbox values, whatever the ciphertext', () => {
    for (const provider of ['aescbc', 'aesgcm', 'secretbox'])
      assert.deepEqual(parseAtRestEncryption(bytes(`k8s:enc:${provider}:v1:key-2026:`, [0x3a, 0x00, 0xff, 0x3a])), {
        provider,
        version: 'v1',
        keyName: 'key-2026',
      });
  });

  it('reads the KMS provider of kms v1, and the key ID inside a kms v2 EncryptedObject', () => {
    assert.deepEqual(parseAtRestEncryption(bytes('k8s:enc:kms:v1:vault:', [0x00, 0x04, 1, 2, 3, 4, 9, 9])), {
      provider: 'kms',
      version: 'v1',
      keyName: 'vault',
    });
    // EncryptedObject: field 1 encryptedData, field 2 keyID, field 3 encryptedDEKSource…
    const keyId = 'projects/p/keys/k1';
    const envelope = [0x0a, 3, 7, 7, 7, 0x12, keyId.length, ...te.encode(keyId), 0x1a, 2, 1, 2];
    const v2 = parseAtRestEncryption(bytes('k8s:enc:kms:v2:vault:', envelope));
    assert.deepEqual(v2, { provider: 'kms', version: 'v2', keyName: 'vault', kmsKeyId: keyId });
    assert.match(
      atRestSentence(v2!),
      /provider kms v2, KMS provider 'vault', key ID 'projects\/p\/keys\/k1'\): the key is held by the KMS, not in the bucket/,
    );
    // Bytes that are no EncryptedObject give no key ID, and no error.
    assert.equal(parseAtRestEncryption(bytes('k8s:enc:kms:v2:vault:', [0x12, 200, 1]))?.kmsKeyId, undefined);
  });

  it('is undefined for anything else, and copes with a header cut short', () => {
    assert.equal(parseAtRestEncryption(te.encode('k8s\u0000protobuf')), undefined);
    assert.equal(parseAtRestEncryption(te.encode('{"kind":"Secret"}')), undefined);
    assert.deepEqual(parseAtRestEncryption(te.encode('k8s:enc:aescbc')), { provider: '', version: '', keyName: '' });
  });

  it('says provider and key, that the key is not in the bucket, and where to read the value instead', () => {
    assert.equal(
      atRestSentence({ provider: 'secretbox', version: 'v1', keyName: 'box-1' }),
      "Encrypted at rest by kube-apiserver (provider secretbox, key 'box-1'): the key is in the API server's encryption configuration, not in the bucket, so the value cannot be read here; read it through the API server (kubectl get) once it is back.",
    );
  });
});
