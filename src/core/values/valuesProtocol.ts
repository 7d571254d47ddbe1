// The messages between the extension host and the values worker (valuesThread.ts, valuesWorker.ts). Types only, so
// the host's bundle does not pull the values core in.
import type { analyzeValues } from './analyzeValues';
import type { migrateValues } from './migrateValues';
import type { completeValues } from './valuesCompletion';
import type { resolveFixEdits } from './valuesFixes';
import type { hoverValues } from './valuesHover';

/** What the worker runs: the values core's entry points, each taking and returning plain data. */
export interface ValuesMethods {
  analyzeValues: typeof analyzeValues;
  completeValues: typeof completeValues;
  hoverValues: typeof hoverValues;
  resolveFixEdits: typeof resolveFixEdits;
  migrateValues: typeof migrateValues;
}

export type ValuesMethod = keyof ValuesMethods;

export interface ValuesRequest {
  id: number;
  method: ValuesMethod;
  args: unknown[];
}

export type ValuesReply = { id: number; result: unknown } | { id: number; error: string };
