import * as vscode from 'vscode';
import {
  type ConsumerSpec,
  consumerConfig,
  consumerLeaderStepDown,
  consumerPauseUnsupported,
  consumerSpecOf,
  createConsumer,
  FeatureUnsupportedError,
  pauseConsumer,
  pauseUntilOf,
  resumeConsumer,
  updateConsumer,
} from '../../core/nats/consumerWrites';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';
import { pickConsumer, pickStream } from './pickNodes';

/** `natsK3s.consumer.create` / `.edit` arguments: a spec given whole skips every prompt. */
export interface ConsumerArgs {
  readonly spec?: ConsumerSpec;
}

/** `natsK3s.consumer.pause`'s argument: until when (ISO time), or a duration such as `30m`, `2h`, `1d`. */
export interface PauseArgs {
  readonly until?: string;
}

const DELIVER = ['all', 'last', 'new', 'last_per_subject'] as const;
const ACK = ['explicit', 'all', 'none'] as const;
/** Asks for each field, starting from `start`; resolves undefined when the user backs out. */
async function askSpec(title: string, start: ConsumerSpec, editing: boolean): Promise<ConsumerSpec | undefined> {
  const durable = editing
    ? start.durable
    : await vscode.window.showInputBox({ title, prompt: 'Durable name', value: start.durable });
  if (!durable) return undefined;
  const filters = await vscode.window.showInputBox({
    title,
    prompt: 'Filter subjects, separated by commas (empty: every subject of the stream)',
    value: (start.filterSubjects ?? []).join(', '),
  });
  if (filters === undefined) return undefined;
  let deliverPolicy = start.deliverPolicy;
  if (!editing) {
    const picked = await vscode.window.showQuickPick(
      DELIVER.map((d) => ({ label: d })),
      { title, placeHolder: 'Deliver policy (where the consumer starts)' },
    );
    if (!picked) return undefined;
    deliverPolicy = picked.label;
  }
  const ack = await vscode.window.showQuickPick(
    ACK.map((a) => ({ label: a, picked: a === start.ackPolicy })),
    { title, placeHolder: 'Ack policy' },
  );
  if (!ack) return undefined;
  const maxDeliver = await vscode.window.showInputBox({
    title,
    prompt: 'Max deliver (-1: unlimited)',
    value: String(start.maxDeliver ?? -1),
  });
  if (maxDeliver === undefined) return undefined;
  const backoff = await vscode.window.showInputBox({
    title,
    prompt: 'Backoff: redelivery delays in seconds, separated by commas (empty: none)',
    value: (start.backoffSeconds ?? []).join(', '),
  });
  if (backoff === undefined) return undefined;
  return {
    ...start,
    durable,
    filterSubjects: filters
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    deliverPolicy,
    ackPolicy: ack.label,
    maxDeliver: Number(maxDeliver.trim()),
    backoffSeconds: backoff
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number),
  };
}

/** Consumers: create, edit, pause, resume and leader step-down. */
export function registerConsumerCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, refuseIfReadOnly, tree } = ctx;
  return [
    safe(Commands.createConsumer, async (given?: Node<'stream'>, args?: ConsumerArgs): Promise<string | undefined> => {
      const node = given ?? (await pickStream(ctx));
      const stream = node.stream.name;
      refuseIfReadOnly(`creating a consumer on stream ${stream}`);
      const spec =
        args?.spec ?? (await askSpec(`New consumer on ${stream}`, { durable: '', ackPolicy: 'explicit' }, false));
      if (!spec) return undefined;
      consumerConfig(spec); // checked before anything is sent, so a mistake is one sentence naming the field
      const ci = await createConsumer(await session(node.conn), stream, spec);
      void vscode.window.showInformationMessage(`Consumer ${ci.name} created on stream ${stream}.`);
      tree.refresh();
      return ci.name;
    }),
    safe(Commands.editConsumer, async (given?: Node<'consumer'>, args?: ConsumerArgs): Promise<boolean> => {
      const node = given ?? (await pickConsumer(ctx));
      const { stream, name } = node.consumer;
      refuseIfReadOnly(`editing consumer ${name}`);
      if (!node.consumer.durable)
        throw new UserInputError(`Consumer ${name} is ephemeral; only durable consumers can be edited.`);
      const access = await session(node.conn);
      const ci = await (await access.jetstreamManager()).consumers.info(stream, name);
      const spec = args?.spec ?? (await askSpec(`Edit consumer ${name} of ${stream}`, consumerSpecOf(ci), true));
      if (!spec) return false;
      consumerConfig(spec);
      if (
        !(await confirmDestructive(
          `Apply the edit to consumer ${name} of stream ${stream} on '${node.conn.spec.name}'?`,
          'Pending messages stay; redeliveries follow the new max deliver and backoff.',
          'Apply',
        ))
      )
        return false;
      await updateConsumer(access, stream, { ...spec, durable: name });
      tree.refresh();
      return true;
    }),
    safe(Commands.pauseConsumer, async (given?: Node<'consumer'>, args?: PauseArgs): Promise<string | undefined> => {
      const node = given ?? (await pickConsumer(ctx));
      const { stream, name } = node.consumer;
      refuseIfReadOnly(`pausing consumer ${name}`);
      const access = await session(node.conn);
      const unsupported = consumerPauseUnsupported(access);
      if (unsupported) throw new FeatureUnsupportedError(unsupported);
      const text =
        args?.until ??
        (await vscode.window.showInputBox({
          title: `Pause consumer ${name}`,
          prompt: 'Until when: a duration such as 30m, 2h, 1d, or an ISO time',
          value: '1h',
        }));
      if (!text) return undefined;
      const until = await pauseConsumer(access, stream, name, pauseUntilOf(text));
      void vscode.window.showInformationMessage(`Consumer ${name} paused until ${until}.`);
      tree.refresh();
      return until;
    }),
    safe(Commands.resumeConsumer, async (given?: Node<'consumer'>): Promise<void> => {
      const node = given ?? (await pickConsumer(ctx));
      const { stream, name } = node.consumer;
      refuseIfReadOnly(`resuming consumer ${name}`);
      await resumeConsumer(await session(node.conn), stream, name);
      tree.refresh();
    }),
    safe(Commands.consumerStepDown, async (given?: Node<'consumer'>): Promise<boolean> => {
      const node = given ?? (await pickConsumer(ctx));
      const { stream, name } = node.consumer;
      refuseIfReadOnly(`stepping down the leader of consumer ${name}`);
      if (
        !(await confirmDestructive(
          `Step down the leader of consumer ${name} of stream ${stream} on '${node.conn.spec.name}'?`,
          'Its replicas elect a new leader; deliveries pause for the election.',
          'Step Down',
        ))
      )
        return false;
      await consumerLeaderStepDown(await session(node.conn), stream, name);
      tree.refresh();
      return true;
    }),
  ];
}
