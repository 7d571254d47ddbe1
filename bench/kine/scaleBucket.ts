// Fills a server with a big kine bucket from a separate process, so the generator's own memory (it remembers every
// key it wrote) does not blur the heap and RSS figures of the process under measurement.
// As a program: node out/bench/kine/scaleBucket.js <server-url> <keys>  (prints the summary as JSON)
import { execFile } from 'node:child_process';
import { connect } from '@nats-io/transport-node';
import { KineFixtureWriter } from '../../test/generators/kine/fixtureWriter';
import { pod } from '../../test/generators/kine/fixtureScenario';
import { generateKeyspace } from '../../test/generators/kine/keyspaceGenerator';

/** One namespace this crowded, to time opening a namespace of 10,000 pods. */
export const CROWD = { namespace: 'crowd', pods: 10_000 };

export interface ScaleBucket {
  readonly keys: number;
  readonly deleted: number;
  readonly messages: number;
  readonly millis: number;
}

/** Generates `keys` keys (the crowded namespace included) into bucket `kine` on `url`, in a child process. */
export function generateIntoServer(url: string, keys: number): Promise<ScaleBucket> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [__filename, url, String(keys)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`the generator failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as ScaleBucket);
    });
  });
}

async function generate(url: string, keys: number): Promise<ScaleBucket> {
  const started = Date.now();
  const nc = await connect({ servers: url });
  try {
    const w = await KineFixtureWriter.create(nc, { bucket: 'kine', asyncAcks: true });
    // Small values: the first level never reads them, and they keep a million keys' stream to a few hundred MB.
    const s = await generateKeyspace(w, { keys: keys - CROWD.pods, seed: 1_000, valuePadding: 64, window: 4_000 });
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < CROWD.pods; i = next++)
        await w.create(`/registry/pods/${CROWD.namespace}/p-${i}`, pod(`p-${i}`, CROWD.namespace, { app: 'crowd' }));
    };
    await Promise.all(Array.from({ length: 2_000 }, worker));
    return {
      keys: s.keys + CROWD.pods,
      deleted: s.deleted,
      messages: s.messages + CROWD.pods,
      millis: Date.now() - started,
    };
  } finally {
    await nc.close();
  }
}

if (require.main === module) {
  generate(process.argv[2], Number(process.argv[3])).then(
    (s) => process.stdout.write(JSON.stringify(s)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
