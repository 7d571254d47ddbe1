import * as vscode from 'vscode';
import { defaultSecretKey, type ConnectionAuth, type ConnectionSpec } from '../../core/connections/connectionSpec';
import { isServerUrl } from '../../core/connections/connectionSettings';
import { NatsSession } from '../../core/nats/session';
import { scrubSecretShapes } from '../../core/text/secretScrubber';
import { UserInputError } from '../commandRunner';
import { Settings } from '../ids';
import type { SecretStore } from '../secretStore';

/** The answers the steps collect; passing them skips the steps (scripts and tests), never the test or the save modal. */
export interface Answers {
  name: string;
  servers: string[];
  /** `{ kind, user?, credsFile?, seedFile? }`, as natsK3s.connections stores it. */
  auth: Record<string, string>;
  secret?: { key: string; value: string };
  tls?: Record<string, string>;
}

/**
 * "Add Connection": asks step by step (name, servers, authentication, TLS), tests the connection, and only then
 * saves it: the connection to the user's `natsK3s.connections`, a password, token or seed to SecretStorage.
 * Resolves false when the user cancelled or chose not to save a connection that failed its test.
 */
export async function addConnection(
  secrets: SecretStore,
  existingNames: readonly string[],
  given?: Answers,
): Promise<boolean> {
  if (given && existingNames.includes(given.name))
    throw new UserInputError(`A connection named '${given.name}' already exists.`);
  const a = given ?? (await ask(existingNames));
  if (!a) return false;
  const spec = toSpec(a);
  const tested = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Testing connection '${a.name}'…`, cancellable: false },
    () => testConnection(spec, a.secret, secrets),
  );
  if (tested !== 'ok') {
    const save = await vscode.window.showWarningMessage(
      `'${a.name}' did not connect: ${scrubSecretShapes(tested)}`,
      { modal: true, detail: 'Save it anyway, to fix the server or credentials later?' },
      'Save Anyway',
    );
    if (save !== 'Save Anyway') return false;
  }
  if (a.secret) await secrets.set(a.secret.key, a.secret.value);
  const config = vscode.workspace.getConfiguration(Settings.section);
  const current = config.get<unknown[]>(Settings.connections) ?? [];
  const entry: Record<string, unknown> = { name: a.name, servers: a.servers, auth: a.auth };
  if (a.tls) entry.tls = a.tls;
  await config.update(Settings.connections, [...current, entry], vscode.ConfigurationTarget.Global);
  if (tested === 'ok') void vscode.window.showInformationMessage(`Connection '${a.name}' saved.`);
  return true;
}

async function ask(existingNames: readonly string[]): Promise<Answers | undefined> {
  const title = (step: number) => `Add NATS Connection (${step}/4)`;
  const name = await vscode.window.showInputBox({
    title: title(1),
    prompt: 'A name for the connection',
    validateInput: (v) =>
      !v.trim() ? 'A name is needed' : existingNames.includes(v.trim()) ? `'${v.trim()}' already exists` : undefined,
  });
  if (!name) return undefined;
  const serverText = await vscode.window.showInputBox({
    title: title(2),
    prompt: 'Server URL(s), separated by commas',
    value: 'nats://127.0.0.1:4222',
    validateInput: (v) => {
      const bad = v
        .split(',')
        .map((s) => s.trim())
        .find((s) => !isServerUrl(s));
      return bad === undefined ? undefined : `'${bad}' is not a nats://, tls:// or host:port URL`;
    },
  });
  if (!serverText) return undefined;
  const servers = serverText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const kinds = [
    { label: 'None', auth: 'none' },
    { label: 'User and password', auth: 'userPassword' },
    { label: 'Token', auth: 'token' },
    { label: 'Credentials file (.creds)', auth: 'creds' },
    { label: 'NKey seed file', auth: 'nkey' },
  ];
  const picked = await vscode.window.showQuickPick(kinds, { title: title(3), placeHolder: 'Authentication' });
  if (!picked) return undefined;
  const answers: Answers = { name: name.trim(), servers, auth: { kind: picked.auth } };
  const key = defaultSecretKey(answers.name, picked.auth as ConnectionAuth['kind']);
  if (picked.auth === 'userPassword') {
    const user = await vscode.window.showInputBox({ title: title(3), prompt: 'User' });
    if (!user) return undefined;
    const password = await vscode.window.showInputBox({
      title: title(3),
      prompt: `Password of ${user} (kept in VS Code's secret storage)`,
      password: true,
    });
    if (password === undefined) return undefined;
    answers.auth.user = user;
    answers.secret = { key, value: password };
  } else if (picked.auth === 'token') {
    const token = await vscode.window.showInputBox({
      title: title(3),
      prompt: "Token (kept in VS Code's secret storage)",
      password: true,
    });
    if (!token) return undefined;
    answers.secret = { key, value: token };
  } else if (picked.auth === 'creds' || picked.auth === 'nkey') {
    const [file] = (await vscode.window.showOpenDialog({ title: picked.label, canSelectMany: false })) ?? [];
    if (!file) return undefined;
    answers.auth[picked.auth === 'creds' ? 'credsFile' : 'seedFile'] = file.fsPath;
  }
  const tlsChoice = await vscode.window.showQuickPick(
    [
      { label: 'No TLS', id: 'none' },
      { label: 'TLS with the system CAs', id: 'system' },
      { label: 'TLS with a CA file', id: 'ca' },
      { label: 'Mutual TLS (CA, certificate and key files)', id: 'mtls' },
    ],
    { title: title(4), placeHolder: 'TLS' },
  );
  if (!tlsChoice) return undefined;
  if (tlsChoice.id !== 'none') {
    answers.tls = {};
    const file = async (what: string) =>
      (await vscode.window.showOpenDialog({ title: what, canSelectMany: false }))?.[0]?.fsPath;
    if (tlsChoice.id === 'ca' || tlsChoice.id === 'mtls') {
      const ca = await file('CA certificate file');
      if (!ca) return undefined;
      answers.tls.caFile = ca;
    }
    if (tlsChoice.id === 'mtls') {
      const cert = await file('Client certificate file');
      const keyFile = cert && (await file('Client key file'));
      if (!cert || !keyFile) return undefined;
      Object.assign(answers.tls, { certFile: cert, keyFile });
    }
  }
  return answers;
}

function toSpec(a: Answers): ConnectionSpec {
  const store = { source: 'secretStore', key: a.secret?.key ?? '' } as const;
  const file = (path: string | undefined) => ({ source: 'file', path: path ?? '' }) as const;
  const kind = a.auth.kind;
  const auth: ConnectionAuth =
    kind === 'userPassword'
      ? { kind, user: a.auth.user ?? '', password: store }
      : kind === 'token'
        ? { kind, token: store }
        : kind === 'creds'
          ? { kind, creds: file(a.auth.credsFile) }
          : kind === 'nkey'
            ? { kind, seed: file(a.auth.seedFile) }
            : { kind: 'none' };
  return { name: a.name, origin: 'settings', servers: a.servers, auth, tls: a.tls };
}

/** Connects once with the answers (the secret not yet stored) and resolves 'ok' or the failure's sentence. */
async function testConnection(spec: ConnectionSpec, secret: Answers['secret'], store: SecretStore): Promise<string> {
  const secrets = {
    get: async (k: string) => (k === secret?.key ? secret.value : undefined),
    noteSecret: (v: string) => store.noteSecret(v),
  };
  const session = new NatsSession({ spec, secrets, autoRetry: false, connectTimeoutMs: 5_000 });
  try {
    await session.open();
    const state = session.state;
    return state.kind === 'connected' ? 'ok' : state.kind === 'failed' ? state.reason : `it ended ${state.kind}`;
  } finally {
    await session.close();
  }
}
