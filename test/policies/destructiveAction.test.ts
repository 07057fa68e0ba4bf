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
    ])("%s: %s", (what, body) => {
        expect(destructiveAction(command("x", { create: KUBECTL + body }))).toBe(what);
    });

    it.each([
        ["removing an access config", 'gcloud compute instances delete-access-config "$INSTANCE" --access-config-name "$name"'],
        ["a capture cleaning up its own pod on exit", `trap 'k -n "$CAPTURE_NAMESPACE" delete pod "$pod" --ignore-not-found || true' EXIT\nk get pod "$POD" -o yaml`],
        ["a drain's flags", 'k drain "$NODE" --pod-selector=\'!quarantine\' --ignore-daemonsets --delete-emptydir-data'],
        ["restoring a scale", 'k -n "$NAMESPACE" scale "$KIND" "$NAME" --replicas="$recorded" >&2'],
        ["a message that mentions kubectl delete", 'echo "run kubectl delete pod x yourself" >&2'],
    ])("not %s", (_, body) => {
        expect(destructiveAction(command("x", { create: KUBECTL + body }))).toBeUndefined();
    });

    it("reads the create script only: a delete script that deletes is the undo, not the step", () => {
        expect(destructiveAction(command("x", { create: `${KUBECTL}k label pod "$POD" a=b`, delete: `${KUBECTL}k delete pod "$POD"` }))).toBeUndefined();
    });
});
