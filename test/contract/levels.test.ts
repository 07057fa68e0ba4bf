import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEVELS } from "../../core/levels";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { Fakes } from "../fakes/tools";
import { Quarantine, type Step } from "./runner";
import { CONTEXT, INCIDENT, diff, observable, planFor, unexplained } from "./scenario";

/**
 * Every supported level, played for real: the program's own commands (from a mock-engine run of
 * the sample incident) run through gcloud and kubectl against the fakes, creates in dependency
 * order, then deletes in reverse. A level added to LEVELS runs here too, and fails until
 * EXPECT says what it must leave behind.
 */

const ZONE = "us-central1-a";
const MIG = `${ZONE}/gke-cluster-pool-1-abcdeffff-grp`;
const POD = "default/compromised-pod";
const LADDER = ["observe", "isolate", "redeploy", "delete-workload", "delete-node"];

type Check = (f: Fakes, before: Record<string, unknown>) => void;

/** The node's quarantine; `vmDeleted` for the level that deletes the VM and its Node object. */
function isolated(f: Fakes, vmDeleted = false): void {
    const vm = f.compute.instance(ZONE, SAMPLE_NODE);
    const node = f.kube.get("nodes", "", SAMPLE_NODE);
    expect(f.compute.state.migs[MIG].members, "the VM is out of its group").not.toContain(SAMPLE_NODE);
    if (vmDeleted) {
        expect(vm, "the VM is deleted").toBeUndefined();
        expect(node, "the Node object is deleted").toBeUndefined();
    } else {
        expect(vm, "the VM is still there").toBeDefined();
        expect(vm!.tags.items, "the VM carries the incident's tag").toContain(`quarantine-${INCIDENT}`);
        expect(vm!.nic.accessConfigs, "the VM has no external IP").toEqual([]);
        expect(vm!.deletionProtection, "the VM is protected against deletion").toBe(true);
        expect(node.spec.unschedulable, "the node is cordoned").toBe(true);
        expect(node.metadata.labels["quarantine/investigation"]).toBe("true");
    }
    expect(f.kube.get("pods", "default", "bystander"), "other pods were evicted").toBeUndefined();
    expect(f.kube.get("pods", "kube-system", "fluentbit-gke-0"), "DaemonSet pods stay").toBeDefined();
    expect(f.kube.get("networkpolicies", "default", `quarantine-${INCIDENT}-deny-all`)).toBeDefined();
}

const EXPECT: Record<string, Check> = {
    observe: (f, before) => expect(diff(before, observable(f)), "observe changes nothing the fakes hold").toEqual([]),
    isolate: (f) => {
        isolated(f);
        const pod = f.kube.get("pods", "default", "compromised-pod");
        expect(pod, "the quarantined pod was not evicted").toBeDefined();
        expect(pod.metadata.labels, "only the quarantine's labels are left").toEqual({ quarantine: "true", "quarantine/incident": INCIDENT });
        expect(pod.metadata.annotations ?? {}, "no record is kept in the pod, which the attacker can edit").not.toHaveProperty("quarantine/detached-labels");
    },
    redeploy: (f) => {
        isolated(f);
        expect(f.kube.get("pods", "default", "compromised-pod"), "the compromised pod is deleted").toBeUndefined();
    },
    "delete-workload": (f) => {
        isolated(f);
        expect(f.kube.get("pods", "default", "compromised-pod"), "the compromised pod is deleted").toBeUndefined();
        const web = f.kube.get("deployments", "default", "web");
        expect(web === undefined || web.spec.replicas === 0, "the owning Deployment is scaled to zero or deleted").toBe(true);
    },
    "delete-node": (f) => {
        isolated(f, true);
        expect(f.kube.get("pods", "default", "compromised-pod"), "the compromised pod is deleted").toBeUndefined();
        const web = f.kube.get("deployments", "default", "web");
        expect(web === undefined || web.spec.replicas === 0, "the owning Deployment is scaled to zero or deleted").toBe(true);
    },
};

interface Lifecycle {
    readonly fakes: Fakes;
    readonly q: Quarantine;
    readonly before: Record<string, unknown>;
    afterCreate?: Record<string, unknown>;
    createdState?: ReturnType<Fakes["snapshot"]>;
    /** State changes made by running every create a second time. */
    rerunEffects?: unknown[];
    afterRerun?: Record<string, unknown>;
    afterDestroy?: Record<string, unknown>;
    violations: Record<string, string[]>;
    /** Leading steps taken from the isolate run instead of run again (see `lifecycle`). */
    fastForwarded: number;
    /** State after each create step, in order. */
    states: ReturnType<Fakes["snapshot"]>[];
    error?: unknown;
}

const same = (a: Step, b: Step) =>
    a.resource.urn === b.resource.urn && JSON.stringify(a.resource.inputs) === JSON.stringify(b.resource.inputs) && a.kind === b.kind;

/**
 * `pulumi up`, every create again (unless the level deletes what they act on), `pulumi destroy`.
 * A higher level's plan starts with isolate's steps, unchanged: the same scripts and environments
 * from the same state give the same result (the fakes are deterministic), so that common prefix
 * starts from isolate's recorded state instead of running again. Everything after it, and every
 * delete, runs for real.
 */
async function lifecycle(plan: RunResult, rerun: boolean, base?: Lifecycle): Promise<Lifecycle> {
    const fakes = await Fakes.start(sampleCluster(), CONTEXT);
    const q = new Quarantine(plan, fakes);
    const l: Lifecycle = { fakes, q, before: observable(fakes), violations: {}, fastForwarded: 0, states: [] };
    try {
        if (base) {
            while (l.fastForwarded < base.states.length && same(q.steps[l.fastForwarded], base.q.steps[l.fastForwarded])) l.fastForwarded++;
            if (l.fastForwarded > 0) fakes.restore(base.states[l.fastForwarded - 1]);
            for (const s of q.steps.slice(0, l.fastForwarded)) {
                q.created.add(s.resource.urn);
                // State keeps each command's stdout: what the fast-forwarded creates printed.
                const out = base.q.stdout.get(s.resource.urn);
                if (out !== undefined) q.stdout.set(s.resource.urn, out);
            }
        }
        await q.create(() => l.states.push(fakes.snapshot()));
        l.afterCreate = observable(fakes);
        l.createdState = fakes.snapshot();
        l.violations.create = fakes.violations();
        if (rerun) {
            const effects = fakes.compute.effects.length + fakes.kube.effects.length;
            for (const s of q.commands()) await q.run(s, "create");
            l.rerunEffects = [...fakes.compute.effects, ...fakes.kube.effects].slice(effects);
            l.afterRerun = observable(fakes);
        }
        await q.destroy();
        l.afterDestroy = observable(fakes);
        l.violations.destroy = fakes.violations();
    } catch (e) {
        l.error = e;
    }
    return l;
}

describe("every supported level", async () => {
    // Plans are made at collection time, so each level's tests can be named after its steps.
    const plans: Record<string, RunResult> = {};
    for (const level of LEVELS) plans[level] = await planFor(level);
    // Pulumi re-runs a create only for a resource not in state (or replaced). A level that deletes
    // the pod or the VM leaves the isolation steps nothing to act on, so only the others re-run all.
    const deletes = (level: string) => (plans[level].outputs.oneWayActions ?? []).some((a: string) => /^deleted /.test(a));

    const runs: Record<string, Lifecycle> = {};
    beforeAll(async () => {
        // Isolate first; then the others (a pair of fakes each), concurrently. Checked below.
        const base = LEVELS.includes("isolate") ? (runs.isolate = await lifecycle(plans.isolate, !deletes("isolate"))) : undefined;
        const others = LEVELS.filter((level) => level !== "isolate");
        const done = await Promise.all(others.map(async (level) => [level, await lifecycle(plans[level], !deletes(level), base)] as const));
        for (const [level, l] of done) runs[level] = l;
    }, 240_000);
    afterAll(async () => Promise.all(Object.values(runs).map((l) => l.fakes.close())));

    describe.each([...LEVELS])("level %s", (level) => {
        const plan = plans[level];
        const run = () => {
            const l = runs[level];
            if (l.error) throw l.error;
            return l;
        };

        it("has contract expectations (add them to EXPECT for a new level)", () => {
            expect(Object.keys(EXPECT)).toContain(level);
            expect(LADDER).toContain(level);
        });

        it("creates every step in dependency order through gcloud and kubectl, within the fakes' API", () => {
            const l = run();
            // Isolate's leading steps, where unchanged, come from its run (see lifecycle); the rest run here.
            expect(l.fastForwarded).toBeLessThan(l.q.steps.length);
            expect(l.violations.create).toEqual([]);
            if (level !== "observe") expect(l.q.runs.filter((r) => r.phase === "create").length).toBeGreaterThan(0);
        });

        it("leaves what the level says", () => {
            const l = run();
            // The checks read the fakes; put the state after create back for them.
            const now = l.fakes.snapshot();
            l.fakes.restore(l.createdState!);
            try {
                EXPECT[level](l.fakes, l.before);
            } finally {
                l.fakes.restore(now);
            }
        });

        it.skipIf(deletes(level))("does nothing twice when every create runs again", () => {
            const l = run();
            expect(l.rerunEffects).toEqual([]);
            expect(diff(l.afterCreate, l.afterRerun)).toEqual([]);
        });

        it("destroy brings back the state before, except the documented one-way steps", () => {
            const l = run();
            expect(l.violations.destroy).toEqual([]);
            const oneWay: string[] = plan.outputs.oneWayActions ?? [];
            expect(unexplained(l.before, l.afterDestroy, oneWay, [POD])).toEqual([]);
        });

        // Cloud Storage has no fake and the fakes have no node host: the steps not run here are
        // exactly the evidence captures (they upload) and the host guard's (they run on the host),
        // each run for real against stand-ins in test/components/evidenceCapture.test.ts and hostGuard.test.ts.
        it("runs every step but the evidence captures and the host guard, which act where no fake reaches", () => {
            const notRun = /^# step: Capture evidence|^# script: (metadata-block|conntrack-flush)$/m;
            const unfaked = new Quarantine(plan, {} as Fakes).steps.filter((x) => x.kind === "unfaked");
            for (const s of unfaked) expect(s.resource.inputs.create, s.resource.name).toMatch(notRun);
            const captures = plan.resources.filter((r) => notRun.test(r.inputs.create ?? ""));
            expect(unfaked.map((s) => s.resource.name).sort()).toEqual(captures.map((r) => r.name).sort());
        });
    });
});
