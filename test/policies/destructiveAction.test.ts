import { describe, expect, it } from "vitest";
import { destructiveAction } from "../../policies/lib/evidence";
import { command, KUBECTL } from "./fixtures";

// The pack's own reading of a command's create script: the independent cross-check of the kind a
// step declares (the bench and the plan read the declaration; see declaredKind).

describe("destructive commands, recognised by the create script", () => {
    it.each([
        ["kubectl delete", 'k -n "$NAMESPACE" delete pod "$POD" --grace-period=10 --ignore-not-found >&2'],
        ["kubectl delete", 'k delete node "$NODE" --ignore-not-found --wait=false >&2'],
        ["kubectl delete", 'kubectl --context "$CONTEXT" -n "$NAMESPACE" delete "$KIND" "$NAME"'],
        ["kubectl scale --replicas=0", 'k -n "$NAMESPACE" scale "$KIND" "$NAME" --replicas=0 >&2'],
        ["gcloud compute instances delete", 'gone_ok gcloud compute instances delete "$INSTANCE" --zone "$ZONE" --project "$PROJECT" --quiet'],
        // What a deny-list reading missed (issue #17.2): each hides or names a destructive verb.
        ["kubectl delete", `trap 'rm -f "$work"' EXIT; k -n "$NAMESPACE" delete pod "$POD"`],
        ["kubectl delete", `trap 'k -n "$NAMESPACE" delete pod "$POD"' EXIT`],
        ["kubectl delete", `# clean up first \\\nk -n "$NAMESPACE" delete pod "$POD"`],
        ["gcloud compute instances delete", 'g() { gcloud "$@"; }\ng compute instances delete "$INSTANCE" --zone "$ZONE"'],
        ["kubectl delete", `bash -c 'kubectl delete pod "$POD"'`],
        ["gcloud compute instances delete", '/usr/bin/gcloud compute instances delete "$INSTANCE" --quiet'],
        ["kubectl delete", '/usr/local/bin/kubectl -n "$NAMESPACE" delete pod "$POD"'],
        ["gcloud compute snapshots delete", 'gcloud compute snapshots delete "$SNAPSHOT" --quiet'],
        ["gcloud storage rm", 'gcloud storage rm "gs://$BUCKET/$PREFIX/**"'],
        ["gcloud compute instances stop", 'gcloud compute instances stop "$INSTANCE" --zone "$ZONE"'],
        ["kubectl patch", `k -n "$NAMESPACE" patch deployment "$NAME" -p '{"spec":{"replicas":0}}'`],
        ["kubectl replace --force", 'k replace --force -f "$work/pod.yaml"'],
        ["kubectl exec … kill", 'k -n "$NAMESPACE" exec "$POD" -- kill -9 1'],
        ["gcloud compute instance-groups managed delete", 'gcloud compute instance-groups managed delete "$MIG" --zone "$ZONE"'],
        ["gcloud compute instance-groups managed resize", 'gcloud compute instance-groups managed resize "$MIG" --size 0 --zone "$ZONE"'],
        ["gcloud container node-pools delete", 'gcloud container node-pools delete "$POOL" --cluster "$CLUSTER"'],
        ["kubectl rollout", 'k -n "$NAMESPACE" rollout undo "deployment/$NAME"'],
        ["kubectl create", 'k create --raw "/api/v1/namespaces/$ns/pods/$name/binding" -f -'],
        ["kubectl patch", 'kubectl --context "$CONTEXT" patch "$res" -n "$ns" "$name" --type=json -p "$p"'],
        ["gcloud iam service-accounts keys delete", 'gcloud iam service-accounts keys delete "$KEY" --iam-account "$GSA" --quiet'],
        ["gcloud iam service-accounts delete", 'gcloud iam service-accounts delete "$GSA" --quiet'],
    ])("%s: %s", (what, body) => {
        expect(destructiveAction(command("x", { create: KUBECTL + body }))).toBe(what);
    });

    it.each([
        ["removing an access config", 'gcloud compute instances delete-access-config "$INSTANCE" --access-config-name "$name"'],
        ["a stolen credential's unbinding, the binding's kind written out", 'kubectl --context "$CONTEXT" patch rolebinding -n "$ns" "$name" --type=json -p "$p"'],
        ["a service account disabled (destroy enables it)", 'gcloud iam service-accounts disable "$GSA" --project "$PROJECT"'],
        ["a key disabled (destroy enables it)", 'gcloud iam service-accounts keys disable "$KEY" --iam-account "$GSA"'],
        ["a Workload Identity binding removed (destroy adds it back)", 'gcloud iam service-accounts remove-iam-policy-binding "$GSA" --member "$m" --role roles/iam.workloadIdentityUser'],
        ["a capture cleaning up its own pod on exit", `pod="$PREFIX-$RANDOM"\ntrap 'k -n "$CAPTURE_NAMESPACE" delete pod "$pod" --ignore-not-found || true' EXIT\nk get pod "$POD" -o yaml`],
        ["a drain's flags", 'k drain "$NODE" --pod-selector=\'!quarantine\' --ignore-daemonsets --delete-emptydir-data'],
        ["restoring a scale", 'k -n "$NAMESPACE" scale "$KIND" "$NAME" --replicas="$recorded" >&2'],
        ["a message that mentions kubectl delete", 'echo "run kubectl delete pod x yourself" >&2'],
        ["an eviction posted through the API, as a drain makes", 'kubectl --context "$CONTEXT" create --raw "/api/v1/namespaces/$ns/pods/$name/eviction" -f - <<<"$eviction"'],
        ["a loop variable named like the kubectl wrapper", 'for k in a b; do echo "$k"; done'],
        ["a read from inside the container", 'k -n "$NAMESPACE" exec "$POD" -- cat /etc/passwd'],
        ["an evidence upload", 'gcloud storage cp --no-clobber "$work/x" "gs://$BUCKET/$PREFIX/x"'],
        ["adding the isolation tag", 'attempt "tag VM $INSTANCE" gcloud compute instances add-tags --tags "$TAG" --zone "$ZONE" -- "$INSTANCE"'],
        ["deletion protection on", 'gcloud compute instances update --deletion-protection --zone "$ZONE" -- "$INSTANCE"'],
    ])("not %s", (_, body) => {
        expect(destructiveAction(command("x", { create: KUBECTL + body }))).toBeUndefined();
    });

    it("reads the create script only: a delete script that deletes is the undo, not the step", () => {
        expect(destructiveAction(command("x", { create: `${KUBECTL}k label pod "$POD" a=b`, delete: `${KUBECTL}k delete pod "$POD"` }))).toBeUndefined();
    });
});
