// A separate publisher process for samplerBurst: publishes `total` 15-byte messages over `subjects` subjects
// (`bench.<i % 100>.<i % subjects>`), flushing every 1,024 messages so the socket keeps moving, then prints a JSON line.
import { connect } from '@nats-io/transport-node';

async function main(): Promise<void> {
  const [url, totalArg, subjectsArg] = process.argv.slice(2);
  const total = Number(totalArg ?? 1_000_000);
  const subjects = Number(subjectsArg ?? 10_000);
  const nc = await connect({ servers: url, name: 'bench publisher' });
  const names = Array.from({ length: subjects }, (_, i) => `bench.${i % 100}.${i}`);
  const payload = new TextEncoder().encode('fifteen-bytes!!');
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    nc.publish(names[i % subjects]!, payload);
    if ((i & 1023) === 1023) await nc.flush();
  }
  await nc.flush();
  const ms = performance.now() - start;
  await nc.close();
  console.log(JSON.stringify({ published: total, ms, rate: (total / ms) * 1000 }));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
