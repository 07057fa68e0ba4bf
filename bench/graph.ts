export { depsOf, depths, indexOf as byUrn, longestChain, waitsFor } from "../core/graph";
import { scriptHeader, stepKind } from "../core/stepHeader";
import type { Recorded } from "../tools/mockEngine/engine";

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

/** The create script of a `command:local:Command`, or undefined for any other step. */
export function createScript(s: Step): string | undefined {
    return s.type === "command:local:Command" && typeof s.inputs.create === "string" ? s.inputs.create : undefined;
}

/** The `# step:` header every command script carries (components/shell.ts), else type and name. */
export function title(s: Step): string {
    return scriptHeader(createScript(s)).step ?? `${s.type.split(":").pop()} ${s.name.split("/").pop()}`;
}

/** The file in components/scripts/ a command was built from (its `# script:` header), if any. */
export function scriptOf(s: Step): string | undefined {
    return scriptHeader(createScript(s)).script;
}

/** A step that deletes or stops something: declared `# kind: destructive`. */
export function isDestructive(s: Step): boolean {
    return stepKind(createScript(s)) === "destructive";
}

export function isSnapshot(s: Step): boolean {
    return s.type === "gcp:compute/snapshot:Snapshot";
}

/**
 * Evidence: disk snapshots, anything kept through destroy (`retainOnDelete`), the evidence bucket
 * and its objects (Cloud Storage), and commands declared `# kind: capture`.
 */
export function isEvidence(s: Step): boolean {
    if (isSnapshot(s) || s.retainOnDelete || s.type.startsWith("gcp:storage/")) return true;
    return stepKind(createScript(s)) === "capture";
}

export const isPodPatch = (s: Step) => s.type === "kubernetes:core/v1:PodPatch";
export const isNetworkPolicy = (s: Step) => s.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const isDenyRule = (s: Step) => s.type === "gcp:compute/firewall:Firewall" && Array.isArray(s.inputs.denies);
export const isTag = (s: Step) => scriptOf(s) === "tag";
export const isRemoveExternalIp = (s: Step) => scriptOf(s) === "remove-external-ip";
export const isDrain = (s: Step) => scriptOf(s) === "drain";

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

