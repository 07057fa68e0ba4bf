#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"
# shellcheck source=lib/audit.sh
. "$QUARANTINE_LIB/audit.sh"
# shellcheck source=lib/cred.sh
. "$QUARANTINE_LIB/cred.sh"

# Seed 003, "Stolen credentials": what the principal may do and through which bindings, and what
# it did, recorded before anything is revoked (the revocations wait for this step).

# bindings_yaml: every binding whose subjects name the principal or a group it is in, as YAML.
bindings_yaml() {
  local rows res ns name _i kind sns sname me seen=""
  # shellcheck disable=SC2310 # its failure is this function's, handled by capture
  rows=$(subject_rows) || return 1
  me=$(principal_row)
  while IFS=$'\t' read -r res ns name _i kind sns sname; do
    if [ -z "$res" ]; then continue; fi
    if [ "$kind"$'\t'"$sns"$'\t'"$sname" != "$me" ] && ! { [ "$kind" = Group ] && grep -qxF -- "$sname" <<<"$SUBJECT_GROUPS"; }; then continue; fi
    if grep -qxF -- "$res/$ns/$name" <<<"$seen"; then continue; fi
    seen+="$res/$ns/$name"$'\n'
    echo "---"
    # The binding's kind written out, never passed in, for whoever reads the script (the policy
    # pack, the responder role's table).
    if [ "$res" = clusterrolebinding ]; then
      kubectl --context "$CONTEXT" get clusterrolebinding "$name" -o yaml || return 1
    else
      kubectl --context "$CONTEXT" get rolebinding -n "$ns" "$name" -o yaml || return 1
    fi
  done <<<"$rows"
}

capture can-i.txt "what $PRINCIPAL may do in namespace $CAN_I_NAMESPACE" k -n "$CAN_I_NAMESPACE" auth can-i --list --as="$USERNAME"
capture bindings.yaml "every RoleBinding and ClusterRoleBinding naming $PRINCIPAL or its groups" bindings_yaml
case "$SUBJECT_KIND" in
  ServiceAccount) capture serviceaccount.yaml "the service account object" k -n "$SUBJECT_NAMESPACE" get serviceaccount -o yaml -- "$SUBJECT_NAME" ;;
  *) ;;
esac
if [ -n "$PROJECT_MEMBER" ]; then
  capture project-roles.txt "roles $PRINCIPAL holds on project $PROJECT" project_roles
fi
capture audit.json "audit trail of $PRINCIPAL, last $AUDIT_DAYS days" audit_trail
