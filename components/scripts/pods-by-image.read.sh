#!/usr/bin/env bash
set -euo pipefail

# A read for discovery (a `command:local:run` invoke, not a resource): every pod of the cluster,
# one JSON object a line, with what it runs: the images its spec names (containers, init and
# ephemeral containers) and, from its status, the image each container runs and the digest it
# resolved to (imageID). Only the status knows the digest a tag resolved to.
# Every value is urlquery-escaped (letters, digits and %XX only), so a pod whose image field
# holds quotes or newlines (an attacker's) can't break the JSON or forge a line; the program
# decodes them. No jq: the Go template of kubectl is all it needs. An API error fails the read.
kubectl --context "$CONTEXT" get pods --all-namespaces --request-timeout=60s -o "go-template=$PODS_TEMPLATE"
