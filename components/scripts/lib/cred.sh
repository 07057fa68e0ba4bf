#!/usr/bin/env bash
# Shared by the stolen-credential steps (cred-*.sh). Needs lib/kubectl.sh first.

# subject_rows: one line per subject of every RoleBinding and ClusterRoleBinding, tab-separated:
# resource, namespace (- for a ClusterRoleBinding), binding, index, kind, subject namespace (-),
# subject name ($SUBJECTS_TEMPLATE). Each get is assigned first: a failed list must fail the
# caller, never read as "no bindings".
subject_rows() {
  local rb crb line
  rb=$(k get rolebindings --all-namespaces --request-timeout=60s -o "go-template=$SUBJECTS_TEMPLATE") || return 1
  crb=$(k get clusterrolebindings --request-timeout=60s -o "go-template=$SUBJECTS_TEMPLATE") || return 1
  while IFS= read -r line; do
    if [ -n "$line" ]; then printf 'rolebinding\t%s\n' "$line"; fi
  done <<<"$rb"
  while IFS= read -r line; do
    if [ -n "$line" ]; then printf 'clusterrolebinding\t%s\n' "$line"; fi
  done <<<"$crb"
}

# The principal as subject_rows prints a subject (kind, namespace or -, name), and the rows of
# one binding (resource, namespace, name), to compare with whole lines.
principal_row() { printf '%s\t%s\t%s' "$SUBJECT_KIND" "$SUBJECT_NAMESPACE" "$SUBJECT_NAME"; }

# subjects_of ROWS RESOURCE NS NAME: the subjects of one binding in ROWS, one a line.
subjects_of() {
  grep -F -- "$2"$'\t'"$3"$'\t'"$4"$'\t' <<<"$1" | cut -f5-7 || true
}
