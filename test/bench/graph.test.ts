import { describe, expect, it } from "vitest";
import { KUBECTL, script } from "../../components/shell";
import type { Recorded } from "../../stacks/plan/engine";
import { chainLength, depths, destructiveCommand, isEvidence, longestChain } from "../../bench/graph";
import { simulate } from "../../bench/simulate";

// The bench's pure helpers: how it recognises destructive and evidence steps, and that its
// critical-path arithmetic and model respect dependencies. No timings are asserted.

function step(name: string, over: Partial<Recorded> = {}): Recorded {
    return {
        urn: `urn:pulumi:incident-42::quarantine::t::${name}`,
        type: "test:index:Step",
        name,
        custom: true,
        read: false,
        parent: "",
        inputs: {},
        dependencies: [],
        retainOnDelete: false,
        deleteBeforeReplace: false,
        protect: false,
        ...over,
    };
}

/** A command as shell.ts builds it: the header, the prelude, and `k` (context-pinned kubectl) defined. */
function command(name: string, header: string, body: string, del = 'echo "nothing"'): Recorded {
    const s = { step: header, destroy: "one-way", create: body, delete: del, environment: {} };
    return step(name, { type: "command:local:Command", inputs: { create: script(s, KUBECTL + body), delete: script(s, KUBECTL + del) } });
}

describe("destructive steps, recognised by their create script", () => {
    it.each([
        ["kubectl delete", 'k -n "$NAMESPACE" delete pod "$POD" --grace-period=10 --ignore-not-found >&2'],
        ["kubectl delete", 'k delete node "$NODE" --ignore-not-found --wait=false >&2'],
        ["kubectl delete", 'kubectl --context "$CONTEXT" -n "$NAMESPACE" delete "$KIND" "$NAME"'],
        ["kubectl scale --replicas=0", 'k -n "$NAMESPACE" scale "$KIND" "$NAME" --replicas=0 >&2'],
        ["gcloud compute instances delete", 'gone_ok gcloud compute instances delete "$INSTANCE" --zone "$ZONE" --project "$PROJECT" --quiet'],
    ])("%s: %s", (what, body) => {
        expect(destructiveCommand(command("x", "Some step", body))).toBe(what);
    });

    it.each([
        ["removing an access config", 'gcloud compute instances delete-access-config "$INSTANCE" --access-config-name "$name"'],
        ["a capture cleaning up its own pod on exit", `trap 'k -n "$CAPTURE_NAMESPACE" delete pod "$pod" --ignore-not-found || true' EXIT\nk get pod "$POD" -o yaml`],
        ["a drain's flags", 'k drain "$NODE" --pod-selector=\'!quarantine\' --ignore-daemonsets --delete-emptydir-data'],
        ["restoring a scale", 'k -n "$NAMESPACE" scale "$KIND" "$NAME" --replicas="$recorded" >&2'],
        ["a message that mentions kubectl delete", 'echo "run kubectl delete pod x yourself" >&2'],
    ])("not %s", (_, body) => {
        expect(destructiveCommand(command("x", "Delete nothing", body))).toBeUndefined();
    });

    it("reads the create script only: a delete script that deletes is the undo, not the step", () => {
        expect(destructiveCommand(command("x", "Label", 'k label pod "$POD" a=b', 'k delete pod "$POD"'))).toBeUndefined();
    });
});

describe("evidence", () => {
    it("is a snapshot, anything kept through destroy, the evidence bucket, or a capture command", () => {
        expect(isEvidence(step("s", { type: "gcp:compute/snapshot:Snapshot" }))).toBe(true);
        expect(isEvidence(step("k", { retainOnDelete: true }))).toBe(true);
        expect(isEvidence(step("b", { type: "gcp:storage/bucket:Bucket" }))).toBe(true);
        expect(isEvidence(command("c", "Capture evidence of the node: object and events", 'k get node "$NODE"'))).toBe(true);
        expect(isEvidence(command("t", "Add the incident's isolation tag", "gcloud compute instances add-tags"))).toBe(false);
    });
});

describe("critical-path arithmetic", () => {
    // a → b → d, a → c, e alone
    const a = step("a");
    const b = step("b", { dependencies: [a.urn] });
    const c = step("c", { dependencies: [a.urn] });
    const d = step("d", { dependencies: [b.urn, "urn:pulumi:incident-42::quarantine::read::not-a-step"] });
    const e = step("e");
    const all = [a, b, c, d, e];
    const depth = depths(all);

    it("counts the operations on the longest chain, ignoring dependencies that are not steps", () => {
        expect([a, b, c, d, e].map((s) => depth.get(s.urn))).toEqual([1, 2, 2, 3, 1]);
        expect(chainLength([d, e], depth, "complete")).toBe(3);
        expect(chainLength([c, d], depth, "start-first")).toBe(1);
        expect(chainLength([c, d], depth, "start-last")).toBe(2);
        expect(chainLength([], depth, "complete")).toBeUndefined();
        expect(longestChain([c, d], all, depth).map((s) => s.name)).toEqual(["a", "b", "d"]);
    });

    it("models no step starting before the steps it depends on have finished", () => {
        const t = simulate(
            all.map((s) => ({ id: s.urn, deps: s.dependencies.filter((x) => all.some((y) => y.urn === x)), local: 1, remote: 2 })),
            { parallel: 1, cores: 1, stepOverhead: 0, checkpoint: () => 0.1 },
        );
        for (const s of all) {
            for (const dep of s.dependencies.filter((x) => t.finished.has(x))) {
                expect(t.started.get(s.urn)!).toBeGreaterThanOrEqual(t.finished.get(dep)!);
            }
        }
    });
});
