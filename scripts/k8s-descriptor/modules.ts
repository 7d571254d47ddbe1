// The Go modules the descriptor is generated from and the Kubernetes minor lines it covers: the newest patch of the
// line a current K3s release ships (1.36, also the test stack's kube-apiserver, tools/go) and of the two before it,
// oldest first. The four modules are released together with the same version. To move on a line, put the new
// newest patch here (`go list -m -versions k8s.io/api`) and rerun `npm run gen:k8s-descriptor`.
export const K8S_MODULES: readonly string[] = [
  'k8s.io/api',
  'k8s.io/apimachinery',
  'k8s.io/apiextensions-apiserver',
  'k8s.io/kube-aggregator',
];

export const K8S_LINES: readonly string[] = ['v0.34.13', 'v0.35.10', 'v0.36.6'];
