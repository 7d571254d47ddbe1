/** What kind of Kubernetes problem a KubeAccessError is, for callers that branch on it (e.g. RBAC vs unreachable). */
export type KubeErrorKind =
  | 'no-kubeconfig'
  | 'bad-kubeconfig'
  | 'unknown-context'
  | 'unreachable'
  | 'unauthorized'
  | 'untrusted-certificate'
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
  for (let e: unknown = err; e && typeof e === 'object' && chain.length < 10; e = (e as ErrorLike).cause)
    chain.push(e as ErrorLike);
  const httpCode = chain.map((e) => e.code).find((c): c is number => typeof c === 'number');
  const sysCode = chain.map((e) => e.code).find((c): c is string => typeof c === 'string');
  const where = req.namespace ? ` in namespace ${req.namespace}` : '';
  const detail = apiMessage(chain) ?? chain[0]?.message ?? String(err);
  const make = (kind: KubeErrorKind, msg: string) => new KubeAccessError(kind, msg, { cause: err });

  if (httpCode === 401)
    return make(
      'unauthorized',
      `The cluster of context ${req.context} did not accept the credentials (401): refresh the kubeconfig's token or certificate.`,
    );
  if (httpCode === 403)
    return make(
      'forbidden',
      `Forbidden: the user of context ${req.context} may not ${req.action}${where} (RBAC). Ask for that permission, or choose a namespace you may use.`,
    );
  if (httpCode === 404)
    return make(
      'not-found',
      `Not found while trying to ${req.action}${where} (${detail}): check the namespace and release name.`,
    );
  if (
    sysCode &&
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EHOSTUNREACH',
      'ETIMEDOUT',
      'ECONNRESET',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_SOCKET',
    ].includes(sysCode)
  ) {
    return make(
      'unreachable',
      `The cluster of context ${req.context} is unreachable (${sysCode}): check that K3s is running and that the kubeconfig's server address is right.`,
    );
  }
  if (sysCode && TLS_TRUST_CODES.includes(sysCode)) {
    return make(
      'untrusted-certificate',
      `The cluster of context ${req.context} presented a certificate the kubeconfig does not trust (${sysCode}): if K3s was reinstalled or its certificates renewed, copy its kubeconfig again (/etc/rancher/k3s/k3s.yaml on the server), otherwise check the server address and certificate-authority-data.`,
    );
  }
  if (httpCode !== undefined)
    return make('other', `The cluster answered ${httpCode} when trying to ${req.action}${where}: ${detail}.`);
  return make('other', `Could not ${req.action}${where} on context ${req.context}: ${detail}.`);
}

/**
 * Node's codes for a server certificate that fails verification: another CA (a cluster set up again makes a new one),
 * expired, or not for that address.
 */
const TLS_TRUST_CODES = [
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
];

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
