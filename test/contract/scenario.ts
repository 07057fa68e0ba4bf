import { runIncident, type RunResult } from "../../tools/mockEngine/engine";
import { sampleCluster, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { sampleScenario, SAMPLE_CONTEXT } from "../../tools/mockEngine/scenario";
import type { Level } from "../../core/levels";
import type { Fakes } from "../fakes/tools";

/** Shared by the contract tests: the sample incident, its plan at a level, and state comparison. */

export const CONTEXT = SAMPLE_CONTEXT;
export const INCIDENT = "42";

/** Config for the sample's compromised pod at `level`; destructive levels carry their acknowledgement. */
export function levelConfig(level: string, cluster: FakeCluster = sampleCluster(), extra: Record<string, string> = {}): Record<string, string> {
    return sampleScenario({ cluster, pods: [cluster.pods[0]], level: level as Level, stack: `incident-${INCIDENT}`, config: extra }).config;
}

export async function planFor(level: string, cluster: FakeCluster = sampleCluster(), extra: Record<string, string> = {}): Promise<RunResult> {
    return runIncident({ cluster, config: levelConfig(level, cluster, extra), stack: `incident-${INCIDENT}` });
}

/** What the fakes hold, without what changes on every write (fingerprints, versions, operations). */
export function observable(f: Fakes | ReturnType<Fakes["snapshot"]>): Record<string, any> {
    const snap = "snapshot" in f ? f.snapshot() : f;
    const c = structuredClone(snap.compute);
    for (const vm of Object.values(c.instances)) (vm.tags as { fingerprint?: string }).fingerprint = undefined;
    const objects = structuredClone(snap.kube.objects);
    for (const o of Object.values(objects)) delete o.metadata.resourceVersion;
    return { compute: { instances: c.instances, migs: c.migs, addresses: c.addresses }, kube: objects };
}

/** Every leaf path with its value (an empty object or array has no leaves). */
export function flatten(x: unknown, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
    if (x !== null && typeof x === "object") {
        for (const [k, v] of Object.entries(x)) flatten(v, prefix ? `${prefix}|${k}` : k, out);
    } else if (x !== undefined) {
        out[prefix] = x;
    }
    return out;
}

/** Leaf paths whose value differs between `a` and `b` (added, removed or changed). */
export function diff(a: unknown, b: unknown): string[] {
    const fa = flatten(a);
    const fb = flatten(b);
    return [...new Set([...Object.keys(fa), ...Object.keys(fb)])].filter((k) => JSON.stringify(fa[k]) !== JSON.stringify(fb[k])).sort();
}

/**
 * The documented one-way steps, as state differences after destroy. Each rule says which
 * differences it allows and which `oneWayActions` entry (the stack output that says what destroy
 * does not undo) must be present for that: anything else must be back as it was.
 */
interface Rule {
    readonly allows: (path: string, gone: boolean, quarantined: boolean) => boolean;
    readonly action: RegExp;
}

const WORKLOADS = /^kube\|(deployments|replicasets|statefulsets|daemonsets|jobs|cronjobs)\//;

export const ONE_WAY_RULES: readonly Rule[] = [
    // Abandoning shrinks the group: GCE has no call that puts an instance back.
    { allows: (p) => /^compute\|migs\|[^|]+\|(members|targetSize)/.test(p), action: /^abandoned .* from managed instance group/ },
    // An ephemeral external IP can't be reclaimed: the VM comes back with a new one.
    { allows: (p) => /^compute\|instances\|[^|]+\|nic\|accessConfigs\|0\|natIP$/.test(p), action: /^removed external IP / },
    // Evicted pods were rescheduled elsewhere by their controllers (the fake has no controllers).
    { allows: (p, gone, q) => gone && !q && /^kube\|pods\/(?!kube-system\/)/.test(p), action: /^drained / },
    { allows: (p, gone, q) => gone && q, action: /^deleted pod / },
    { allows: (p, gone) => gone && WORKLOADS.test(p), action: /^deleted (Deployment|ReplicaSet|StatefulSet|DaemonSet|Job|CronJob) / },
    { allows: (p, gone) => gone && /^compute\|instances\|/.test(p), action: /^deleted VM / },
    { allows: (p, gone) => gone && /^kube\|nodes\//.test(p), action: /^deleted VM .* and its Node object/ },
];

/** Differences between `before` and `after` that no documented one-way step explains. */
export function unexplained(before: any, after: any, oneWayActions: readonly string[], quarantinedPods: readonly string[]): string[] {
    return diff(before, after).filter((path) => {
        const [service, kind, key] = path.split("|");
        const objectKey = service === "compute" ? key : kind;
        const gone = (service === "compute" ? after.compute[kind]?.[objectKey] : after.kube[objectKey]) === undefined;
        const quarantined = service === "kube" && quarantinedPods.some((p) => objectKey === `pods/${p}`);
        return !ONE_WAY_RULES.some((r) => r.allows(path, gone, quarantined) && oneWayActions.some((a) => r.action.test(a)));
    });
}
