import type { JsonObject } from './k8sJson';

// kube-apiserver stores CustomResourceDefinitions as apiextensions.k8s.io/v1beta1 JSON (k8s-protobuf.md §6) but
// serves only v1, converting on read (apiextensions-apiserver pkg/apis/apiextensions/v1/conversion.go): what v1beta1
// keeps once for all versions (validation, subresources, additionalPrinterColumns) is copied into each version, the
// single `version` goes, printer columns' JSONPath becomes jsonPath, the webhook settings move under
// conversion.webhook, and preserveUnknownFields: false (v1's omitempty) is dropped.

const V1BETA1 = 'apiextensions.k8s.io/v1beta1';

/** A stored v1beta1 CustomResourceDefinition as the API serves it (v1); any other object unchanged. */
export function servedCrd(object: JsonObject): JsonObject {
  if (object.apiVersion !== V1BETA1 || object.kind !== 'CustomResourceDefinition' || !isObject(object.spec))
    return object;
  const { apiVersion, kind, ...rest } = object;
  void apiVersion;
  return { apiVersion: 'apiextensions.k8s.io/v1', kind, ...rest, spec: specV1(object.spec) };
}

function specV1(spec: JsonObject): JsonObject {
  const versions =
    Array.isArray(spec.versions) && spec.versions.length
      ? (spec.versions as JsonObject[])
      : [{ name: spec.version, served: true, storage: true }];
  return withoutUndefined({
    group: spec.group,
    names: spec.names,
    scope: spec.scope,
    versions: versions.map((v) =>
      withoutUndefined({
        name: v.name,
        served: v.served,
        storage: v.storage,
        deprecated: v.deprecated,
        deprecationWarning: v.deprecationWarning,
        schema: v.schema ?? spec.validation,
        subresources: v.subresources ?? spec.subresources,
        additionalPrinterColumns: columnsV1(v.additionalPrinterColumns ?? spec.additionalPrinterColumns),
        selectableFields: v.selectableFields ?? spec.selectableFields,
      }),
    ),
    conversion: conversionV1(spec.conversion),
    preserveUnknownFields: spec.preserveUnknownFields === true ? true : undefined,
  });
}

function columnsV1(columns: unknown): unknown {
  if (!Array.isArray(columns)) return undefined;
  return columns.map((c: JsonObject) => {
    const { JSONPath, ...rest } = c;
    return withoutUndefined({
      name: rest.name,
      type: rest.type,
      format: rest.format,
      description: rest.description,
      priority: rest.priority,
      jsonPath: JSONPath,
    });
  });
}

function conversionV1(conversion: unknown): unknown {
  if (!isObject(conversion)) return conversion;
  const { strategy, webhookClientConfig, conversionReviewVersions } = conversion;
  if (strategy !== 'Webhook') return { strategy };
  return { strategy, webhook: withoutUndefined({ clientConfig: webhookClientConfig, conversionReviewVersions }) };
}

function withoutUndefined(o: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
