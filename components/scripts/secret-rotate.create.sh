#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/secret.sh
. "$QUARANTINE_LIB/secret.sh"

# Seed 003, "Stolen credentials": every value of the Secret replaced, then every Deployment,
# StatefulSet and DaemonSet of its namespace that uses it restarted, so no pod keeps the stolen
# value in its environment. Each new value is derived from $SEED (a random password of this
# step, a Pulumi secret) and the key's name: a re-run writes the same values again. Stdout (state)
# gets only each key's name with the sha256 of the value it replaced, and what was restarted.

rows=$(attempt "read secret $NAMESPACE/$NAME" secret_rows)
first=$(head -n 1 <<<"$rows")
keys=$(tail -n +2 <<<"$rows")
version=${first%%$'\t'*}
type=${first#*$'\t'}
if [ "$type" = kubernetes.io/service-account-token ]; then
  could_not "rotate secret $NAMESPACE/$NAME" "it is a service account token, which its controller writes: delete the Secret, or name the service account in quarantine:credentials"
  exit 1
fi

umask 077
patch=$(mktemp)
cleanup_patch() { rm -f "$patch"; }
trap cleanup_patch EXIT
# The version makes the patch conditional: a Secret changed since this read is refused (409),
# never half-rotated (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes).
printf '{"metadata":{"resourceVersion":"%s"},"data":{' "$version" >"$patch"
sep="" replaced=""
while IFS=$'\t' read -r key value; do
  if [ -z "$key" ]; then continue; fi
  old=$(sha256_of "$value")
  case "$type/$key" in
    # The API server refuses a value that is not a docker config (JSON): an empty one holds no credential.
    kubernetes.io/dockerconfigjson/.dockerconfigjson) new='{"auths":{}}' ;;
    kubernetes.io/dockercfg/.dockercfg) new='{}' ;;
    *)
      new=$(printf '%s\n%s/%s\n%s' "$SEED" "$NAMESPACE" "$NAME" "$key" | sha256_stdin)
      ;;
  esac
  encoded=$(printf '%s' "$new" | base64 | tr -d '\n')
  printf '%s"%s":"%s"' "$sep" "$key" "$encoded" >>"$patch"
  sep=","
  replaced+="replaced $key: was sha256:$old"$'\n'
done <<<"$keys"
printf '}}' >>"$patch"
if [ -z "$replaced" ]; then
  echo "secret $NAMESPACE/$NAME holds no value: nothing to rotate"
else
  attempt "replace the values of secret $NAMESPACE/$NAME" k -n "$NAMESPACE" patch secret --type=merge --patch-file "$patch" -- "$NAME" >&2
  printf '%s' "$replaced"
fi

# The references to a Secret in a pod spec (a secret or projected volume, env valueFrom, envFrom,
# imagePullSecrets), as "$w<TAB>secret name" lines: the caller's template sets $w.
# shellcheck disable=SC2016 # a Go template, not shell
env_refs='{{range .env}}{{with .valueFrom}}{{with .secretKeyRef}}{{$w}}{{"\t"}}{{.name}}{{"\n"}}{{end}}{{end}}{{end}}{{range .envFrom}}{{with .secretRef}}{{$w}}{{"\t"}}{{.name}}{{"\n"}}{{end}}{{end}}'
# shellcheck disable=SC2016 # a Go template, not shell
refs='{{range .volumes}}{{with .secret}}{{$w}}{{"\t"}}{{.secretName}}{{"\n"}}{{end}}{{with .projected}}{{range .sources}}{{with .secret}}{{$w}}{{"\t"}}{{.name}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}{{range .imagePullSecrets}}{{$w}}{{"\t"}}{{.name}}{{"\n"}}{{end}}{{range .containers}}'"$env_refs"'{{end}}{{range .initContainers}}'"$env_refs"'{{end}}'

# using RESOURCE TEMPLATE-HEAD TEMPLATE-TAIL: the $w of every object of RESOURCE in the namespace
# whose pod spec references the Secret, one a line.
using() {
  local listing
  # shellcheck disable=SC2310 # a failed get fails the function
  listing=$(k -n "$NAMESPACE" get "$1" --request-timeout=60s -o "go-template={{range .items}}$2$refs$3{{end}}") || return 1
  awk -F '\t' -v n="$NAME" '$2 == n { print $1 }' <<<"$listing" | sort -u
}

failed=""
# restart KIND NAMES: `kubectl rollout restart` of each workload named, one a line.
restart() {
  local w err
  while IFS= read -r w; do
    if [ -z "$w" ]; then continue; fi
    # shellcheck disable=SC2310 # a failed restart is reported after the others are tried
    if err=$(k -n "$NAMESPACE" rollout restart "$1/$w" 2>&1 >/dev/null); then
      echo "restarted $1/$w"
    else
      printf '%s\n' "$err" >&2
      failed+="$1/$w "
    fi
  done <<<"$2"
}
# shellcheck disable=SC2016 # a Go template, not shell
workload='{{$w := .metadata.name}}{{with .spec.template.spec}}'
# Each listing names its resource: the responder role's table (components/readiness/rbacRules.ts) is read from these lines.
# shellcheck disable=SC2310 # a failed listing is reported below
if names=$(using deployments "$workload" '{{end}}'); then restart deployment "$names"; else failed+="deployments (listing failed) "; fi
# shellcheck disable=SC2310 # a failed listing is reported below
if names=$(using statefulsets "$workload" '{{end}}'); then restart statefulset "$names"; else failed+="statefulsets (listing failed) "; fi
# shellcheck disable=SC2310 # a failed listing is reported below
if names=$(using daemonsets "$workload" '{{end}}'); then restart daemonset "$names"; else failed+="daemonsets (listing failed) "; fi
# A pod no rollout reaches (a Job's, a bare pod, a quarantined one, which no controller owns
# any more) keeps the old value in its environment until it is deleted: said, not touched.
# shellcheck disable=SC2016,SC2310 # a Go template, not shell; a failed listing is reported below
if pods=$(using pods '{{$n := .metadata.name}}{{$w := printf "pod/%s (controller: none)" $n}}{{range .metadata.ownerReferences}}{{if .controller}}{{$w = printf "pod/%s (controller: %s)" $n .kind}}{{end}}{{end}}{{with .spec}}' '{{end}}'); then
  while IFS= read -r p; do
    case "$p" in
      "" | *"(controller: ReplicaSet)" | *"(controller: StatefulSet)" | *"(controller: DaemonSet)") ;;
      *) echo "not restarted (no rollout reaches it; its environment keeps the old value until it is deleted): $p" ;;
    esac
  done <<<"$pods"
else
  failed+="pods (listing failed) "
fi
if [ -n "$failed" ]; then
  could_not "restart every workload using secret $NAMESPACE/$NAME" "not restarted: $failed(its values are replaced; a re-run writes the same ones and retries)"
  exit 1
fi
