import * as vscode from 'vscode';
import { checkDatastoreEndpoint, type DatastoreTlsFiles } from '../../core/kine/endpointCheck';
import { endpointCheckLines, hasCheckErrors } from '../../core/kine/endpointCheckReport';
import { parseDatastoreEndpoint } from '../../core/kine/parseDatastoreEndpoint';
import { registerSafeCommand } from '../commandRunner';
import { Commands } from '../ids';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';

/**
 * NATS: Check K3s Datastore Endpoint: the `--datastore-endpoint` value in an input box (validated as kine reads it),
 * the TLS files K3s would pass in a second one, then the check's sentences in a read-only document.
 */
export function registerEndpointCheckCommand(log: vscode.LogOutputChannel, docs: ReadOnlyDocuments): vscode.Disposable {
  return registerSafeCommand(log, Commands.checkDatastoreEndpoint, async () => {
    const value = await vscode.window.showInputBox({
      title: 'Check K3s Datastore Endpoint (1/2)',
      prompt: 'The --datastore-endpoint value, as K3s gets it',
      placeHolder: 'nats://10.0.0.1:4222?bucket=kine&replicas=3,nats://10.0.0.2:4222',
      password: false,
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseDatastoreEndpoint(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (!value) return;
    const files = await vscode.window.showInputBox({
      title: 'Check K3s Datastore Endpoint (2/2)',
      prompt:
        'TLS files K3s passes (--datastore-cafile, and optionally -certfile and -keyfile), comma-separated; empty for none',
      placeHolder: '/etc/nats/ca.pem,/etc/nats/client.pem,/etc/nats/client-key.pem',
      ignoreFocusOut: true,
      validateInput: (v) =>
        tlsFiles(v) ? undefined : 'Give no file, a CA file, or a CA file, a certificate and its key.',
    });
    if (files === undefined) return;
    const parsed = parseDatastoreEndpoint(value);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Checking the datastore endpoint…', cancellable: true },
      (_progress, token) =>
        // The check ends by itself within its timeouts; cancelling stops the wait for it.
        Promise.race([
          checkDatastoreEndpoint(parsed, tlsFiles(files)!),
          new Promise<never>((_, reject) =>
            token.onCancellationRequested(() => reject(new vscode.CancellationError())),
          ),
        ]),
    );
    const text = [
      '# K3s datastore endpoint check (what kine would meet at start)',
      ...endpointCheckLines(result),
      '',
    ].join('\n');
    await docs.show('/k3s-datastore-check.txt', text);
    if (hasCheckErrors(result))
      void vscode.window.showWarningMessage('kine would not start with this endpoint: see the ERROR lines.');
  });
}

/** The TLS files from a comma-separated list: none, a CA file, or a CA file, a certificate and a key. */
function tlsFiles(v: string): DatastoreTlsFiles | undefined {
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return {};
  if (parts.length === 1) return { caFile: parts[0] };
  if (parts.length === 3) return { caFile: parts[0], certFile: parts[1], keyFile: parts[2] };
  return undefined;
}
