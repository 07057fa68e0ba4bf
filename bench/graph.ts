import { isCapture, scriptHeader } from "../components/scriptHeader";
import { destructiveAction } from "../policies/lib/evidence";
import { waitsFor as walkDependencies, type Recorded } from "../stacks/plan/engine";

/**
 * Pure critical-path code over a recorded run: which steps are the milestones of a containment,
 * and how long the longest chain of cloud operations is before each. No Pulumi, no clock: the
 * structural test and the latency model both read the graph through these functions.
 *
 * A *step* is a custom resource the update creates (reads are discovery and happen before any
 * step). `Recorded.dependencies` are URNs already expanded from components to custom resources.
 */

export type Step = Recorded;

export function stepsOf(resources: readonly Recorded[]): Step[] {
    return resources.filter((r) => r.custom && !r.read);
}

export function byUrn(steps: readonly Step[]): Map<string, Step> {
    return new Map(steps.map((s) => [s.urn, s]));
}

/** Dependencies of `s` that are steps of this update (reads and components drop out). */
export function depsOf(s: Step, index: ReadonlyMap<string, Step>): Step[] {
    return s.dependencies.map((u) => index.get(u)).filter((d): d is Step => d !== undefined);
}

/** The create script of a `command:local:Command`, or undefined for any other step. */
export function createScript(s: Step): string | undefined {
    return s.type === "command:local:Command" && typeof s.inputs.create === "string" ? s.inputs.create : undefined;
}

/** The `# step:` header every command script carries (components/shell.ts), else type and name. */
export function title(s: Step): string {
    const script = createScript(s);
    return scriptHeader(script).step ?? `${s.type.split(":").pop()} ${s.name.split("/").pop()}`;
}

const KUBECTL = String.raw`(?:^|[\s;&|(!])(?:kubectl|k)\s`;

/**
 * The destructive command a step runs, if any (`kubectl delete`, `kubectl scale --replicas=0`,
 * `gcloud compute instances delete`, …): the policy pack's own reading of a command, so the bench
 * and the `destructive-after-evidence` policy agree on what destroys something.
 */
export function destructiveCommand(s: Step): string | undefined {
    return destructiveAction({ type: s.type, props: { create: createScript(s) } });
}

export function isDestructive(s: Step): boolean {
    return destructiveCommand(s) !== undefined;
}

export function isSnapshot(s: Step): boolean {
    return s.type === "gcp:compute/snapshot:Snapshot";
}

/**
 * Evidence: disk snapshots, anything kept through destroy (`retainOnDelete`), the evidence bucket
 * and its objects (Cloud Storage), and capture commands (`# step: Capture evidence …`).
 */
export function isEvidence(s: Step): boolean {
    if (isSnapshot(s) || s.retainOnDelete || s.type.startsWith("gcp:storage/")) return true;
    return isCapture(createScript(s));
}

export const isPodPatch = (s: Step) => s.type === "kubernetes:core/v1:PodPatch";
export const isNetworkPolicy = (s: Step) => s.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const isDenyRule = (s: Step) => s.type === "gcp:compute/firewall:Firewall" && Array.isArray(s.inputs.denies);
export const isTag = (s: Step) => /\bcompute\s+instances\s+add-tags\b/.test(createScript(s) ?? "");
export const isRemoveExternalIp = (s: Step) => /\bcompute\s+instances\s+delete-access-config\b/.test(createScript(s) ?? "");
export const isDrain = (s: Step) => new RegExp(`${KUBECTL}(?:.*\\s)?drain\\s`).test(createScript(s) ?? "");

/**
 * The milestones of a containment, each a set of steps:
 * - `podIsolated`: every pod labelled and its deny-all NetworkPolicy in place;
 * - `nodeIsolated`: the isolation tag applied, the deny rules present, and the pod isolation;
 * - `externalIpRemoved`: established outside connections broken too (not part of the definition);
 * - `snapshots`: every disk snapshot (the milestone is reached when the last one *starts*);
 * - `destructive`: the destructive steps (reached when the first one *starts*).
 */
export interface Milestones {
    readonly podIsolated: Step[];
    readonly nodeIsolated: Step[];
    readonly externalIpRemoved: Step[];
    readonly snapshots: Step[];
    readonly destructive: Step[];
}

export function milestones(steps: readonly Step[]): Milestones {
    const podIsolated = steps.filter((s) => isPodPatch(s) || isNetworkPolicy(s));
    const tags = steps.filter(isTag);
    return {
        podIsolated,
        nodeIsolated: tags.length ? [...tags, ...steps.filter(isDenyRule), ...podIsolated] : [],
        externalIpRemoved: steps.filter(isRemoveExternalIp),
        snapshots: steps.filter(isSnapshot),
        destructive: steps.filter(isDestructive),
    };
}

/** Length of the longest chain of steps ending with each step, the step included. */
export function depths(steps: readonly Step[]): Map<string, number> {
    const index = byUrn(steps);
    const depth = new Map<string, number>();
    const visit = (s: Step, path: Set<string>): number => {
        const known = depth.get(s.urn);
        if (known !== undefined) return known;
        if (path.has(s.urn)) throw new Error(`dependency cycle through ${s.name}`);
        path.add(s.urn);
        const d = 1 + Math.max(0, ...depsOf(s, index).map((x) => visit(x, path)));
        path.delete(s.urn);
        depth.set(s.urn, d);
        return d;
    };
    steps.forEach((s) => visit(s, new Set()));
    return depth;
}

/**
 * Operations on the longest chain before a milestone: for a completion milestone (isolation) the
 * chain ends with its last step; for a start milestone (snapshots, first destructive step) it ends
 * with what that step waits for. Undefined when the milestone has no steps.
 */
export function chainLength(set: readonly Step[], depth: ReadonlyMap<string, number>, kind: "complete" | "start-last" | "start-first"): number | undefined {
    if (set.length === 0) return undefined;
    const d = set.map((s) => depth.get(s.urn)!);
    if (kind === "complete") return Math.max(...d);
    return kind === "start-last" ? Math.max(...d) - 1 : Math.min(...d) - 1;
}

/** One longest chain of steps ending at the deepest step of `set`, first step first. */
export function longestChain(set: readonly Step[], steps: readonly Step[], depth: ReadonlyMap<string, number>): Step[] {
    if (set.length === 0) return [];
    const index = byUrn(steps);
    let s: Step | undefined = [...set].sort((a, b) => depth.get(b.urn)! - depth.get(a.urn)!)[0];
    const chain: Step[] = [];
    while (s) {
        chain.unshift(s);
        const deps = depsOf(s, index);
        s = deps.sort((a, b) => depth.get(b.urn)! - depth.get(a.urn)!)[0];
    }
    return chain;
}

/** Every step `s` waits for, directly or through other steps (the recorder's own walk). */
export function waitsFor(s: Step, index: ReadonlyMap<string, Step>): Set<string> {
    return walkDependencies(s, index);
}
