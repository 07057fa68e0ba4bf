import { describe, expect, it } from "vitest";
import { scriptFrom, uses } from "../../components/shell";
import type { StepKind } from "../../core/stepHeader";
import type { Recorded } from "../../tools/mockEngine/engine";
import { chainLength, depths, isDestructive, isEvidence, isTag, longestChain } from "../../bench/graph";
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

/** A command as shell.ts builds it: the header (with its declared kind and script), the prelude, `k`. */
function command(name: string, header: string, body: string, kind: StepKind, script = "test"): Recorded {
    const h = { step: header, destroy: "one-way", kind, script };
    const k = uses("kubectl");
    return step(name, { type: "command:local:Command", inputs: { create: scriptFrom(h, k + body), delete: scriptFrom(h, `${k}echo nothing`) } });
}

describe("what a step is, read from what it declares", () => {
    it("a step declared destructive is destructive, whatever its script", () => {
        expect(isDestructive(command("x", "Delete the pod", 'k -n "$NAMESPACE" delete pod "$POD"', "destructive"))).toBe(true);
    });

    it.each(["isolation", "capture", "check", "restore"] as const)("a step declared %s is not destructive", (kind) => {
        expect(isDestructive(command("x", "Some step", 'k get pod "$POD"', kind))).toBe(false);
    });

    it("the tag step is the one built from tag.create.sh", () => {
        expect(isTag(command("x", "Add the tag", "gcloud compute instances add-tags", "isolation", "tag"))).toBe(true);
        expect(isTag(command("x", "Describe", "gcloud compute instances add-tags", "isolation", "describe"))).toBe(false);
    });
});

describe("evidence", () => {
    it("is a snapshot, anything kept through destroy, the evidence bucket, or a command declared capture", () => {
        expect(isEvidence(step("s", { type: "gcp:compute/snapshot:Snapshot" }))).toBe(true);
        expect(isEvidence(step("k", { retainOnDelete: true }))).toBe(true);
        expect(isEvidence(step("b", { type: "gcp:storage/bucket:Bucket" }))).toBe(true);
        expect(isEvidence(command("c", "Capture evidence of the node: object and events", 'k get node "$NODE"', "capture"))).toBe(true);
        expect(isEvidence(command("t", "Add the incident's isolation tag", "gcloud compute instances add-tags", "isolation"))).toBe(false);
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
