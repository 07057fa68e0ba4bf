#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/cred.sh
. "$QUARANTINE_LIB/cred.sh"
# shellcheck source=lib/cred-restore.sh
. "$QUARANTINE_LIB/cred-restore.sh"

# Removes the principal from every RoleBinding and ClusterRoleBinding that names it. Bindings that
# grant to a group it is in (system:serviceaccounts, system:authenticated) are left alone: they
# grant to everyone in the group; the records list them and the admission policy denies its writes.
# The record (each binding's subjects before, and what was removed) is this script's stdout, in
# state: the delete script restores from it, never from anything on the cluster.
rows=$(subject_rows)
me=$(principal_row)
declare -A indices=()
while IFS=$'\t' read -r res ns name i kind sns sname; do
  if [ -z "$res" ] || [ "$kind"$'\t'"$sns"$'\t'"$sname" != "$me" ]; then continue; fi
  indices["$res"$'\t'"$ns"$'\t'"$name"]+="$i "
done <<<"$rows"

# A failed run leaves no trace: its stdout never reaches state, so what it already removed is put
# back before it fails (a re-run then finds, removes and records everything again).
done_bindings=()
undo_and_fail() {
  local d r n m
  for d in "${done_bindings[@]}"; do
    IFS=$'\t' read -r r n m <<<"$d"
    # shellcheck disable=SC2310 # best effort: the step is failing already
    put_back "$r" "$n" "$m" || true
  done
  exit 1
}
for b in "${!indices[@]}"; do
  IFS=$'\t' read -r res ns name <<<"$b"
  prior=$(subjects_of "$rows" "$res" "$ns" "$name")
  # Highest index first, each removal guarded by a test of what is there: if the binding changed
  # since it was listed, the whole patch is refused rather than removing someone else.
  ops=""
  for i in $(tr ' ' '\n' <<<"${indices[$b]}" | sort -rn); do
    ops+="{\"op\":\"test\",\"path\":\"/subjects/$i/kind\",\"value\":\"$SUBJECT_KIND\"},"
    ops+="{\"op\":\"test\",\"path\":\"/subjects/$i/name\",\"value\":\"$SUBJECT_NAME\"},"
    ops+="{\"op\":\"remove\",\"path\":\"/subjects/$i\"},"
  done
  # The binding's kind written out, never passed in: the policy pack then reads a change to a
  # binding's subjects (a revocation, reversed by destroy), not an arbitrary patch.
  rc=0
  if [ "$res" = clusterrolebinding ]; then
    answer=$(kubectl --context "$CONTEXT" patch clusterrolebinding "$name" --type=json -p "[${ops%,}]" 2>&1) || rc=$?
  else
    answer=$(kubectl --context "$CONTEXT" patch rolebinding -n "$ns" "$name" --type=json -p "[${ops%,}]" 2>&1) || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then
    # Its answer may be lost after the change was made: then it counts as done.
    # shellcheck disable=SC2310 # subject_rows returns 1 on a failed read; handled here
    if ! again=$(subject_rows); then undo_and_fail; fi
    now=$(subjects_of "$again" "$res" "$ns" "$name")
    if grep -qxF -- "$me" <<<"$now"; then
      could_not "remove $PRINCIPAL from $res $ns/$name" "$answer"
      undo_and_fail
    fi
  fi
  done_bindings+=("$b")
done
for b in "${done_bindings[@]}"; do
  IFS=$'\t' read -r res ns name <<<"$b"
  prior=$(subjects_of "$rows" "$res" "$ns" "$name")
  printf 'prior\t%s\t%s\t%s\t%s\n' "$res" "$ns" "$name" "${prior//$'\n'/; }"
  printf 'removed\t%s\t%s\t%s\n' "$res" "$ns" "$name"
done
echo "removed $PRINCIPAL from ${#done_bindings[@]} bindings"
