import { reaches, type Level } from "../../core/levels";
import type { Colors } from "./color";
import { lastChange, openFindings, podsOf, type IncidentRecord } from "./record";

/**
 * `quarantine verify`: after a `refresh` (which reads every resource back from the cluster and
 * the cloud), does the quarantine still hold? A stolen credential can remove the pod's label,
 * uncordon the node or edit a firewall rule; each check below names what changed. Live reads the
 * state can't hold (the VM's tags and IP, which a command set; other NetworkPolicies) are passed
 * in by the Automation API layer; a read that failed is "unchecked", which does not pass.
 */

export interface DeployedResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs?: Record<string, any>;
    readonly outputs?: Record<string, any>;
    readonly retainOnDelete?: boolean;
}

export interface Check {
    readonly what: string;
    /** `null`: could not be checked (a live read failed); the quarantine is then not shown to hold. */
    readonly holds: boolean | null;
    readonly detail: string;
}

export interface VerifyReport {
    readonly stack: string;
    readonly incident: string;
    readonly holds: boolean;
    readonly checks: Check[];
}

/** What the CLI read live, per node (gcloud's instance JSON) and per namespace (NetworkPolicies). */
export interface LiveReads {
    readonly vms: Record<string, { instance?: any; error?: string }>;
    readonly policies: Record<string, { items?: any[]; error?: string }>;
}

const ofType = (rs: readonly DeployedResource[], t: string) => rs.filter((r) => r.type === t);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether a label selector selects these labels (Kubernetes' semantics; empty selects all). */
export function selects(selector: any, labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries((selector?.matchLabels ?? {}) as Record<string, string>)) if (labels[k] !== v) return false;
    for (const e of (selector?.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
        const has = e.key in labels;
        const ok =
            e.operator === "In" ? has && (e.values ?? []).includes(labels[e.key])
            : e.operator === "NotIn" ? !has || !(e.values ?? []).includes(labels[e.key])
            : e.operator === "Exists" ? has
            : e.operator === "DoesNotExist" ? !has
            : false;
        if (!ok) return false;
    }
    return true;
}

function podChecks(id: string, pods: readonly string[], rs: readonly DeployedResource[], live: LiveReads, accepted: readonly string[]): Check[] {
    const out: Check[] = [];
    const patches = ofType(rs, "kubernetes:core/v1:PodPatch");
    const policies = ofType(rs, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    for (const pod of pods) {
        const [ns, name] = pod.split("/");
        const patch = patches.find((p) => p.inputs?.metadata?.namespace === ns && p.inputs?.metadata?.name === name);
        const labels: Record<string, string> = patch?.outputs?.metadata?.labels ?? {};
        const labelled = labels.quarantine === "true" && labels["quarantine/incident"] === id;
        out.push({
            what: `pod ${pod} labelled quarantine=true, quarantine/incident=${id}`,
            holds: patch ? labelled : false,
            detail: patch ? `labels now ${JSON.stringify(labels)}` : "no label patch in the state after refresh: the pod is gone or was never labelled",
        });
        const ours = policies.find((p) => p.inputs?.metadata?.namespace === ns);
        const spec = ours?.outputs?.spec;
        const denyAll = !!spec && selects(spec.podSelector, labels) && ["Ingress", "Egress"].every((t) => (spec.policyTypes ?? []).includes(t)) && !spec.ingress?.length && !spec.egress?.length;
        out.push({
            what: `pod ${pod} selected by the deny-all`,
            holds: denyAll,
            detail: ours ? `policy ${ns}/${ours.inputs?.metadata?.name}: ${JSON.stringify(spec ?? "deleted")}` : "no deny-all NetworkPolicy in the state",
        });
        const read = live.policies[ns];
        const oursName = ours?.outputs?.metadata?.name ?? ours?.inputs?.metadata?.name;
        // A policy the last update's check already reported as `dns:` was accepted knowingly
        // (README "Why the deny-all holds"); any other allowing policy is new since.
        const known = (p: any) => accepted.some((f) => f.includes(`NetworkPolicy ${p.metadata?.name} `) || f.includes(`NetworkPolicy ${ns}/${p.metadata?.name} `));
        const others = (read?.items ?? []).filter((p) => p.metadata?.name !== oursName && selects(p.spec?.podSelector, labels) && (p.spec?.ingress?.length || p.spec?.egress?.length) && !known(p));
        out.push({
            what: `no new NetworkPolicy allows traffic to or from pod ${pod}`,
            holds: read?.items ? others.length === 0 : null,
            detail: read?.items ? (others.length ? `allowing: ${others.map((p) => p.metadata.name).join(", ")}` : `${read.items.length} policies in ${ns} read`) : `unchecked: ${read?.error ?? "not read"}`,
        });
    }
    return out;
}

/** Nodes and firewall rules as declared before the refresh, each looked up in the refreshed state (a refresh drops what was deleted). */
function nodeChecks(tag: string, declared: readonly DeployedResource[], refreshed: readonly DeployedResource[], live: LiveReads): Check[] {
    const out: Check[] = [];
    const now = (r: DeployedResource) => refreshed.find((x) => x.urn === r.urn);
    for (const p of ofType(declared, "kubernetes:core/v1:NodePatch")) {
        const node = p.inputs?.metadata?.name;
        const spec = now(p)?.outputs?.spec;
        out.push({ what: `node ${node} cordoned`, holds: spec?.unschedulable === true, detail: now(p) ? `spec.unschedulable ${JSON.stringify(spec?.unschedulable ?? null)}` : "the node is gone from the state after refresh" });
        const vm = live.vms[node];
        const tags: string[] = vm?.instance?.tags?.items ?? [];
        const ips = ((vm?.instance?.networkInterfaces?.[0]?.accessConfigs ?? []) as { natIP?: string }[]).map((a) => a.natIP).filter(Boolean);
        out.push({ what: `VM ${node} tagged ${tag}`, holds: vm?.instance ? tags.includes(tag) : null, detail: vm?.instance ? `tags ${tags.join(",") || "none"}` : `unchecked: ${vm?.error ?? "not read"}` });
        out.push({ what: `VM ${node} has no external IP on nic0`, holds: vm?.instance ? ips.length === 0 : null, detail: vm?.instance ? (ips.length ? `external IP ${ips.join(",")}` : "none") : `unchecked: ${vm?.error ?? "not read"}` });
    }
    for (const f of ofType(declared, "gcp:compute/firewall:Firewall")) {
        const live = now(f)?.outputs;
        const fields = ["direction", "priority", "denies", "allows", "targetTags", "sourceRanges", "sourceTags", "destinationRanges"];
        const changed = fields.filter((k) => f.inputs?.[k] !== undefined && !same(f.inputs[k], live?.[k]));
        const disabled = live?.disabled === true;
        out.push({
            what: `firewall rule ${f.inputs?.name ?? f.urn.split("::").pop()} unchanged`,
            holds: !!live && changed.length === 0 && !disabled,
            detail: !live ? "deleted" : disabled ? "disabled" : changed.length ? `changed: ${changed.map((k) => `${k} ${JSON.stringify(live[k])}`).join("; ")}` : "as declared",
        });
    }
    return out;
}

/**
 * `declared`: the stack's resources before the refresh (what the quarantine put in place);
 * `refreshed`: after it (what is still there, as the providers read it).
 */
export function verifyReport(r: IncidentRecord, declared: readonly DeployedResource[], refreshed: readonly DeployedResource[], live: LiveReads): VerifyReport {
    const o = r.outputs;
    const checks: Check[] = [];
    const last = lastChange(r.history);
    checks.push({ what: "last update succeeded", holds: last?.kind === "update" && last.result === "succeeded", detail: last ? `${last.kind} #${last.version} ${last.result}` : "never updated" });
    const level = o.level as Level | undefined;
    const isolating = level !== undefined && reaches(level, "isolate");
    checks.push({ what: "level declares the quarantine (isolate or above)", holds: isolating, detail: `level ${level ?? "none"}` });
    if (isolating) {
        checks.push(...podChecks(r.incidentId, podsOf(o), refreshed, live, (o.isolationFindings ?? []).filter((f) => f.startsWith("dns:"))));
        checks.push(...nodeChecks(o.isolationTag ?? `quarantine-${r.incidentId}`, declared, refreshed, live));
    }
    for (const f of openFindings(o)) checks.push({ what: "no policy defeats the deny-all (last update's check)", holds: false, detail: f });
    return { stack: r.stack, incident: r.incidentId, holds: checks.every((c) => c.holds === true), checks };
}

export function renderVerify(v: VerifyReport, c: Colors): string {
    const mark = (h: boolean | null) => (h === true ? c.green("ok  ") : h === false ? c.red("FAIL") : c.yellow("??  "));
    const out = v.checks.map((k) => `${mark(k.holds)} ${k.what}${k.holds === true ? "" : `: ${k.detail}`}`);
    out.push("", v.holds ? c.green(c.bold(`The quarantine of incident ${v.incident} holds.`)) : c.red(c.bold(`The quarantine of incident ${v.incident} does NOT hold: see FAIL and ?? above.`)));
    return out.join("\n");
}
