#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"

# Deleting the service account invalidates every token issued for it, bound to a pod or not: a
# token names the account's uid, which the API server checks
# (https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume).
# The account recreated under the same name has a new uid, so the bindings restored on destroy
# grant the new one, never a stolen token.
# shellcheck disable=SC2016 # a Go template, not shell
before=$(k -n "$NAMESPACE" get serviceaccount --ignore-not-found -o go-template='{{.metadata.uid}}' -- "$NAME")
if [ -n "$before" ]; then
  attempt "delete service account $NAMESPACE/$NAME" k -n "$NAMESPACE" delete serviceaccount --ignore-not-found --wait=false -- "$NAME" >&2
fi
# A namespace's `default` account is recreated by the controller at once: then it is already back.
# No `--` here: `create serviceaccount` takes its name only as a flag-free argument (a checked
# Kubernetes name, which can't start with '-').
if ! answer=$(kubectl --context "$CONTEXT" -n "$NAMESPACE" create serviceaccount "$NAME" 2>&1); then
  if ! grep -q "AlreadyExists\|already exists" <<<"$answer"; then
    could_not "recreate service account $NAMESPACE/$NAME" "$answer"
    exit 1
  fi
fi
# shellcheck disable=SC2016 # a Go template, not shell
after=$(k -n "$NAMESPACE" get serviceaccount -o go-template='{{.metadata.uid}}' -- "$NAME")
if [ -n "$before" ] && [ "$after" = "$before" ]; then
  could_not "recreate service account $NAMESPACE/$NAME" "its uid is still $before: the old tokens still work"
  exit 1
fi
echo "recreated serviceaccount $NAMESPACE/$NAME: uid ${before:-none} -> $after"
