#!/usr/bin/env bash
# Shared by the secret steps (secret-*.sh). Needs lib/kubectl.sh first. A Secret's values pass
# only through shell variables and pipes, never through stdout (state), stderr or an argument.

# secret_rows: the Secret $NAMESPACE/$NAME as lines: first its resourceVersion and type, then one
# line per key, its name and its base64 value, tab-separated. One read, so the keys, the values
# and the version belong together. Key names are [-._a-zA-Z0-9]+
# (https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data): no tab.
secret_rows() {
  # shellcheck disable=SC2016 # a Go template, not shell
  k -n "$NAMESPACE" get secret --request-timeout=60s \
    -o 'go-template={{.metadata.resourceVersion}}{{"\t"}}{{.type}}{{"\n"}}{{range $k, $v := .data}}{{$k}}{{"\t"}}{{$v}}{{"\n"}}{{end}}' -- "$NAME"
}

# sha256_stdin: the sha256 (hex) of stdin; sha256sum on Linux, shasum on a responder's Mac.
sha256_stdin() {
  local sum
  if command -v sha256sum >/dev/null; then
    sum=$(sha256sum)
  else
    sum=$(shasum -a 256)
  fi
  printf '%s' "${sum%% *}"
}

# sha256_of BASE64: the sha256 (hex) of the decoded value. With pipefail a value that is not
# base64 fails the function.
sha256_of() {
  # shellcheck disable=SC2312 # pipefail: the pipeline fails with its decode
  printf '%s' "$1" | base64 -d | sha256_stdin
}
