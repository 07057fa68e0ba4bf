import { depths, indexOf, waitsFor } from "../../core/graph";
import { scriptHeader } from "../../core/stepHeader";
import type { ResolvedOutputs } from "../../stacks/incident/outputs";
import type { Recorded, RunResult } from "../mockEngine/engine";

/**
 * Turns a recorded run into the containment plan a responder reads before `pulumi up`: every
 * step in dependency order, grouped in waves (a wave's steps run in parallel, each wave after
 * the steps it names), with the command it runs or the resource it declares, and what destroy
 * does about it.
 */

export interface PlanStep {
    readonly index: number;
    readonly wave: number;
    readonly urn: string;
    readonly title: string;
    /** The command line(s) it runs, or the resource's key inputs. */
    readonly detail: string[];
    readonly destroy: string;
    /** Indexes of the steps it waits for directly. */
    readonly after: number[];
}

const last = (s: string) => s.split("/").filter(Boolean).pop() ?? s;

function describe(r: Recorded): { title: string; detail: string[]; destroy: string } {
    const i = r.inputs;
    switch (r.type) {
        case "command:local:Command":
            return describeCommand(r);
        case "gcp:compute/snapshot:Snapshot":
            return {
                title: `Snapshot disk ${last(i.sourceDisk)}`,
                detail: [`gcp.compute.Snapshot ${i.name}`],
                destroy: r.retainOnDelete ? "kept: evidence (retainOnDelete, deletionPolicy ABANDON)" : "DELETED",
            };
        case "kubernetes:core/v1:PodPatch":
            return {
                title: `Label pod ${i.metadata.namespace}/${i.metadata.name} ${labels(i.metadata.labels)}`,
                detail: [`PodPatch, server-side apply as ${i.metadata.annotations["pulumi.com/patchFieldManager"]}, skipAwait`],
                destroy: "reversed: the incident's labels are removed",
            };
        case "kubernetes:networking.k8s.io/v1:NetworkPolicy":
            return {
                title: `Deny all traffic of pods ${labels(i.spec.podSelector.matchLabels)} in ${i.metadata.namespace}`,
                detail: [`NetworkPolicy ${i.metadata.namespace}/${i.metadata.name}, policyTypes ${i.spec.policyTypes.join("+")}, no rules`],
                destroy: "reversed: the policy is deleted",
            };
        case "kubernetes:core/v1:NodePatch":
            return {
                title: `Cordon node ${i.metadata.name} and label it ${labels(i.metadata.labels)}`,
                detail: ["NodePatch spec.unschedulable=true, server-side apply as the provider's own field manager for it (pulumi-kubernetes-<random>)"],
                destroy: "reversed: uncordoned, unless another incident still holds the node",
            };
        case "gcp:compute/firewall:Firewall":
            return {
                title: `Firewall rule ${i.name}`,
                detail: [firewall(i)],
                destroy: "reversed: the rule is deleted",
            };
        case "gcp:compute/instance:Instance":
            return {
                title: `Bastion VM ${i.name} in ${last(i.networkInterfaces[0].subnetwork)}`,
                detail: [`${i.machineType}, no external IP, Shielded VM, OS Login, tag ${i.tags.join(",")}, no service account`],
                destroy: "reversed: the bastion is deleted",
            };
        case "gcp:storage/bucket:Bucket":
            return {
                title: `Evidence bucket ${i.name}`,
                detail: [`${i.location}, uniform access, public access prevention ${i.publicAccessPrevention}, retention ${Number(i.retentionPolicy?.retentionPeriod) / 86400} days${i.retentionPolicy?.isLocked ? " (locked)" : " (not locked)"}`],
                destroy: kept(r),
            };
        case "gcp:storage/bucketObject:BucketObject":
            return {
                title: "Write the chain-of-custody manifest to the evidence bucket",
                detail: ["every artifact and snapshot: what, where, sha256 or snapshot id, when (UTC), as whom"],
                destroy: kept(r),
            };
        case "random:index/randomId:RandomId":
            return {
                title: "Pick this quarantine run's random name part (local, instant)",
                detail: [`${i.byteLength} random bytes, in the names of the snapshots and a created evidence bucket`],
                destroy: "reversed: deleted, so quarantining this incident again picks new names beside the kept evidence",
            };
        default:
            return { title: `${r.type} ${r.name}`, detail: [], destroy: r.retainOnDelete ? "kept (retainOnDelete)" : "reversed: deleted" };
    }
}

function kept(r: Recorded): string {
    return r.retainOnDelete ? "kept: evidence (retainOnDelete, deletionPolicy ABANDON)" : "DELETED";
}

function labels(l: Record<string, string>): string {
    return Object.entries(l)
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
}

function firewall(i: Record<string, any>): string {
    const action = i.denies ? "deny" : "allow";
    const rules = (i.denies ?? i.allows) as { protocol: string; ports?: string[] }[];
    const what = rules.map((x) => (x.ports ? `${x.protocol}:${x.ports.join(",")}` : x.protocol)).join(" ");
    const peer =
        i.direction === "EGRESS"
            ? `to ${i.destinationRanges.join(",")}`
            : `from ${i.sourceTags ? `tag ${i.sourceTags.join(",")}` : i.sourceRanges.join(",")}`;
    return `${i.direction} ${action} ${what} ${peer}, priority ${i.priority}, targets tag ${i.targetTags.join(",")}`;
}

function describeCommand(r: Recorded): { title: string; detail: string[]; destroy: string } {
    const create: string = r.inputs.create;
    const header = scriptHeader(create);
    const step = header.step ?? r.name;
    const destroy = header.destroy ?? "unknown";
    const environment = r.inputs.environment as Record<string, string>;
    // Go templates are data passed in the environment: shown where the call uses them.
    const templates = Object.keys(environment).filter((k) => k.endsWith("_TEMPLATE"));
    const inline = (l: string) =>
        templates.reduce((line, k) => line.split(`"$${k}"`).join(`'${environment[k].replace(/\n/g, "\\n")}'`), l);
    const calls = bodyLines(create)
        .map((l) => l.trim())
        .filter((l) => /^(k |kubectl |gcloud |gone_ok )/.test(l) || /\$\((k|kubectl|gcloud) /.test(l))
        .map((l) => `$ ${inline(l).replace(/^k /, "kubectl ")}`);
    const env = Object.entries(environment)
        .filter(([k]) => k !== "QUARANTINE_STEP" && !templates.includes(k))
        .map(([k, v]) => `${k}=${v.length > 80 ? `${v.slice(0, 60)}…` : v}`)
        .join(" ");
    return { title: step, detail: [...calls, `  with ${env}`], destroy };
}

/** The script's own lines: the shared functions it was joined to (`name() {` … `}`) left out. */
function bodyLines(script: string): string[] {
    const out: string[] = [];
    let inFunction = false;
    for (const l of script.split("\n")) {
        if (/^[A-Za-z_][A-Za-z0-9_]*\(\) \{$/.test(l)) inFunction = true;
        else if (inFunction && l === "}") inFunction = false;
        else if (!inFunction) out.push(l);
    }
    return out;
}

/** Within a wave: evidence first, then the pod's isolation, then the rest, as the runbook reads. */
function rank(r: Recorded): number {
    if (r.type === "gcp:compute/snapshot:Snapshot") return 0;
    if (r.type === "kubernetes:core/v1:PodPatch" || r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy") return 1;
    return 2;
}

/** Steps in dependency order; wave n+1 holds the steps whose last prerequisite is in wave n. */
export function planSteps(result: RunResult): PlanStep[] {
    const steps = result.resources.filter((r) => r.custom && !r.read);
    const wave = depths(steps);
    const ordered = steps
        .map((r, i) => ({ r, i, w: wave.get(r.urn)! }))
        .sort((a, b) => a.w - b.w || rank(a.r) - rank(b.r) || a.i - b.i)
        .map((x) => x.r);
    const index = new Map(ordered.map((r, i) => [r.urn, i + 1]));
    return ordered.map((r) => ({
        index: index.get(r.urn)!,
        wave: wave.get(r.urn)!,
        urn: r.urn,
        ...describe(r),
        after: r.dependencies.map((u) => index.get(u)).filter((n): n is number => n !== undefined).sort((a, b) => a - b),
    }));
}

export function renderPlan(result: RunResult): string {
    const o = result.outputs as ResolvedOutputs;
    const out: string[] = [];
    out.push(`Containment plan for incident ${o.incidentId}: level ${o.level}${o.nodeIsolation ? `, node isolation ${o.nodeIsolation}` : ""}`);
    out.push("", "Found (reads; `pulumi preview` shows them as =read):");
    for (const n of o.nodes) {
        out.push(`  node ${n.node} (${n.zone}) runs ${n.pods.join(", ")}`);
        out.push(`    group ${n.instanceGroup ?? "none"}, external IP ${n.externalIp ?? "none"}, disks ${n.disks.join(", ")}`);
    }
    if (o.networkPolicyEnforcement) out.push(`  NetworkPolicy enforcement: ${o.networkPolicyEnforcement}`);
    for (const f of o.nodeFindings ?? []) out.push(`  ${f}`);
    let current = 0;
    const steps = planSteps(result);
    for (const s of steps) {
        if (s.wave !== current) {
            current = s.wave;
            out.push("", current === 1 ? "Wave 1 — starts at once, in parallel:" : `Wave ${current} — each step after the steps it names:`);
        }
        out.push(`  [${s.index}] ${s.title}${s.after.length ? `   (after ${s.after.map((a) => `[${a}]`).join(" ")})` : ""}`);
        for (const d of s.detail) out.push(`        ${d}`);
        out.push(`        destroy: ${s.destroy}`);
    }
    out.push(...cutOffPrerequisites(result, steps));
    out.push("", "One-way actions (pulumi destroy does not undo them):");
    for (const a of o.oneWayActions ?? []) out.push(`  - ${a}`);
    if ((o.oneWayActions ?? []).length === 0) out.push("  none");
    if ((o.stillGone ?? []).length > 0) {
        out.push("", "Still gone from earlier updates (lowering the level does not bring them back):");
        for (const a of o.stillGone) out.push(`  - ${a}`);
    }
    for (const n of o.evidenceNotes ?? []) out.push("", `note: ${n}`);
    if (o.bastionSshCommand) out.push("", `Inspect through the bastion: ${o.bastionSshCommand}`);
    for (const w of result.warnings) out.push("", `warning: ${w}`);
    return out.join("\n");
}

/** Which steps each node's cut-off (its tag, its external IP removal) waits for, by plan index. */
function cutOffPrerequisites(result: RunResult, steps: readonly PlanStep[]): string[] {
    const index = new Map(steps.map((s) => [s.urn, s.index]));
    const all = indexOf(result.resources);
    const cutOff = result.resources.filter((r) => ["tag", "remove-external-ip"].includes(scriptHeader(r.inputs.create).script ?? ""));
    if (cutOff.length === 0) return [];
    const out = ["", "The node's cut-off waits only for these steps (a failure anywhere else can't hold it up):"];
    for (const r of cutOff) {
        const waited = [...waitsFor(r, all)].map((u) => index.get(u)).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
        out.push(`  [${index.get(r.urn)}] ${scriptHeader(r.inputs.create).step} after ${waited.map((n) => `[${n}]`).join(" ")}`);
    }
    return out;
}
