#!/usr/bin/env bash
# Builds the end-to-end test toolchain from source through the Go module proxy,
# one tool at a time, into
#   ${QUARANTINE_E2E_CACHE:-$HOME/.cache/quarantine-e2e}/<key>/bin/
# where <key> is a short sha256 of the wrapper modules' go.mod, go.sum and Go
# files. A tool whose binary is already there is skipped. Progress and each
# tool's build time go to stderr; the last line on stdout is the bin dir:
#   bin=$(test/e2e/tools/build.sh | tail -1)
# See README.md beside this file.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${QUARANTINE_E2E_CACHE:-$HOME/.cache/quarantine-e2e}

key=$(
  cd "$here"
  find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12
)
bin=$cache/$key/bin
src=$cache/$key/src
mkdir -p "$bin" "$src"

export GOMODCACHE=$cache/gomod
export GOCACHE=$cache/gocache
export GOFLAGS="-mod=readonly -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

log() { printf '%s\n' "$*" >&2; }

# build NAME DIR PACKAGE [LDFLAGS...]: go build PACKAGE in the module at DIR
# into $bin/NAME, unless $bin/NAME exists.
build() {
  local name=$1 dir=$2 pkg=$3
  shift 3
  if [[ -x $bin/$name ]]; then
    log "$name: already built, skipped"
    return
  fi
  log "$name: building $pkg"
  local start=$SECONDS
  (
    cd "$dir"
    go build -p 2 -trimpath -ldflags "-s -w $*" -o "$bin/.$name.tmp" "$pkg"
  )
  mv "$bin/.$name.tmp" "$bin/$name"
  log "$name: built in $((SECONDS - start)) s"
}

total=$SECONDS

build etcd "$here/etcd" .

build kwok "$here/kwok" sigs.k8s.io/kwok/cmd/kwok

pulumi_version=v3.248.0
build pulumi "$here/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version"

# Not v3.248.0: that release's language host module is not on the proxy (README.md).
build pulumi-language-nodejs "$here/pulumi-language-nodejs" \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.68.0"

kube_version=v1.33.13
kube_ldflags=()
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=(
    "-X $p.gitVersion=$kube_version"
    "-X $p.gitMajor=1"
    "-X $p.gitMinor=33"
    "-X $p.gitTreeState=clean"
  )
done
for name in kube-apiserver kube-controller-manager; do
  build "$name" "$here/kubernetes" "k8s.io/kubernetes/cmd/$name" "${kube_ldflags[@]}"
done

# The provider embeds schema files that its module does not hold: build a copy
# of the wrapper under the cache, where ./gen writes them.
k8s_provider_version=4.25.0
if [[ ! -x $bin/pulumi-resource-kubernetes ]]; then
  stage=$src/pulumi-resource-kubernetes
  rm -rf "$stage"
  mkdir -p "$stage"
  cp -R "$here/pulumi-resource-kubernetes/." "$stage/"
  start=$SECONDS
  (cd "$stage" && go run ./gen "$k8s_provider_version")
  log "pulumi-resource-kubernetes: schema generated in $((SECONDS - start)) s"
fi
build pulumi-resource-kubernetes "$src/pulumi-resource-kubernetes" . \
  "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$k8s_provider_version"

log "all tools ready in $((SECONDS - total)) s"
echo "$bin"
