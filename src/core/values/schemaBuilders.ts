/**
 * Small builders for the chart's JSON Schemas. The chart repeats the same shapes (tls blocks, images, merge/patch
 * pairs, PVCs) dozens of times, so building them from helpers keeps the two schemas short and consistent.
 */

/** The subset of JSON Schema (draft-07) these schemas use. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $comment?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  default?: unknown;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  definitions?: Record<string, JsonSchema>;
}

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export const TPL_YAML_REF = '#/definitions/tplYaml';
export const PATCH_REF = '#/definitions/patch';
export const MERGE_REF = '#/definitions/merge';

/** Definitions shared by both schemas' `definitions` section. */
export function sharedDefinitions(): Record<string, JsonSchema> {
  return {
    tplYaml: {
      description:
        'A map whose only key is `$tplYaml` (replaced by the YAML its template renders) or `$tplYamlSpread` (spliced into the parent map or list).',
      type: 'object',
      properties: {
        $tplYaml: {
          type: 'string',
          description: 'A Go template rendered with the chart context; its YAML output replaces this map.',
        },
        $tplYamlSpread: {
          type: 'string',
          description: 'A Go template whose YAML output is spliced into the parent map or list.',
        },
      },
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
    },
    merge: {
      description:
        "Deep-merged over the object the chart renders: maps merge key by key, lists replace the chart's list whole, and your values win.",
      type: 'object',
      default: {},
      additionalProperties: true,
    },
    patch: {
      description:
        'RFC 6902 JSON Patch operations applied after merge; paths are relative to the object this key belongs to.',
      type: 'array',
      default: [],
      items: {
        anyOf: [
          {
            type: 'object',
            properties: {
              op: {
                type: 'string',
                enum: ['add', 'remove', 'replace', 'copy', 'move', 'test'],
                description: 'The JSON Patch operation.',
              },
              path: {
                type: 'string',
                pattern: '^/',
                description:
                  'A JSON Pointer starting with `/`, relative to the patched object (`-` appends to a list).',
              },
              value: { description: 'The value for add, replace and test.' },
              from: { type: 'string', pattern: '^/', description: 'The source pointer for copy and move.' },
            },
            required: ['op', 'path'],
            additionalProperties: false,
          },
          { $ref: TPL_YAML_REF },
        ],
      },
    },
  };
}

/** A free map: any keys, any values. */
export function freeMap(description: string, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'object', description, default: {}, additionalProperties: true, ...extra };
}

export function bool(description: string, defaultValue: boolean): JsonSchema {
  return { type: 'boolean', description, default: defaultValue };
}

export function int(description: string, defaultValue: number | null, extra: Partial<JsonSchema> = {}): JsonSchema {
  return {
    type: defaultValue === null ? ['integer', 'null'] : 'integer',
    description,
    default: defaultValue,
    ...extra,
  };
}

/** A string key; a `null` default means the chart computes the value when it is left empty. */
export function str(description: string, defaultValue: string | null, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: defaultValue === null ? ['string', 'null'] : 'string', description, default: defaultValue, ...extra };
}

export function strList(description: string, defaultValue: string[] = []): JsonSchema {
  return { type: 'array', description, default: defaultValue, items: { type: 'string' } };
}

/** A chart-defined object: unknown keys are refused because Helm would silently drop them. */
export function obj(description: string, properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', description, properties, additionalProperties: false };
}

export function mergeKey(what: string): JsonSchema {
  return {
    $ref: MERGE_REF,
    description: `Deep-merged over the rendered ${what}; maps merge, lists replace the chart's list whole.`,
  };
}

export function patchKey(what: string): JsonSchema {
  return {
    $ref: PATCH_REF,
    description: `JSON Patch operations applied to the rendered ${what} after merge; paths are relative to it.`,
  };
}

export function mergePatch(what: string): Record<string, JsonSchema> {
  return { merge: mergeKey(what), patch: patchKey(what) };
}

/** A `*.name` key: null means the chart derives the name from the release's full name. */
export function nameKey(computed: string): JsonSchema {
  return {
    description: `Name of the object; empty means \`${computed}\`. Accepts a \`$tplYaml\` map.`,
    default: null,
    anyOf: [{ type: ['string', 'null'] }, { $ref: TPL_YAML_REF }],
  };
}

/** A Kubernetes quantity such as `10Gi`; YAML numbers are accepted because Kubernetes reads them as bytes. */
export function quantity(description: string, defaultValue: string | null): JsonSchema {
  return {
    type: defaultValue === null ? ['string', 'integer', 'null'] : ['string', 'integer'],
    description,
    default: defaultValue,
  };
}
