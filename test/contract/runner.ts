import { randomBytes } from "node:crypto";
import { inDependencyOrder } from "../../core/graph";
import type { Recorded, RunResult } from "../../tools/mockEngine/engine";
import type { Fakes, ScriptResult } from "../fakes/tools";
import { mergePatch } from "../fakes/kubeResources";

/**
 * Plays a mock-engine run of the real program against the fakes, as `pulumi up` and
 * `pulumi destroy` would: creates in dependency order, deletes in reverse. Commands run their
 * recorded scripts and environments through bash and the real gcloud and kubectl. The few
 * provider resources the scripts depend on are emulated on the fakes' state (EMULATED below);
 * the ones they don't are listed in INERT; any other resource type fails the run, so a new level
 * that declares something new is noticed here rather than silently skipped.
 */

export type Phase = "create" | "delete";

export interface Step {
    readonly resource: Recorded;
    readonly kind: "command" | "emulated" | "inert" | "unfaked";
    /** For `unfaked`: which API the fakes lack. */
    readonly why?: string;
}

export interface StepRun extends ScriptResult {
    readonly step: string;
    readonly phase: Phase;
}

export class StepFailed extends Error {
    constructor(readonly run: StepRun) {
        super(`${run.phase} of ${run.step} exited ${run.code}:\n${run.stderr.trim().split("\n").slice(-15).join("\n")}`);
    }
}

/** Provider resources with no effect on what the scripts read: their cloud side is not faked. */
export const INERT = new Set([
    // Local to the random provider: the run's name part, already resolved into the recorded inputs.
    "random:index/randomId:RandomId",
    "gcp:compute/snapshot:Snapshot",
    "gcp:compute/firewall:Firewall",
    "gcp:compute/instance:Instance",
    "gcp:storage/bucket:Bucket",
    "gcp:storage/bucketObject:BucketObject",
]);

/**
 * Commands that call an API with no fake, by what their script calls. They are not run; the
 * suite lists each as a todo so the gap stays visible. Any other unsupported call fails the run.
 */
export const NOT_FAKED: readonly { readonly calls: RegExp; readonly why: string }[] = [
    { calls: /\bgcloud storage\b/, why: "uploads evidence to Cloud Storage, which has no fake yet" },
    // The guard pods (lib/hostpod.sh): their effect is on the node's host, which no fake has; their
    // scripts' logic is tested with stand-ins (test/components/hostGuard.test.ts).
    { calls: /\bhost_pod_run\b/, why: "runs a pod on the node's host (iptables, conntrack), which the Kubernetes fake has no kubelet for" },
];

type Emulation = (fakes: Fakes, inputs: Record<string, any>, urn: string) => void;

/**
 * What the Kubernetes provider does to the cluster for the resources the scripts depend on. Patch
 * resources are server-side apply, each under its own field manager, so deleting one takes back
 * exactly the fields it set.
 */
export const EMULATED: Record<string, { create: Emulation; delete: Emulation }> = {
    "kubernetes:core/v1:PodPatch": {
        create: (f, i, urn) => patch(f, "pods", i, urn, true),
        delete: (f, i, urn) => patch(f, "pods", i, urn, false),
    },
    "kubernetes:core/v1:NodePatch": {
        create: (f, i, urn) => patch(f, "nodes", i, urn, true),
        delete: (f, i, urn) => patch(f, "nodes", i, urn, false),
    },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": {
        create: (f, i) => f.kube.put("networkpolicies", { metadata: structuredClone(i.metadata), spec: structuredClone(i.spec) }),
        delete: (f, i) => f.kube.remove("networkpolicies", i.metadata.namespace, i.metadata.name),
    },
};

/**
 * Server-side apply's field ownership, per fake and object: which leaf paths each field manager
 * applied (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management):
 * - applying a field that another manager owns with a different value is a conflict, refused
 *   unless forced; applying the same value makes the two managers co-owners;
 * - a field a manager stops applying is removed only if no other manager still owns it.
 * So two incidents co-own a cordon, and one incident's destroy leaves the node cordoned.
 */
const owners = new WeakMap<Fakes, Map<string, Map<string, Set<string>>>>();
/** The field manager the provider named for each Patch resource, kept in its state. */
const providerManagers = new WeakMap<Fakes, Map<string, string>>();

/** An apply the API server refuses (409), worded as it is. */
export class ApplyConflict extends Error {}

/**
 * The provider's field manager for a Patch resource (pulumi-kubernetes provider/pkg/provider
 * `fieldManagerName`): the `pulumi.com/patchFieldManager` annotation, else the one in state, else
 * a new `pulumi-kubernetes-<8 hex>`, which create stores in state.
 */
function fieldManager(f: Fakes, urn: string, annotations: Record<string, string> | undefined): string {
    const named = annotations?.["pulumi.com/patchFieldManager"];
    if (named) return named;
    const byUrn = providerManagers.get(f) ?? new Map<string, string>();
    providerManagers.set(f, byUrn);
    if (!byUrn.has(urn)) byUrn.set(urn, `pulumi-kubernetes-${randomBytes(4).toString("hex")}`);
    return byUrn.get(urn)!;
}

function patch(f: Fakes, resource: "pods" | "nodes", inputs: Record<string, any>, urn: string, apply: boolean): void {
    const m = inputs.metadata;
    const obj = f.kube.get(resource, resource === "pods" ? m.namespace : "", m.name);
    if (!obj) {
        if (apply) throw new Error(`${resource} ${m.name} not found: the provider's patch would fail`);
        return;
    }
    // The provider applies the whole input object, its own `pulumi.com/` annotations included
    // (provider/pkg/await/await.go `Creation`: the inputs, marshalled, are the apply patch).
    const fields: Record<string, any> = { metadata: { labels: m.labels ?? {} } };
    if (m.annotations && Object.keys(m.annotations).length) fields.metadata.annotations = m.annotations;
    if (inputs.spec) fields.spec = inputs.spec;
    const manager = fieldManager(f, urn, m.annotations);
    const byObject = owners.get(f) ?? new Map<string, Map<string, Set<string>>>();
    owners.set(f, byObject);
    const key = `${resource}/${m.namespace ?? ""}/${m.name}`;
    const managers = byObject.get(key) ?? new Map<string, Set<string>>();
    byObject.set(key, managers);
    if (apply) {
        const conflicts = leaves(fields).flatMap((l) =>
            [...managers].filter(([other, paths]) => other !== manager && paths.has(l.path) && valueAt(obj, l.keys) !== l.value).map(([other]) => `conflict with "${other}": .${l.path}`),
        );
        if (conflicts.length) {
            const n = conflicts.length;
            throw new ApplyConflict(`Apply failed with ${n} conflict${n === 1 ? "" : "s"}: ${conflicts.join("\n")}`);
        }
        managers.set(manager, new Set(leaves(fields).map((l) => l.path)));
        mergePatch(obj, structuredClone(fields));
    } else {
        managers.delete(manager);
        providerManagers.get(f)?.delete(urn);
        const stillOwned = new Set([...managers.values()].flatMap((s) => [...s]));
        mergePatch(obj, nullify(fields, (path) => !stillOwned.has(path)));
    }
    f.kube.put(resource, obj);
}

interface Leaf {
    readonly path: string;
    readonly keys: string[];
    readonly value: unknown;
}

function leaves(x: Record<string, any>, keys: string[] = []): Leaf[] {
    return Object.entries(x).flatMap(([k, v]) => (v !== null && typeof v === "object" ? leaves(v, [...keys, k]) : [{ path: [...keys, k].join("."), keys: [...keys, k], value: v }]));
}

const valueAt = (obj: Record<string, any>, keys: string[]): unknown => keys.reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);

/** The merge patch that removes the leaves `release` selects (an unowned field), keeping the rest. */
function nullify(x: Record<string, any>, release: (path: string) => boolean, prefix = ""): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(x)) {
        if (v !== null && typeof v === "object") {
            const inner = nullify(v, release, `${prefix}${k}.`);
            if (Object.keys(inner).length) out[k] = inner;
        } else if (release(`${prefix}${k}`)) {
            out[k] = null;
        }
    }
    return out;
}

/** The resources to act on, in an order that respects every recorded dependency. */
export function orderSteps(result: RunResult): Step[] {
    const all = result.resources;
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const acting = all.filter((r) => r.custom && !r.read);
    for (const r of acting) {
        if (r.type !== "command:local:Command" && !EMULATED[r.type] && !INERT.has(r.type)) {
            throw new Error(`no emulation for ${r.type} (${r.name}): add it to EMULATED or INERT in test/contract/runner.ts`);
        }
    }
    // Depending on a component means depending on everything under it.
    const descendants = (urn: string): string[] => all.filter((c) => c.parent === urn).flatMap((c) => [c.urn, ...descendants(c.urn)]);
    const deps = new Map(acting.map((r) => [r.urn, new Set(r.dependencies.flatMap((d) => (byUrn.get(d)?.custom === false ? descendants(d) : [d])))]));
    const graph = acting.map((r) => ({ urn: r.urn, dependencies: [...deps.get(r.urn)!], r }));
    return inDependencyOrder(graph).map((n) => classify(n.r));
}

function classify(r: Recorded): Step {
    if (r.type !== "command:local:Command") return { resource: r, kind: EMULATED[r.type] ? "emulated" : "inert" };
    const gap = NOT_FAKED.find((n) => n.calls.test(`${r.inputs.create}\n${r.inputs.delete}`));
    return gap ? { resource: r, kind: "unfaked", why: gap.why } : { resource: r, kind: "command" };
}

export class Quarantine {
    readonly steps: Step[];
    /** Resources in state, as Pulumi would record them: a failed create leaves its resource out. */
    readonly created = new Set<string>();
    readonly runs: StepRun[] = [];
    /** Each command's last create stdout, as state keeps it. */
    readonly stdout = new Map<string, string>();

    constructor(
        readonly result: RunResult,
        readonly fakes: Fakes,
    ) {
        this.steps = orderSteps(result);
    }

    commands(): Step[] {
        return this.steps.filter((s) => s.kind === "command");
    }

    step(suffix: string): Step {
        const hits = this.steps.filter((s) => s.resource.name.endsWith(suffix));
        if (hits.length !== 1) throw new Error(`expected one step named *${suffix}, found ${hits.length}`);
        return hits[0];
    }

    /** `pulumi up`: creates what is not in state yet, in order; throws on the first failure. */
    async create(after?: (s: Step) => void): Promise<StepRun[]> {
        const runs: StepRun[] = [];
        for (const s of this.steps.filter((x) => !this.created.has(x.resource.urn))) {
            const run = await this.run(s, "create");
            if (run) runs.push(run);
            this.created.add(s.resource.urn);
            after?.(s);
        }
        return runs;
    }

    /** `pulumi destroy`: deletes what is in state, in reverse order; throws on the first failure. */
    async destroy(): Promise<StepRun[]> {
        const runs: StepRun[] = [];
        for (const s of [...this.steps].reverse().filter((x) => this.created.has(x.resource.urn))) {
            const run = await this.run(s, "delete");
            if (run) runs.push(run);
            this.created.delete(s.resource.urn);
        }
        return runs;
    }

    /** Runs one step's create or delete; throws `StepFailed` when its script fails. */
    async run(s: Step, phase: Phase, env: Record<string, string> = {}): Promise<StepRun | undefined> {
        const { resource: r } = s;
        if (s.kind === "inert" || s.kind === "unfaked") return undefined;
        if (s.kind === "emulated") {
            EMULATED[r.type][phase](this.fakes, r.inputs, r.urn);
            return undefined;
        }
        const script: string = phase === "create" ? r.inputs.create : r.inputs.delete;
        // The command provider hands the create's stdout, from state, to the next run.
        const previous = r.inputs.addPreviousOutputInEnv === true && this.stdout.has(r.urn) ? { PULUMI_COMMAND_STDOUT: this.stdout.get(r.urn)! } : {};
        const result = await this.fakes.run(script, this.fakes.env({ ...r.inputs.environment, ...previous, ...env }));
        const run = { ...result, step: r.name, phase };
        this.runs.push(run);
        if (run.code !== 0) throw new StepFailed(run);
        // A create run again by hand (the re-run checks) does not change what state holds.
        if (phase === "create" && !this.created.has(r.urn)) this.stdout.set(r.urn, run.stdout);
        return run;
    }
}
