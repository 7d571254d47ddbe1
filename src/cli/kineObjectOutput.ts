import { stringify } from 'yaml';
import type { KineRevision } from '../core/kine/kineObject';
import { apiObjectOf } from '../core/kine/recordView';
import { atRestSentence } from '../core/kine/encryptionAtRest';

export type ObjectFormat = 'yaml' | 'json';

/**
 * `kine get KEY --object`: the stored Kubernetes object alone, as the API server returns it (YAML as
 * `kubectl get -o yaml` prints it, or JSON), or one sentence saying why there is none and what to run instead.
 */
export function objectOutput(
  r: KineRevision,
  format: ObjectFormat,
  reveal: boolean,
): { text: string } | { error: string } {
  const value = r.decoded?.value;
  if (!value)
    return {
      error: `${r.key} holds no object at revision ${r.revision} (${r.decodeError ? r.decodeError.message : `its newest revision is a ${r.operation}`}); run without --object to see the revision.`,
    };
  // Before the reveal check: --reveal cannot help with ciphertext, so it must not be suggested.
  if (value.encryption) return { error: `${r.key} holds no readable object. ${atRestSentence(value.encryption)}` };
  if (r.sensitive && !reveal)
    return { error: `${r.key} holds a Secret or K3s bootstrap data, which stays hidden; pass --reveal to print it.` };
  const object = apiObjectOf(value, r.revision);
  if (!object) {
    const why =
      value.protobuf?.fieldsNote ?? value.protobufError ?? `its value is ${value.encoding}, not a Kubernetes object`;
    return {
      error: `${r.key} cannot be shown as an API object: ${why.replace(/\.$/, '')}; run without --object to see the value as stored.`,
    };
  }
  return { text: format === 'json' ? `${JSON.stringify(object, null, 2)}\n` : stringify(object, { lineWidth: 0 }) };
}
