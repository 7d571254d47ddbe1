/**
 * Keys, tokens and the kubeconfig of the K3s-shaped test stack (test/harness/k8sStack.ts). Only what the stack
 * needs: the service-account key pair, the admin's static token, the CA the apiserver made for itself, and a
 * kubeconfig. No openssl: node:crypto makes the key and reads the certificates.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface ServiceAccountKeys {
  /** PKCS#1 PEM private key: `--service-account-signing-key-file` (apiserver), `--service-account-private-key-file` (KCM). */
  readonly privateKeyFile: string;
  /** SPKI PEM public key: `--service-account-key-file` (apiserver), which verifies the tokens. */
  readonly publicKeyFile: string;
}

/** A fresh RSA 2048 key pair for service-account tokens, written to `dir` (private key mode 0600). */
export function writeServiceAccountKeys(dir: string): ServiceAccountKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKeyFile = join(dir, 'service-account.key');
  const publicKeyFile = join(dir, 'service-account.pub');
  writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
  writeFileSync(publicKeyFile, publicKey);
  return { privateKeyFile, publicKeyFile };
}

export interface StaticToken {
  readonly token: string;
  readonly user: string;
  readonly groups: readonly string[];
  /** The `--token-auth-file` CSV. */
  readonly file: string;
}

/**
 * A random bearer token for one user in `system:masters` (cluster-admin through RBAC's default binding), as the
 * apiserver's `--token-auth-file` reads it: `token,user,uid,"group1,group2"`. K3s's own admin is `system:admin`.
 */
export function writeAdminToken(dir: string, user = 'system:admin'): StaticToken {
  const token = randomBytes(24).toString('hex');
  const groups = ['system:masters'];
  const file = join(dir, 'tokens.csv');
  writeFileSync(file, `${token},${user},${user},"${groups.join(',')}"\n`, { mode: 0o600 });
  return { token, user, groups, file };
}

/** The PEM certificates in a file, in order. */
export function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * The CA certificates of a serving bundle. kube-apiserver's self-signed `apiserver.crt` (and KCM's
 * `kube-controller-manager.crt`) hold the serving certificate followed by the throwaway CA that signed it; clients
 * should trust only the CA. Throws when the file holds no CA certificate.
 */
export function caFromServingBundle(certFile: string): string {
  const certs = pemCertificates(readFileSync(certFile, 'utf8'));
  const cas = certs.filter((pem) => new X509Certificate(pem).ca);
  if (cas.length === 0) throw new Error(`${certFile} holds no CA certificate (${certs.length} certificates in it)`);
  return cas.map((pem) => `${pem}\n`).join('');
}

export interface KubeconfigOptions {
  readonly server: string;
  /** PEM of the CA that signed the apiserver's serving certificate (embedded as certificate-authority-data). */
  readonly caPem: string;
  readonly token: string;
  readonly context: string;
  readonly user?: string;
}

/** Writes a kubeconfig with one cluster, one token user and one context, which is the current one. */
export function writeKubeconfig(file: string, o: KubeconfigOptions): void {
  const user = o.user ?? 'admin';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: o.context,
        cluster: { server: o.server, 'certificate-authority-data': Buffer.from(o.caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token: o.token } }],
    contexts: [{ name: o.context, context: { cluster: o.context, user } }],
    'current-context': o.context,
    preferences: {},
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}
