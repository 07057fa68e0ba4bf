#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=lib/kubectl.sh
. "$QUARANTINE_LIB/kubectl.sh"
# shellcheck source=lib/capture.sh
. "$QUARANTINE_LIB/capture.sh"

# Seed 003: "Scan other images". Every container of every pod in the cluster, one tab-separated
# line each: namespace, pod, node, container, the image it runs and the digest that resolved to
# (imageID). The file is evidence to scan, never parsed by the quarantine.
capture images.tsv "every image running in the cluster, with its digest" k get pods --all-namespaces --request-timeout=60s -o "go-template=$IMAGES_TEMPLATE"
