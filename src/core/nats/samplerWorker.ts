// The subject sampler's worker thread: its own NATS connection and the `SubjectSampler` trie, so a burst of
// traffic on '>' is parsed and counted here and never blocks the extension host's event loop. The host reads
// counters a few times a second and one tree level at a time (see samplerThread.ts).
import { parentPort } from 'node:worker_threads';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from './connectNats';
import { recipeConnectOptions } from '../connections/connectOptions';
import { explainNatsError } from './explainError';
import type { FromSamplerWorker, ToSamplerWorker } from './samplerProtocol';
import { IDLE_SAMPLER_STATS, SubjectSampler, type SamplerStats } from './subjectSampler';
import type { StreamSubjects } from './subjectTree';

const port = parentPort;
if (!port) throw new Error('samplerWorker.js runs only as a worker thread.');

let sampler: SubjectSampler | undefined;
let streams: readonly StreamSubjects[] = [];
let stopAsked = false;

const post = (m: FromSamplerWorker): void => port.postMessage(m);

async function start(m: Extract<ToSamplerWorker, { type: 'start' }>): Promise<void> {
  const urls = (m.recipe.overrides.servers ?? m.recipe.spec.servers).join(',');
  let nc: NatsConnection;
  try {
    nc = await connectNats(recipeConnectOptions(m.recipe));
  } catch (err) {
    post({ type: 'stats', stats: { ...IDLE_SAMPLER_STATS, stopReason: 'error', error: explainNatsError(err, urls) } });
    return;
  }
  if (stopAsked) {
    post({ type: 'stats', stats: { ...IDLE_SAMPLER_STATS, stopReason: 'stopped' } });
    await nc.close().catch(() => undefined);
    return;
  }
  const running = new SubjectSampler({ connection: () => nc }, m.options);
  sampler = running;
  // The view says when the sample's own connection is away (the explorer's may be fine).
  let reconnecting = false;
  const report = (stats: SamplerStats) =>
    post({ type: 'stats', stats: reconnecting && stats.running ? { ...stats, reconnecting } : stats });
  void (async () => {
    for await (const status of nc.status()) {
      const away: boolean =
        status.type === 'disconnect' || status.type === 'reconnecting'
          ? true
          : status.type === 'reconnect'
            ? false
            : reconnecting;
      if (away === reconnecting || !running.running) continue;
      reconnecting = away;
      report(running.stats());
    }
  })().catch(() => undefined);
  running.onChange((stats) => {
    report(stats);
    // Stopped for any reason: the counts stay readable here, the connection goes.
    if (!stats.running) void nc.close().catch(() => undefined);
  });
  running.start();
  if (streams.length) running.setStreamSubjects(streams);
  // The first report means "subscribed": the server has the subscription once a flush comes back.
  await nc.flush().catch(() => undefined);
  report(running.stats());
}

port.on('message', (m: ToSamplerWorker) => {
  switch (m.type) {
    case 'start':
      void start(m);
      break;
    case 'level':
      post({ type: 'level', id: m.id, children: sampler?.children(m.subject) ?? [] });
      break;
    case 'streams':
      streams = m.streams;
      sampler?.setStreamSubjects(streams);
      break;
    case 'reset':
      sampler?.reset();
      break;
    case 'stop':
      stopAsked = true;
      sampler?.stop();
      break;
  }
});
