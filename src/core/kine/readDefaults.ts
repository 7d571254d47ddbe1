import type { JsonObject } from './k8sJson';

// The API server's storage decoder applies defaults when it reads an object (k8s-protobuf.md §5), so a few fields the
// bytes lack appear in its JSON. These are the ones seen against kube-apiserver 1.36.3 on kine (the k8sJsonOnStack
// integration test); a default added by a later release shows there as a mismatch.

/** Adds what the API server's read-time defaulting adds to `object` of `apiVersion` `kind`, in place. */
export function applyReadDefaults(apiVersion: string, kind: string, object: JsonObject): void {
  if (apiVersion === 'v1' && kind === 'PersistentVolumeClaim') defaultClaim(object);
  if (kind === 'StatefulSet' && apiVersion.startsWith('apps/')) {
    const spec = object.spec as JsonObject | undefined;
    const templates = Array.isArray(spec?.volumeClaimTemplates) ? (spec.volumeClaimTemplates as unknown[]) : [];
    spec!.volumeClaimTemplates = templates.map((t) => {
      if (!isObject(t)) return t;
      // go-to-protobuf drops the embedded TypeMeta; the API prints the template's as a PVC of core v1, in TypeMeta's
      // Go order (kind first).
      const template: JsonObject = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', ...t };
      defaultClaim(template);
      return template;
    });
  }
}

/** SetDefaults_PersistentVolumeClaim: an empty status phase reads as Pending. */
function defaultClaim(claim: JsonObject): void {
  if (isObject(claim.status) && !claim.status.phase) claim.status = { ...claim.status, phase: 'Pending' };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
