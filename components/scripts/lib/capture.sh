#!/usr/bin/env bash
# Evidence never passes through stdout (stdout is stored in Pulumi state): each artifact is
# written to a private temp dir, hashed, uploaded with --no-clobber under a UTC timestamp (a
# re-run adds, never overwrites), and one JSON line per artifact is printed: what it is, where it
# went, its sha256, when and as whom. Those lines become the chain-of-custody manifest.
taken=$(date -u +%Y%m%dT%H%M%SZ)
# Two runs within one second still get distinct object names (and --no-clobber refuses a clash).
stamp="$taken-$$-$RANDOM"
who=$(gcloud config get-value account --quiet 2>/dev/null || true)
if [ -z "$who" ]; then who=unknown; fi
work=$(mktemp -d)
cleanup_work() { rm -rf "$work"; }
trap cleanup_work EXIT

# json_text TEXT: TEXT as the inside of a JSON string (backslashes, quotes, control characters).
json_text() {
  local t="$1"
  t=${t//\\/\\\\}
  t=${t//\"/\\\"}
  t=${t//$'\n'/ }
  t=${t//$'\r'/ }
  t=${t//$'\t'/ }
  printf '%s' "$t"
}

# not_captured WHAT REASON: the manifest line that says an artifact was not captured, and why.
not_captured() {
  local what reason
  what=$(json_text "$1")
  reason=$(json_text "${2:0:300}")
  printf '{"what":"%s","notCaptured":"%s","takenAt":"%s","takenBy":"%s"}\n' "$what" "$reason" "$taken" "$who"
}

# upload NAME WHAT: the file $work/NAME to the bucket, and its manifest line on stdout as soon as
# it is there (a later failure of the same capture can't lose it). Returns 1, having said why on
# stderr, when the upload failed; an object that already existed (--no-clobber skipped it) is
# recorded as not captured, never hashed as if uploaded.
upload() {
  local name="$1" what="$2" object="$PREFIX/$stamp/$1" sum out
  # sha256sum on Linux, shasum on a responder's Mac.
  if command -v sha256sum >/dev/null; then
    sum=$(sha256sum "$work/$name")
  else
    sum=$(shasum -a 256 "$work/$name")
  fi
  sum=${sum%% *}
  if ! out=$(gcloud storage cp --no-clobber "$work/$name" "gs://$BUCKET/$object" --project "$PROJECT" 2>&1); then
    printf '%s\n' "$out" >&2
    return 1
  fi
  printf '%s\n' "$out" >&2
  if grep -qi "skipping existing" <<<"$out"; then
    not_captured "$what" "gs://$BUCKET/$object already existed; --no-clobber left it as it was"
    return 0
  fi
  what=$(json_text "$what")
  printf '{"what":"%s","object":"gs://%s/%s","sha256":"%s","takenAt":"%s","takenBy":"%s"}\n' "$what" "$BUCKET" "$object" "$sum" "$taken" "$who"
}

# capture NAME WHAT CMD…: runs CMD into $work/NAME and uploads it. A read or an upload that
# fails is a "not captured" line with the reason, and the capture goes on: a failed command's
# stdout never reaches state, so failing here would lose the lines of the artifacts already
# uploaded. The step ends with exit 0 and says what it could not capture.
capture() {
  local name="$1" what="$2" status=0 err
  shift 2
  "$@" >"$work/$name" 2>"$work/$name.err" || status=$?
  if [ "$status" -ne 0 ]; then
    err=$(head -c 300 "$work/$name.err")
    printf '%s\n' "$err" >&2
    not_captured "$what" "the read failed (exit $status): $err"
    return 0
  fi
  # shellcheck disable=SC2310 # upload checks each of its own steps; its failure is handled here
  if ! upload "$name" "$what"; then
    not_captured "$what" "upload to gs://$BUCKET failed"
  fi
}
