// The values worker thread: the analysis, completion, hover, quick fixes and migration of values files run here, so
// however long a hostile file takes within the limits (valuesLimits.ts), the extension host's thread never waits.
import { parentPort } from 'node:worker_threads';
import { analyzeValues } from './analyzeValues';
import { migrateValues } from './migrateValues';
import { completeValues } from './valuesCompletion';
import { resolveFixEdits } from './valuesFixes';
import { hoverValues } from './valuesHover';
import type { ValuesMethods, ValuesReply, ValuesRequest } from './valuesProtocol';

const port = parentPort;
if (!port) throw new Error('valuesWorker.js runs only as a worker thread.');

const METHODS: ValuesMethods = { analyzeValues, completeValues, hoverValues, resolveFixEdits, migrateValues };

port.on('message', (m: ValuesRequest) => {
  let reply: ValuesReply;
  try {
    if (!Object.hasOwn(METHODS, m.method)) throw new Error(`no method ${String(m.method)}`);
    reply = { id: m.id, result: (METHODS[m.method] as (...args: unknown[]) => unknown)(...m.args) };
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
