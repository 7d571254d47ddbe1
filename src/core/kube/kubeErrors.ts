/** What kind of Kubernetes problem a KubeAccessError is, for callers that branch on it (e.g. RBAC vs unreachable). */
export type KubeErrorKind =
  | 'no-kubeconfig'
  | 'bad-kubeconfig'
  | 'unknown-context'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'no-ready-pod'
  | 'port-forward-refused'
  | 'other';

/** A Kubernetes failure whose message is already one sentence for the user, with the next step. */
export class KubeAccessError extends Error {
  override readonly name = 'KubeAccessError';
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface ErrorLike {
  code?: unknown;
  message?: string;
  body?: unknown;
  cause?: unknown;
}

/** What the request was, to name it in the sentence: "list pods in namespace nats". */
export interface KubeRequest {
  readonly context: string;
  readonly action: string;
  readonly namespace?: string;
}

/**
 * Turns whatever client-node threw (an ApiException with an HTTP code, or a socket error somewhere in the cause
 * chain) into a KubeAccessError with one sentence; a KubeAccessError passes through unchanged.
 */
export function explainKubeError(err: unknown, req: KubeRequest): KubeAccessError {
  if (err instanceof KubeAccessError) return err;
  const chain: ErrorLike[] = [];
  for (let e: unknown = err; e && typeof e === 'object' && chain.length < 10; e = (e as ErrorLike).cause) chain.push(e as ErrorLike);
  const httpCode = chain.map((e) => e.code).find((c): c is number => typeof c === 'number');
  const sysCode = chain.map((e) => e.code).find((c): c is string => typeof c === 'string');
  const where = req.namespace ? ` in namespace ${req.namespace}` : '';
  const detail = apiMessage(chain) ?? chain[0]?.message ?? String(err);
  const make = (kind: KubeErrorKind, msg: string) => new KubeAccessError(kind, msg, { cause: err });

  if (httpCode === 401) return make('unauthorized', `The cluster of context ${req.context} did not accept the credentials (401): refresh the kubeconfig's token or certificate.`);
  if (httpCode === 403) return make('forbidden', `Forbidden: the user of context ${req.context} may not ${req.action}${where} (RBAC). Ask for that permission, or choose a namespace you may use.`);
  if (httpCode === 404) return make('not-found', `Not found while trying to ${req.action}${where} (${detail}): check the namespace and release name.`);
  if (sysCode && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'].includes(sysCode)) {
    return make('unreachable', `The cluster of context ${req.context} is unreachable (${sysCode}): check that K3s is running and that the kubeconfig's server address is right.`);
  }
  if (httpCode !== undefined) return make('other', `The cluster answered ${httpCode} when trying to ${req.action}${where}: ${detail}.`);
  return make('other', `Could not ${req.action}${where} on context ${req.context}: ${detail}.`);
}

/** The `message` of a Kubernetes Status object in an ApiException's body, if there is one. */
function apiMessage(chain: ErrorLike[]): string | undefined {
  for (const e of chain) {
    let body = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        continue;
      }
    }
    const message = (body as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string' && message) return message;
  }
  return undefined;
}
