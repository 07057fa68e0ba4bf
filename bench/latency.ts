import { createScript, isDrain, isRemoveExternalIp, isTag, scriptOf, type Step } from "./graph";

/**
 * The latency table: one figure per cloud operation, each with where it comes from. Cloud figures
 * are estimates or documented behaviour (there is no cloud to measure); the start-up of the local
 * tools is measured by the bench when gcloud and kubectl are installed (bench/tools.ts).
 * `bench/README.md` lists the figures and their sources. Seconds throughout.
 *
 * A step costs `local` seconds of a local CPU core (the command provider runs every
 * `command:local:Command` as bash + gcloud/kubectl on the responder's machine) and then `remote`
 * seconds of waiting (tool start-up I/O, API calls, operations). Provider resources (gcp,
 * kubernetes) cost no local CPU worth modelling: the providers are long-running Go processes.
 */

/** Start-up of one invocation of a local tool, until its first API request. */
export interface ToolStart {
    readonly wall: number;
    readonly cpu: number;
    readonly source: string;
}

export interface Tools {
    readonly gcloud: ToolStart;
    readonly kubectl: ToolStart;
}

/** Used when the tools are not installed where the bench runs. */
export const ESTIMATED_TOOLS: Tools = {
    gcloud: { wall: 1.5, cpu: 1.0, source: "estimate: gcloud is a Python CLI, ~1-2 s to start" },
    kubectl: { wall: 0.1, cpu: 0.05, source: "estimate: Go binary" },
};

export interface Cost {
    /** Row of the latency table this step is costed as. */
    readonly op: string;
    readonly local: number;
    readonly remote: number;
    /** For snapshots: seconds after the remote phase begins at which the snapshot has started. */
    readonly startedAfter?: number;
}

/**
 * When pulumi-gcp (bridged terraform-provider-google) sees a long-running operation finish:
 * `tpgresource.OperationWait` runs the plugin SDK's `StateChangeConf` with `MinTimeout: 2s` and the
 * provider's `poll_interval` (unset by default): the first poll is immediate, then the wait doubles
 * from the 2 s floor, capped at 10 s, so polls land at 0, 2, 6, 14, 24, 34, … s.
 */
export function providerPolls(upTo: number): number[] {
    const polls = [0];
    let wait = 0;
    while (polls[polls.length - 1] < upTo) {
        wait = Math.min(Math.max(wait * 2, 2), 10);
        polls.push(polls[polls.length - 1] + wait);
    }
    return polls;
}

/** The first provider poll at or after an operation that really takes `seconds`. */
export function polled(seconds: number): number {
    return providerPolls(seconds).find((p) => p >= seconds)!;
}

/** The figures. `source` is what bench/README.md cites. */
export const LATENCY = {
    apiCall: { s: 0.3, source: "estimate: one Compute or Kubernetes API round trip, credentials cached" },
    firewallInsert: { s: 7, source: "estimate: global firewalls.insert operation until DONE" },
    setTags: { s: 3, source: "estimate: zonal instances.setTags operation until DONE" },
    abandon: { s: 3, source: "estimate: instanceGroupManagers.abandonInstances operation until DONE" },
    instanceUpdate: { s: 2, source: "estimate: instances.update (deletion protection) / deleteAccessConfig operation until DONE" },
    snapshotStart: { s: 1, source: "estimate: snapshots.insert accepted; the point in time is fixed from here" },
    snapshotDone: { s: 60, source: "estimate: first (full) snapshot of a node's disk until READY; pulumi-gcp waits for it (terraform-provider-google#1307)" },
    k8sApply: { s: 0.3, source: "estimate: one server-side apply; pulumi-kubernetes does not await NetworkPolicy, Node patches or skipAwait Pod patches" },
    vmCreate: { s: 20, source: "estimate: instances.insert (e2-small) until DONE" },
    vmDelete: { s: 40, source: "estimate: instances.delete until DONE" },
    drain: { s: 30, source: "Kubernetes default terminationGracePeriodSeconds (30 s): a drained pod that ignores SIGTERM holds the drain that long" },
    stepOverhead: { s: 0.05, source: "estimate: engine step scheduling, provider Check/Diff RPCs" },
} as const;

const L = (k: keyof typeof LATENCY) => LATENCY[k].s;

/** Invocations of gcloud and kubectl in a script, comments and echo lines aside. */
export function invocations(script: string): { gcloud: number; kubectl: number } {
    const lines = script
        .split("\n")
        .map((l) => l.trim())
        // Function definitions (the `k() { kubectl … }` prelude) run nothing by themselves.
        .filter((l) => l && !l.startsWith("#") && !l.startsWith("echo") && !/^[\w-]+\(\)\s*\{/.test(l));
    const count = (re: RegExp) => lines.reduce((n, l) => n + (l.match(re)?.length ?? 0), 0);
    return { gcloud: count(/\bgcloud\s/g), kubectl: count(/(?:^|[\s;&|(!])(?:kubectl|k)\s/g) };
}

function command(s: Step, script: string, tools: Tools): Cost {
    const { gcloud, kubectl } = invocations(script);
    const local = gcloud * tools.gcloud.cpu + kubectl * tools.kubectl.cpu;
    const calls = gcloud * (tools.gcloud.wall - tools.gcloud.cpu + L("apiCall")) + kubectl * (tools.kubectl.wall - tools.kubectl.cpu + L("apiCall"));
    // Which operation a step is comes from the script file it declares (`# script:`), not its text.
    if (isTag(s)) return { op: "setTags (gcloud add-tags)", local, remote: calls + L("setTags") };
    if (isRemoveExternalIp(s)) return { op: "remove external IP (describe + delete-access-config)", local, remote: calls + L("instanceUpdate") };
    if (isDrain(s)) return { op: "drain (kubectl drain)", local, remote: calls + L("drain") };
    const file = scriptOf(s);
    if (file === "abandon") return { op: "abandon (list + abandon-instances)", local, remote: calls + L("abandon") };
    if (file === "protect") return { op: "deletion protection (instances update)", local, remote: calls + L("instanceUpdate") };
    if (file === "delete-vm") return { op: "VM delete (gcloud)", local, remote: calls + L("vmDelete") };
    return { op: `other command (${gcloud} gcloud, ${kubectl} kubectl)`, local, remote: calls };
}

/** What one step of the recorded graph costs. */
export function costOf(s: Step, tools: Tools): Cost {
    const script = createScript(s);
    if (script !== undefined) return command(s, script, tools);
    switch (s.type) {
        case "gcp:compute/snapshot:Snapshot":
            return { op: "snapshot (provider waits until READY)", local: 0, remote: L("apiCall") + polled(L("snapshotDone")), startedAfter: L("snapshotStart") };
        case "gcp:compute/firewall:Firewall":
            return { op: "firewall insert (provider polling)", local: 0, remote: L("apiCall") + polled(L("firewallInsert")) };
        case "gcp:compute/instance:Instance":
            return { op: "VM create (provider polling)", local: 0, remote: L("apiCall") + polled(L("vmCreate")) };
        case "kubernetes:core/v1:PodPatch":
        case "kubernetes:core/v1:NodePatch":
            return { op: "PATCH (server-side apply)", local: 0, remote: L("k8sApply") };
        case "kubernetes:networking.k8s.io/v1:NetworkPolicy":
            return { op: "NetworkPolicy apply", local: 0, remote: L("k8sApply") };
        case "random:index/randomId:RandomId":
            // Generated inside the random provider's process: no API call.
            return { op: "random name part (local)", local: 0, remote: 0 };
        default:
            // Anything new (e.g. a bucket): one API call and, for GCP, one polled operation.
            return s.type.startsWith("gcp:")
                ? { op: `${s.type} (provider polling)`, local: 0, remote: L("apiCall") + polled(2) }
                : { op: s.type, local: 0, remote: L("apiCall") };
    }
}

/** One step of GKE's runbook as a responder types it, one command after another. */
export interface RunbookStep {
    readonly title: string;
    readonly local: number;
    readonly remote: number;
    readonly marks?: ("snapshot-started" | "node-isolated")[];
}

/**
 * The seed runbook's order (../shared/seeds/000): snapshot, cordon, label, drain, abandon, tag,
 * egress deny, ingress deny — the node is cut off after the 8th step — then the external IP.
 * Step by step over every node (and every pod for the label); the two firewall rules once per
 * network. gcloud waits for each operation (no provider polling); `gcloud compute disks snapshot`
 * returns when the snapshots are READY. The time a responder spends reading and typing is not
 * counted: the runbook's figures are a lower bound.
 */
export function runbook(pods: number, nodes: number, tools: Tools): RunbookStep[] {
    const g = tools.gcloud;
    const gcloud = (n: number, remote: number) => ({ local: n * g.cpu, remote: n * (g.wall - g.cpu + L("apiCall")) + remote });
    const kubectl = { local: tools.kubectl.cpu, remote: tools.kubectl.wall - tools.kubectl.cpu + L("apiCall") };
    const each = (n: number, f: (i: number) => RunbookStep) => Array.from({ length: n }, (_, i) => f(i));
    return [
        ...each(nodes, (i) => ({
            title: `Snapshot node ${i}'s disks (gcloud compute instances describe; gcloud compute disks snapshot)`,
            ...gcloud(2, L("snapshotDone")),
            marks: ["snapshot-started" as const],
        })),
        ...each(nodes, (i) => ({ title: `kubectl cordon node ${i}`, ...kubectl })),
        ...each(pods, (i) => ({ title: `kubectl label pod ${i} quarantine=true`, ...kubectl })),
        ...each(nodes, (i) => ({ title: `kubectl drain node ${i} --pod-selector='!quarantine'`, local: kubectl.local, remote: kubectl.remote + L("drain") })),
        ...each(nodes, (i) => ({ title: `gcloud compute instance-groups managed abandon-instances (node ${i})`, ...gcloud(1, L("abandon")) })),
        ...each(nodes, (i) => ({ title: `gcloud compute instances add-tags (node ${i}) --tags quarantine`, ...gcloud(1, L("setTags")) })),
        { title: "gcloud compute firewall-rules create quarantine-egress-deny", ...gcloud(1, L("firewallInsert")) },
        { title: "gcloud compute firewall-rules create quarantine-ingress-deny", ...gcloud(1, L("firewallInsert")), marks: ["node-isolated"] },
        ...each(nodes, (i) => ({
            title: `Remove node ${i}'s external IP (describe; delete-access-config)`,
            ...gcloud(2, L("instanceUpdate")),
        })),
    ];
}

/** Steps and seconds of the runbook, one after another, until each mark. */
export function runbookTimes(steps: readonly RunbookStep[]): { snapshotsStarted: { steps: number; s: number }; nodeIsolated: { steps: number; s: number } } {
    let t = 0;
    const out = { snapshotsStarted: { steps: 0, s: 0 }, nodeIsolated: { steps: 0, s: 0 } };
    steps.forEach((step, i) => {
        // A snapshot has started once its request is in: everything but the wait for READY.
        if (step.marks?.includes("snapshot-started")) out.snapshotsStarted = { steps: i, s: t + step.local + step.remote - L("snapshotDone") };
        t += step.local + step.remote;
        if (step.marks?.includes("node-isolated")) out.nodeIsolated = { steps: i + 1, s: t };
    });
    return out;
}
