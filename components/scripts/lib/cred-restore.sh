#!/usr/bin/env bash
# Puts a principal back into a binding: the undo of cred-unbind, and its rollback. Needs
# lib/kubectl.sh and lib/cred.sh first. Apart from lib/cred.sh, so the records, which read only,
# carry no patch.

# put_back RESOURCE NS NAME: adds the principal ($SUBJECT_JSON) back to one binding unless it is
# gone or names it already. An empty list is omitted by the API server: then the list itself is
# added back. Returns 1, having said why, when a read or the patch fails.
put_back() {
  local res="$1" ns="$2" name="$3" subjects rows now patch me
  me=$(principal_row)
  # shellcheck disable=SC2016 # a Go template, not shell
  local template='{{if .subjects}}some{{else}}none{{end}}' rc=0
  if [ "$res" = clusterrolebinding ]; then
    subjects=$(kubectl --context "$CONTEXT" get clusterrolebinding "$name" --ignore-not-found -o go-template="$template" 2>&1) || rc=$?
  else
    subjects=$(kubectl --context "$CONTEXT" get rolebinding -n "$ns" "$name" --ignore-not-found -o go-template="$template" 2>&1) || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then
    could_not "read $res $ns/$name" "$subjects"
    return 1
  fi
  if [ -z "$subjects" ]; then
    echo "$res $ns/$name is gone; nothing to put back" >&2
    return 0
  fi
  if ! rows=$(subject_rows); then return 1; fi
  now=$(subjects_of "$rows" "$res" "$ns" "$name")
  if grep -qxF -- "$me" <<<"$now"; then return 0; fi
  if [ "$subjects" = none ]; then
    patch="[{\"op\":\"add\",\"path\":\"/subjects\",\"value\":[$SUBJECT_JSON]}]"
  else
    patch="[{\"op\":\"add\",\"path\":\"/subjects/-\",\"value\":$SUBJECT_JSON}]"
  fi
  # The binding's kind written out, never passed in: the policy pack then reads a change to a
  # binding's subjects (a revocation's undo), not an arbitrary patch.
  rc=0
  if [ "$res" = clusterrolebinding ]; then
    now=$(kubectl --context "$CONTEXT" patch clusterrolebinding "$name" --type=json -p "$patch" 2>&1) || rc=$?
  else
    now=$(kubectl --context "$CONTEXT" patch rolebinding -n "$ns" "$name" --type=json -p "$patch" 2>&1) || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then
    could_not "put $PRINCIPAL back into $res $ns/$name" "$now"
    return 1
  fi
}
