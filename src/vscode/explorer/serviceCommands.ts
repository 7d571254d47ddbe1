import * as vscode from 'vscode';
import { requestEndpoint, type EndpointReply } from '../../core/nats/services/endpointRequest';
import {
  discoverServices,
  type ServiceDiscovery,
  type ServiceEndpoint,
} from '../../core/nats/services/serviceDiscovery';
import { escapeControl } from '../../core/text/escapeControl';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import type { CommandContext, Node } from './commandContext';
import type { ExplorerNode } from './explorerNodes';
import { renderPayload } from './payloadText';
import { discoveryNote } from './serviceNodes';

/** `natsK3s.service.request`'s optional arguments: each one given skips its prompt. */
export interface ServiceRequestArgs {
  /** The endpoint's subject, when run from the palette instead of an endpoint node. */
  readonly subject?: string;
  readonly payload?: string;
  readonly timeoutMs?: number;
}

type ServicesScope = Node<'services'> | Node<'service'> | Node<'serviceInstance'>;

/** Services: show what discovery found as a document, refresh the Services node, request an endpoint. */
export function registerServiceCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, connectionOf, docs, tree } = ctx;
  return [
    safe(Commands.servicesRefresh, (node?: Node<'services'>) => tree.refresh(node)),
    safe(Commands.servicesShow, async (node?: ServicesScope): Promise<ServiceDiscovery> => {
      const conn = await connectionOf(node);
      const name =
        node?.kind === 'service' ? node.group.name : node?.kind === 'serviceInstance' ? node.instance.name : undefined;
      const found = await withProgress(`Asking $SRV on '${conn.spec.name}'…`, async () =>
        discoverServices(await session(conn), name ? { name } : {}),
      );
      const onlyId = node?.kind === 'serviceInstance' ? node.instance.id : undefined;
      const services = found.services
        .map((g) => ({ ...g, instances: g.instances.filter((i) => !onlyId || i.id === onlyId) }))
        .filter((g) => g.instances.length > 0);
      const note = discoveryNote(found);
      const text = JSON.stringify({ services, ...(note ? { note } : {}) }, null, 2);
      const path = `/${conn.spec.name}/services/${onlyId ?? name ?? 'all'}.json`;
      await docs.show(path, text, 'json');
      return { ...found, services };
    }),
    safe(
      Commands.serviceRequest,
      async (
        node?: Node<'serviceEndpoint'> | ExplorerNode,
        args?: ServiceRequestArgs,
      ): Promise<EndpointReply | undefined> => {
        ctx.refuseIfReadOnly('requesting a service endpoint');
        const conn = await connectionOf(node);
        const subject =
          node?.kind === 'serviceEndpoint'
            ? node.endpoint.subject
            : (args?.subject ?? (await pickEndpoint(await discoverServices(await session(conn)))));
        if (!subject) return undefined;
        const payload =
          args?.payload ??
          (await vscode.window.showInputBox({
            title: `Request ${escapeControl(subject)}`,
            prompt: 'Payload (text or JSON); empty sends an empty request',
          }));
        if (payload === undefined) return undefined;
        const timeoutMs = args?.timeoutMs ?? 5_000;
        if (!(timeoutMs > 0))
          throw new UserInputError(`The timeout must be a positive number of milliseconds, not ${timeoutMs}.`);
        const reply = await withProgress(`Requesting ${escapeControl(subject)}…`, async () =>
          requestEndpoint(await session(conn), subject, payload, timeoutMs),
        );
        const head = reply.headers.map(([k, v]) => `${k}: ${v}`).join('\n');
        const { text, language } = renderPayload(reply.payload);
        await docs.show(
          `/${conn.spec.name}/services/replies/${subject}`,
          `${head ? `${head}\n\n` : ''}${text}`,
          head ? undefined : language,
        );
        if (reply.serviceError)
          throw new UserInputError(
            `The endpoint ${escapeControl(subject)} answered with error ${escapeControl(reply.serviceError.code) || '(no code)'}: ${escapeControl(reply.serviceError.text) || '(no text)'}.`,
          );
        void vscode.window.showInformationMessage(
          `Reply from ${escapeControl(subject)} in ${Math.round(reply.elapsedMs)} ms.`,
        );
        return reply;
      },
    ),
  ];
}

/** The subject of an endpoint the user picks among every discovered one; undefined when cancelled. */
async function pickEndpoint(found: ServiceDiscovery): Promise<string | undefined> {
  const seen = new Map<string, { name: string; service: string; endpoint: ServiceEndpoint }>();
  for (const g of found.services)
    for (const i of g.instances)
      for (const e of i.endpoints)
        if (!seen.has(e.subject)) seen.set(e.subject, { name: e.name, service: g.name, endpoint: e });
  if (seen.size === 0)
    throw new UserInputError('No service answered $SRV.PING on this connection: start one, then try again.');
  const picked = await vscode.window.showQuickPick(
    [...seen.entries()].map(([subject, e]) => ({
      label: escapeControl(e.name),
      description: escapeControl(subject),
      detail: escapeControl(e.service),
      subject,
    })),
    { title: 'Service endpoint' },
  );
  return picked?.subject;
}

/**
 * Runs `work` under a cancellable notification. Cancelling stops the wait, not the request already on the wire:
 * its reply, if any comes, is dropped.
 */
function withProgress<T>(title: string, work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) =>
      new Promise<T>((resolve, reject) => {
        const cancelled = token.onCancellationRequested(() => reject(new vscode.CancellationError()));
        work()
          .then(resolve, reject)
          .finally(() => cancelled.dispose());
      }),
  );
}
