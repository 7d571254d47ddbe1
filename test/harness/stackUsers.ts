/**
 * Users of the K3s-shaped stack besides its admin, for tests of what RBAC refuses: a ServiceAccount with the rules a
 * test grants it (a Role and RoleBinding per namespace; none means no rights at all) and a token from the TokenRequest
 * API, which the stack's apiserver signs with its service-account key, written into a kubeconfig of its own. The
 * refusals come from the apiserver's real RBAC (`--authorization-mode=Node,RBAC`).
 */
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { V1PolicyRule } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from './k8sStack';
import { eventually } from './processes';
import { writeKubeconfig } from './stackPki';

export interface StackUserOptions {
  /** Namespace of the ServiceAccount; it must exist. */
  readonly namespace: string;
  readonly name: string;
  /** Where to write the kubeconfig. */
  readonly file: string;
  /** Its only context (default: the ServiceAccount's name). */
  readonly context?: string;
  /** Rules granted per namespace; the user may do nothing else. */
  readonly grants?: readonly { readonly namespace: string; readonly rules: readonly V1PolicyRule[] }[];
}

export interface StackUser {
  readonly kubeconfig: string;
  readonly context: string;
  /** How the apiserver names the user: `system:serviceaccount:<namespace>:<name>`. */
  readonly user: string;
}

/**
 * Creates the ServiceAccount and its grants, asks for a one-hour token and writes a kubeconfig for it. Resolves once
 * the apiserver's authorizer allows the first rule of each grant (RBAC reads its objects through an informer).
 */
export async function createStackUser(
  stack: Pick<K8sStack, 'kubeconfig' | 'apiServerUrl' | 'caPem'>,
  o: StackUserOptions,
): Promise<StackUser> {
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(stack.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  const user = `system:serviceaccount:${o.namespace}:${o.name}`;

  await core.createNamespacedServiceAccount({ namespace: o.namespace, body: { metadata: { name: o.name } } });
  for (const grant of o.grants ?? []) {
    const name = `${o.name}-grant`;
    await rbac.createNamespacedRole({
      namespace: grant.namespace,
      body: { metadata: { name }, rules: [...grant.rules] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: grant.namespace,
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: o.name, namespace: o.namespace }],
      },
    });
    const rule = grant.rules[0];
    if (!rule) continue;
    await eventually(
      `RBAC to allow ${user} to ${rule.verbs[0]} ${rule.resources?.[0]} in ${grant.namespace}`,
      async () => {
        const review = await authz.createSubjectAccessReview({
          body: {
            spec: {
              user,
              groups: ['system:serviceaccounts', `system:serviceaccounts:${o.namespace}`, 'system:authenticated'],
              resourceAttributes: {
                namespace: grant.namespace,
                verb: rule.verbs[0],
                group: rule.apiGroups?.[0] ?? '',
                resource: rule.resources?.[0],
              },
            },
          },
        });
        return review.status?.allowed ? true : undefined;
      },
      10_000,
      100,
    );
  }

  const token = await core.createNamespacedServiceAccountToken({
    name: o.name,
    namespace: o.namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  if (!token.status?.token) throw new Error(`the TokenRequest for ${user} returned no token`);
  const context = o.context ?? o.name;
  writeKubeconfig(o.file, { server: stack.apiServerUrl, caPem: stack.caPem, token: token.status.token, context, user });
  return { kubeconfig: o.file, context, user };
}
