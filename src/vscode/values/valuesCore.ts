/**
 * The values core (schema, analysis, completion, hover, migration, and the yaml parser) is loaded on first use, not
 * at activation: the extension's build puts it in a bundle of its own, dist/values.js (see scripts/build.mjs), so
 * opening the NATS view or a YAML file of another chart never pays for it.
 */
import type * as ValuesCore from '../../core/values/index.js';

export type ValuesCoreModule = typeof ValuesCore;

let loading: Promise<ValuesCoreModule> | undefined;

export function loadValuesCore(): Promise<ValuesCoreModule> {
  loading ??= import('../../core/values/index.js').then((m) => {
    // A CommonJS bundle may arrive as the namespace's `default`.
    const wrapped = m as ValuesCoreModule & { default?: ValuesCoreModule };
    return typeof wrapped.analyzeValues === 'function' ? wrapped : (wrapped.default ?? wrapped);
  });
  return loading;
}
