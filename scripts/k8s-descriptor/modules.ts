// The Go modules the descriptor is generated from, in one place: the Kubernetes of the test stack (kube-apiserver
// 1.36.3, tools/go) and of a current K3s release. Bump these together and rerun `npm run gen:k8s-descriptor`.
export interface GoModule {
  readonly module: string;
  readonly version: string;
}

export const K8S_MODULES: readonly GoModule[] = [
  { module: 'k8s.io/api', version: 'v0.36.3' },
  { module: 'k8s.io/apimachinery', version: 'v0.36.3' },
  { module: 'k8s.io/apiextensions-apiserver', version: 'v0.36.3' },
  { module: 'k8s.io/kube-aggregator', version: 'v0.36.3' },
];
