#!/usr/bin/env bash
set -euo pipefail

# A read for the preview (a `command:local:run` invoke, not a resource): what the principal holds,
# so the preview can say exactly what isolation unbinds and what it leaves. One line a finding,
# tab-separated:
#   bound         RoleBinding|ClusterRoleBinding  namespace/name (-/name)  roleRef kind/name
#   project-role  role (a project IAM role of $PROJECT_MEMBER: the quarantine does not revoke it)
#   could-not     bindings|project-roles          reason
# A failed list is said and the read still exits 0: the preview and the update go on without it.
# Only bindings naming the principal itself are listed: those are what cred-unbind removes (a
# group's binding grants to everyone in the group and is left; the record lists it).

# said WHAT OUTPUT: the could-not line, the failed call's output squeezed onto it.
said() {
  local why
  why=$(tr -s ' \n\t' '   ' <<<"$2" | cut -c1-300) || true
  printf 'could-not\t%s\t%s\n' "$1" "$why"
}

# bound KIND LISTING: the listing's subjects ($BINDINGS_TEMPLATE rows) that are the principal.
bound() {
  local ns name role skind sns sname
  while IFS=$'\t' read -r ns name role skind sns sname; do
    if [ -z "$ns" ] || [ "$skind"$'\t'"$sns"$'\t'"$sname" != "$me" ]; then continue; fi
    printf 'bound\t%s\t%s/%s\t%s\n' "$1" "$ns" "$name" "$role"
  done <<<"$2"
}

# Each call's stderr apart from its answer: a warning on stderr must not read as a finding.
err=$(mktemp)
trap 'rm -f "$err"' EXIT

if [ -n "$SUBJECT_KIND" ]; then
  me="$SUBJECT_KIND"$'\t'"$SUBJECT_NAMESPACE"$'\t'"$SUBJECT_NAME"
  if ! rb=$(kubectl --context "$CONTEXT" get rolebindings --all-namespaces --request-timeout=20s -o "go-template=$BINDINGS_TEMPLATE" 2>"$err"); then
    said bindings "$(<"$err")"
  elif ! crb=$(kubectl --context "$CONTEXT" get clusterrolebindings --request-timeout=20s -o "go-template=$BINDINGS_TEMPLATE" 2>"$err"); then
    said bindings "$(<"$err")"
  else
    found=$(bound RoleBinding "$rb")
    found+=$'\n'$(bound ClusterRoleBinding "$crb")
    # One line per binding, however many times its subjects name the principal.
    sort -u <<<"$found" | grep -v '^$' || true
  fi
fi

if [ -n "$PROJECT_MEMBER" ]; then
  # The same read as the record's project_roles (lib/audit.sh).
  if ! roles=$(gcloud projects get-iam-policy "$PROJECT" --flatten="bindings[].members" --filter="bindings.members=\"$PROJECT_MEMBER\"" --format="value(bindings.role)" 2>"$err"); then
    said project-roles "$(<"$err")"
  else
    roles=$(sort -u <<<"$roles")
    while IFS= read -r role; do
      if [ -n "$role" ]; then printf 'project-role\t%s\n' "$role"; fi
    done <<<"$roles"
  fi
fi
exit 0
