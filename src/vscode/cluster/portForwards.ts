import * as vscode from 'vscode';
import type { ClusterTarget } from '../../core/connections/connectionSpec';
import { NatsPortForward, type PortForwardState } from '../../core/kube/portForward';
import type { ClusterAccess } from './clusterAccess';
import { ClusterCommands } from './clusterIds';

const READY_TIMEOUT_MS = 15_000;

/**
 * The port-forwards behind connections whose target is a release in a cluster: one per target, started when its
 * connection is first opened, shown in one status bar item, stopped with the extension. Each forward re-picks a
 * ready pod by itself when its pod restarts; the NATS client's own reconnect carries the session across.
 */
export class PortForwards implements vscode.Disposable {
  private readonly forwards = new Map<
    string,
    { forward: Promise<NatsPortForward>; state: PortForwardState; label: string }
  >();
  private readonly item = vscode.window.createStatusBarItem('natsK3s.portForward', vscode.StatusBarAlignment.Left, 9);

  constructor(
    private readonly access: ClusterAccess,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item.name = 'NATS: Port-Forwards';
    this.item.command = ClusterCommands.selectContext;
  }

  /** The local `nats://127.0.0.1:<port>` of the target's forward, starting it on first use. */
  async url(target: ClusterTarget): Promise<string> {
    const sel = this.access.selection();
    const context = target.context ?? sel.context;
    const key = `${context ?? ''}/${target.namespace}/${target.release}`;
    let entry = this.forwards.get(key);
    if (!entry) {
      const label = `${target.release}.${target.namespace}`;
      const created: { forward: Promise<NatsPortForward>; state: PortForwardState; label: string } = {
        forward: Promise.resolve(undefined as never),
        state: { kind: 'starting' },
        label,
      };
      created.forward = (async () => {
        // Refuses in Restricted Mode and for a workspace kubeconfig not allowed yet, else opens (or names the problem).
        const cluster = await this.access.openCluster(context);
        return NatsPortForward.start(cluster, {
          release: target.release,
          namespace: target.namespace,
          // Someone is waiting on an expanded tree node: give up on a release without a ready pod sooner than helm would.
          readyTimeoutMs: READY_TIMEOUT_MS,
          onState: (state) => {
            created.state = state;
            this.log.info(`port-forward ${label}: ${describe(state)}`);
            this.render();
          },
        });
      })();
      entry = created;
      this.forwards.set(key, created);
      // A forward that failed to start is forgotten, so the next connect tries again.
      created.forward.catch((err: unknown) => {
        this.forwards.delete(key);
        this.log.warn(`port-forward ${label}: ${err instanceof Error ? err.message : String(err)}`);
        this.render();
      });
      this.render();
    }
    return (await entry.forward).url;
  }

  private render(): void {
    if (this.forwards.size === 0) {
      this.item.hide();
      return;
    }
    const states = [...this.forwards.values()];
    const bad = states.some((s) => s.state.kind === 'failed' || s.state.kind === 'reconnecting');
    this.item.text = `$(${bad ? 'debug-disconnect' : 'plug'}) ${states.map((s) => `${s.label}${s.state.kind === 'forwarding' ? ` :${s.state.localPort}` : ` ${s.state.kind}`}`).join(', ')}`;
    this.item.tooltip = states.map((s) => `${s.label}: ${describe(s.state)}`).join('\n');
    this.item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** The current states, for tests and the tooltip. */
  states(): { label: string; state: PortForwardState }[] {
    return [...this.forwards.values()].map(({ label, state }) => ({ label, state }));
  }

  dispose(): void {
    for (const { forward } of this.forwards.values())
      void forward.then(
        (f) => f.stop(),
        () => undefined,
      );
    this.forwards.clear();
    this.item.dispose();
  }
}

function describe(s: PortForwardState): string {
  switch (s.kind) {
    case 'forwarding':
      return `forwarding 127.0.0.1:${s.localPort} to pod ${s.pod}`;
    case 'reconnecting':
    case 'failed':
      return `${s.kind}: ${s.reason}`;
    default:
      return s.kind;
  }
}
