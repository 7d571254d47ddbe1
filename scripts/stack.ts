// `npm run stack`: the K3s-shaped control plane on NATS alone (test/harness/k8sStack.ts): a 3-node JetStream
// cluster, kine on it, kube-apiserver and kube-controller-manager, all on 127.0.0.1. Prints the addresses as
// NAME=value lines, the start-up time of each phase, then READY; SIGINT or SIGTERM stops everything it started.
// NATS_K3S_STACK_KEEP=1 keeps the temp folder (logs, keys, kubeconfig) after the stop. NATS_K3S_STACK_NODES=N adds N
// fake nodes run by kwok (1 = K3s's single server), so Pods get bound and become Running and Ready.
import { startK8sStack, type K8sStack } from '../test/harness/k8sStack';

async function main(): Promise<void> {
  let stack: K8sStack | undefined;
  let stopping = false;
  let startAborted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (!stack) {
      // Still starting: stop once the start settles (startK8sStack cleans up after itself if it fails).
      startAborted = true;
      console.log(`\n${sig}: stopping once the start-up finishes…`);
      return;
    }
    console.log(`\n${sig}: stopping the stack…`);
    stack.stop().then(
      () => {
        console.log('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`stopping failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const nodes = Number(process.env.NATS_K3S_STACK_NODES ?? '0');
    if (!Number.isInteger(nodes) || nodes < 0)
      throw new Error(`NATS_K3S_STACK_NODES must be a whole number, not '${process.env.NATS_K3S_STACK_NODES}'`);
    stack = await startK8sStack({
      nodes,
      keepDir: process.env.NATS_K3S_STACK_KEEP === '1',
      onProgress: (line) => console.log(`  ${line}`),
    });
  } catch (err) {
    // Ctrl-C in a terminal reaches the children too, so a start-up cut short fails here; it has stopped what it started.
    if (!startAborted) throw err;
    console.log(`stopped: the start-up was interrupted (${err instanceof Error ? err.message : String(err)})`);
    process.exit(0);
  }
  if (startAborted) {
    await stack.stop();
    console.log('stopped');
    process.exit(0);
  }
  const ms = stack.startupMs;
  console.log(`NATS_URL=${stack.natsUrls.join(',')}`);
  console.log(`KINE_ENDPOINT=${stack.kineEndpoint}`);
  console.log(`KUBECONFIG=${stack.kubeconfig}`);
  console.log(`# apiserver ${stack.apiServerUrl}, context ${stack.context}; logs in ${stack.dir}`);
  console.log(
    `# pids: nats ${stack.pids.nats.join(' ')}, kine ${stack.pids.kine}, kube-apiserver ${stack.pids.kubeApiserver}, kube-controller-manager ${stack.pids.kubeControllerManager}` +
      (stack.pids.kwok ? `, kwok ${stack.pids.kwok}, pod binder ${stack.pids.podBinder}` : ''),
  );
  if (stack.nodeNames.length) console.log(`# nodes (kwok): ${stack.nodeNames.join(' ')}`);
  console.log(
    `# start-up: pki ${ms.pki} ms, nats ${ms.nats} ms, kine ${ms.kine} ms, kube-apiserver ${ms.kubeApiserver} ms, kube-controller-manager ${ms.kubeControllerManager} ms${stack.nodeNames.length ? `, kwok nodes ${ms.kwok} ms` : ''}, total ${ms.total} ms`,
  );
  if (stack.kineStarts > 1)
    console.log(`# kine exited during start-up and was started ${stack.kineStarts} times (logs: kine-failed-*.log)`);
  console.log('READY');
}

main().catch((err: unknown) => {
  console.error(`npm run stack: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
