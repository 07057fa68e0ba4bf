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

# upload NAME WHAT: the file $work/NAME to the bucket, and its manifest line on stdout.
upload() {
  local name="$1" what="$2" object="$PREFIX/$stamp/$1" sum
  # sha256sum on Linux, shasum on a responder's Mac.
  if command -v sha256sum >/dev/null; then
    sum=$(sha256sum "$work/$name")
  else
    sum=$(shasum -a 256 "$work/$name")
  fi
  sum=${sum%% *}
  gcloud storage cp --no-clobber "$work/$name" "gs://$BUCKET/$object" --project "$PROJECT" >&2
  printf '{"what":"%s","object":"gs://%s/%s","sha256":"%s","takenAt":"%s","takenBy":"%s"}\n' "$what" "$BUCKET" "$object" "$sum" "$taken" "$who"
}

# capture NAME WHAT CMD…: runs CMD into $work/NAME and uploads it; a failure fails the capture.
capture() {
  local name="$1" what="$2"
  shift 2
  "$@" >"$work/$name"
  upload "$name" "$what"
}

# capture_optional NAME WHAT CMD…: for artifacts that may legitimately not exist (no previous
# container, kubelet unreachable): a failure is reported on stderr, not fatal.
capture_optional() {
  local name="$1" what="$2" status=0 err
  shift 2
  "$@" >"$work/$name" 2>"$work/$name.err" || status=$?
  if [ "$status" -eq 0 ]; then
    upload "$name" "$what"
  else
    err=$(head -c 300 "$work/$name.err")
    echo "not captured: $what ($err)" >&2
  fi
}
