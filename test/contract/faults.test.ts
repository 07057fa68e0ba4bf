import { afterAll, describe, expect, it } from "vitest";
import { sampleCluster } from "../../tools/mockEngine/sampleCluster";
import type { Effect, Fault } from "../fakes/http";
import { Fakes } from "../fakes/tools";
import { Quarantine, StepFailed, type Phase, type Step } from "./runner";
import { CONTEXT, diff, observable, planFor } from "./scenario";

/**
 * Fault injection, one call at a time. A clean `isolate` run through the fakes records, for every
 * command, the state before and after it, the state changes it made, and every API call it made.
 * Then, for each call in turn, the state before the command is restored, that call fails once,
 * and the command runs again until it succeeds (as a second `pulumi up` would). It must end in
 * the clean run's state with exactly the clean run's changes: nothing done twice, nothing undone.
 *
 * - `500` on every call: the call fails and changes nothing.
 * - `timeout` on every call that changes state: the change is made, but its answer is lost (the
 *   connection drops after a stall). On a read it would only repeat the `500` case.
 * - `412` where the call carries a fingerprint (setTags): someone else changed the VM's tags
 *   since gcloud read them.
 *
 * Creates get every fault; deletes get the Kubernetes ones (gcloud's would double the suite's time).
 * Scenarios run concurrently on a pool of fake pairs: a snapshot restores into any of them.
 */

type Service = "compute" | "kube";
type Snapshot = ReturnType<Fakes["snapshot"]>;

interface Checkpoint {
    readonly step: Step;
    readonly phase: Phase;
    readonly before: Snapshot;
    readonly after: Snapshot;
    readonly effects: Record<Service, Effect[]>;
    /** Every call the command made, by operation and occurrence (discovery: its first call only). */
    readonly calls: { readonly service: Service; readonly op: string; readonly nth: number }[];
}

const READ = /^(discovery|openapi)$|\.(get|list|listManagedInstances|wait)$/;
const FINGERPRINTED = new Set(["instances.setTags"]);

function faultsFor(op: string): Fault[] {
    if (READ.test(op)) return ["500"];
    return ["500", "timeout", ...(FINGERPRINTED.has(op) ? (["412"] as const) : [])];
}

const effectsOf = (f: Fakes) => ({ compute: f.compute.effects.length, kube: f.kube.effects.length });

const gcloud = (s: Step) => /\bgcloud\b/.test(`${s.resource.inputs.create}\n${s.resource.inputs.delete}`);

/** Runs one phase of the steps `only` selects cleanly, recording a checkpoint per command. */
async function record(q: Quarantine, f: Fakes, phase: Phase, only: (s: Step) => boolean = () => true): Promise<Checkpoint[]> {
    const cps: Checkpoint[] = [];
    for (const step of (phase === "create" ? q.steps : [...q.steps].reverse()).filter(only)) {
        const before = f.snapshot();
        const start = { compute: f.compute.calls.length, kube: f.kube.calls.length };
        const effects = effectsOf(f);
        await q.run(step, phase);
        if (step.kind !== "command") continue;
        const calls = [
            ...f.compute.calls.slice(start.compute).map((c) => ({ service: "compute" as const, op: c.op })),
            ...f.kube.calls.slice(start.kube).map((c) => ({ service: "kube" as const, op: c.op })),
        ]
            .map((c, i, all) => ({ ...c, nth: all.slice(0, i + 1).filter((x) => x.op === c.op && x.service === c.service).length }))
            .filter((c) => c.nth === 1 || !/^(discovery|openapi)$/.test(c.op));
        const changes = { compute: f.compute.effects.slice(effects.compute), kube: f.kube.effects.slice(effects.kube) };
        cps.push({ step, phase, before, after: f.snapshot(), effects: changes, calls });
    }
    expect(f.violations()).toEqual([]);
    return cps;
}

/** Fake pairs, each with its own quarantine runner; a scenario holds one for its whole run. */
class Pool {
    private readonly waiting: ((x: { f: Fakes; q: Quarantine }) => void)[] = [];
    constructor(private readonly free: { f: Fakes; q: Quarantine }[]) {}

    async use<T>(fn: (x: { f: Fakes; q: Quarantine }) => Promise<T>): Promise<T> {
        const x = this.free.pop() ?? (await new Promise<{ f: Fakes; q: Quarantine }>((resolve) => this.waiting.push(resolve)));
        try {
            return await fn(x);
        } finally {
            const next = this.waiting.shift();
            if (next) next(x);
            else this.free.push(x);
        }
    }
}

describe("faults, one call at a time", async () => {
    const plan = await planFor("isolate");
    const pairs = await Promise.all([0, 1, 2].map(async () => Fakes.start(sampleCluster(), CONTEXT)));
    afterAll(async () => Promise.all(pairs.map((f) => f.close())));
    const runners = pairs.map((f) => ({ f, q: new Quarantine(plan, f) }));
    // Deletes get Kubernetes faults only, so gcloud's deletes need not run: they touch no state
    // the kubectl ones read.
    const [r] = runners;
    const checkpoints = [...(await record(r.q, r.f, "create")), ...(await record(r.q, r.f, "delete", (s) => !gcloud(s)))];
    // What state holds after the clean run (each create's stdout) is the same for every runner.
    for (const other of runners) for (const [urn, out] of r.q.stdout) other.q.stdout.set(urn, out);
    const pool = new Pool(runners);

    const cases = checkpoints.flatMap((cp) =>
        cp.calls
            .filter((c) => cp.phase === "create" || c.service === "kube")
            .flatMap((c) => faultsFor(c.op).map((fault) => ({ cp, service: c.service, op: c.op, nth: c.nth, fault }))),
    );

    it("injects a fault into every call the commands make", () => {
        const ops = new Set(cases.map((c) => c.op));
        for (const op of ["instances.setTags", "instances.deleteAccessConfig", "instanceGroupManagers.abandonInstances", "pods.patch", "pods.eviction"]) {
            expect(ops).toContain(op);
        }
    });

    type Case = (typeof cases)[number];
    const rows = cases.map((c): [string, Fault, string, number, Case] => [`${c.cp.phase} ${c.cp.step.resource.name.split("/").pop()}`, c.fault, c.op, c.nth, c]);
    it.concurrent.for(rows)(
        "%s: %s on %s (call %i), then a re-run converges without doing anything twice",
        { timeout: 120_000 },
        async ([, fault, op, nth, { cp, service }], { expect }) => {
            await pool.use(async ({ f, q }) => {
                f.compute.disarm();
                f.kube.disarm();
                f.restore(cp.before);
                const effects = effectsOf(f);
                f[service].arm(op, fault, nth);
                let failed = false;
                try {
                    await q.run(cp.step, cp.phase);
                } catch (e) {
                    if (!(e instanceof StepFailed)) throw e;
                    failed = true;
                }
                // A step that must not hold containment up (the drain) ends with exit 0 and says it is
                // incomplete; the responder re-runs it (`pulumi up --replace`), as a failed step is.
                if (!failed && /\bincomplete\b/.test(q.runs[q.runs.length - 1].stdout)) failed = true;
                expect(f[service].pending(), "the fault was injected").toEqual([]);
                f[service].disarm();
                // The client may have retried on its own; otherwise one more run must succeed.
                if (failed) await q.run(cp.step, cp.phase);
                expect(f.violations()).toEqual([]);
                expect(diff(observable(cp.after), observable(f)), "the same state as the clean run").toEqual([]);
                expect(f.compute.effects.slice(effects.compute), "the same compute changes, once each").toEqual(cp.effects.compute);
                expect(f.kube.effects.slice(effects.kube), "the same Kubernetes changes, once each").toEqual(cp.effects.kube);
            });
        },
    );
});
