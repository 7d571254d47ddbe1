# Builds the real tools the tests and the demo run, from their Go modules pinned in tools/go/*/go.mod and go.sum,
# into "$tools/go/bin". Sourced by scripts/setup.sh (needs $repo, $tools, say, fail).
# A tool is rebuilt only when its go.mod, go.sum, link flags or the Go version change (a stamp file records them).

GO_MIN_MINOR=26 # go.mod files say `go 1.26.0`

require_go() {
  command -v go >/dev/null 2>&1 ||
    fail "the Go toolchain is missing: install Go 1.${GO_MIN_MINOR} or newer (https://go.dev/doc/install, or your package manager), then run this again."
  local v; v="$(go env GOVERSION 2>/dev/null)"
  local minor; minor="$(printf '%s' "$v" | sed -nE 's/^go1\.([0-9]+).*/\1/p')"
  if [ -z "$minor" ] || [ "$minor" -lt "$GO_MIN_MINOR" ]; then
    fail "Go ${v:-of unknown version} is too old to build the test tools: install Go 1.${GO_MIN_MINOR} or newer, then run this again."
  fi
}

# The version go.mod pins for module $2, read inside tools/go/$1.
go_mod_version() { (cd "$repo/tools/go/$1" && go list -m -f '{{.Version}}' "$2"); }

# build_go_tool DIR "LDFLAGS" NAME=PACKAGE... : builds each package's main into $tools/go/bin/NAME.
build_go_tool() {
  local dir="$1" ldflags="$2"; shift 2
  local src="$repo/tools/go/$dir" bin="$tools/go/bin" stamp="$tools/go/$dir.stamp"
  local want; want="$(cat "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-16) $(go env GOVERSION) $ldflags $*"
  local pair all_there=1
  for pair in "$@"; do [ -x "$bin/${pair%%=*}" ] || all_there=0; done
  if [ "$all_there" = 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "building $dir from its Go module (tools/go/$dir)"
  mkdir -p "$bin" "$tools/go/tmp"
  local name pkg
  for pair in "$@"; do
    name="${pair%%=*}" pkg="${pair#*=}"
    # -mod=readonly: go.sum decides; no VCS stamp (this repo is not the tool's); CGO off: static binaries.
    run_or_fail "building $pkg" "the Go module proxy ($(go env GOPROXY))" \
      env CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" timeout 1800 go -C "$src" build -trimpath -ldflags "-s -w $ldflags" -o "$tools/go/tmp/$name" "$pkg"
    mv -f "$tools/go/tmp/$name" "$bin/$name" # whole binaries only: a build cut short leaves nothing behind
  done
  printf '%s' "$want" >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
}

build_go_tools() {
  require_go
  local v
  build_go_tool nats-server "" nats-server=github.com/nats-io/nats-server/v2
  v="$(go_mod_version natscli github.com/nats-io/natscli)"
  build_go_tool natscli "-X main.version=$v" nats=github.com/nats-io/natscli/nats
  v="$(go_mod_version helm3 helm.sh/helm/v3)"
  build_go_tool helm3 "-X helm.sh/helm/v3/internal/version.version=$v" helm3=helm.sh/helm/v3/cmd/helm
  v="$(go_mod_version helm4 helm.sh/helm/v4)"
  build_go_tool helm4 "-X helm.sh/helm/v4/internal/version.version=$v" helm4=helm.sh/helm/v4/cmd/helm
  v="$(go_mod_version kine github.com/k3s-io/kine)"
  build_go_tool kine "-X github.com/k3s-io/kine/pkg/version.Version=$v" kine=github.com/k3s-io/kine
  # kwok runs fake nodes: Pods become Running and Ready, and exec and port-forward reach local targets.
  build_go_tool kwok "" kwok=sigs.k8s.io/kwok/cmd/kwok
  # Unstamped, Kubernetes components report v0.0.0-master, which helm would then see as the cluster's version.
  v="$(go_mod_version kubernetes k8s.io/kubernetes)"
  local major="${v#v}"; major="${major%%.*}"
  local minor="${v#v*.}"; minor="${minor%%.*}"
  local k8s_ld=""
  for m in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ld+=" -X $m.gitVersion=$v -X $m.gitMajor=$major -X $m.gitMinor=$minor -X $m.gitTreeState=clean"
  done
  build_go_tool kubernetes "$k8s_ld" kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver \
    kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager kubectl=k8s.io/kubernetes/cmd/kubectl
}
