import { stringify } from 'yaml';
import type { EraDetection } from './formatEra';
import type { KineObjectView, KineRevision } from './kineObject';
import { apiObjectOf, revisionJson } from './recordView';
import { atRestSentence } from './encryptionAtRest';

export interface KineDocumentOptions {
  readonly bucket: string;
  /** Show the value of a Secret or `/bootstrap/` key; otherwise only its metadata. */
  readonly reveal: boolean;
  /** The bucket's detected writer era, when known. */
  readonly bucketEra?: EraDetection;
}

/**
 * The read-only document of one kine object: key, revisions, lease and expiry, format, then the decoded object as
 * YAML: a Kubernetes object as the API server returns it (`kubectl get -o yaml`), after a `value` line of how it is
 * stored; anything else as apiVersion, kind, metadata and the JSON or protobuf field tree. Sensitive values stay hidden unless
 * `reveal`; a body that did not decode says why instead of failing.
 */
export function renderKineDocument(view: KineObjectView, options: KineDocumentOptions): string {
  const header = [
    `# ${view.key}`,
    `# kine bucket '${options.bucket}', revision ${view.revision}; ${view.storedRevisions} revision${view.storedRevisions === 1 ? '' : 's'} of this key stored; read-only.`,
  ];
  const encryption = view.decoded?.value?.encryption;
  if (encryption) header.push(`# ${atRestSentence(encryption)}`);
  else if (view.sensitive && !options.reveal)
    header.push('# The value of this key is hidden: run "Reveal Value" on it to show it.');
  const body: Record<string, unknown> = {
    ...summary(view),
    storedRevisions: view.storedRevisions,
    bucketFormat: options.bucketEra ? `kine ${options.bucketEra.label}` : undefined,
    ...valueParts(view, options.reveal),
  };
  return `${header.join('\n')}\n${stringify(dropUndefined(body), { lineWidth: 0 })}`;
}

/** One revision as text for the history diff: the same shape as the document, without the header. */
export function renderKineRevision(r: KineRevision, reveal: boolean): string {
  return stringify(dropUndefined({ ...summary(r), ...valueParts(r, reveal) }), { lineWidth: 0 });
}

function summary(r: KineRevision): Record<string, unknown> {
  const json = revisionJson(r, false);
  return {
    key: json.key,
    state: json.state,
    operation: json.operation,
    modRevision: json.revision,
    createRevision: json.createRevision,
    prevRevision: json.prevRevision,
    written: json.time,
    lease: r.lease ? `${r.lease}s` : undefined,
    leaseExpiresAt: json.leaseExpiresAt,
    recordFormat: r.era ? `kine ${r.era.label}` : undefined,
    decodeError: r.decodeError ? `${r.decodeError.reason}: ${r.decodeError.message}` : undefined,
  };
}

function valueParts(r: KineRevision, reveal: boolean): { value?: unknown; object?: unknown } {
  const value = revisionJson(r, reveal).value as Record<string, unknown> | undefined;
  if (!value) return {};
  const { encoding, size, sha256, apiVersion, kind, metadata, hidden, object, ...content } = value;
  const apiObject = hidden || !r.decoded?.value ? undefined : (object ?? apiObjectOf(r.decoded.value, r.revision));
  if (apiObject) return { value: dropUndefined({ encoding, size, sha256, cut: content.cut }), object: apiObject };
  return {
    object: dropUndefined({
      apiVersion,
      kind,
      metadata,
      encoding,
      size,
      sha256,
      hidden: hidden ? true : undefined,
      content: Object.keys(dropUndefined(content)).length ? dropUndefined(content) : undefined,
    }),
  };
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
