import type { CustodyVerification } from "./custody";
import { diagramModel, mermaid, type Diagram } from "./diagram";
import { lastChange, nodesOf, oneWayOf, podsOf, type HistoryEntry, type IncidentRecord } from "./record";
import { describeSteps, type Described } from "./summary";
import type { DeployedResource } from "./verify";

/**
 * The incident report handed to the incident commander: the timeline from the stack's history,
 * every action the quarantine took and whether destroy reversed it, the chain of custody, what was
 * not captured and why, and a diagram. Built once as a model (also `--json`), then written as
 * Markdown here or as HTML (`reportHtml.ts`).
 */

export interface ReportInput {
    readonly record: IncidentRecord;
    /** The stack's resources as last recorded (before `close`, which empties the state). */
    readonly resources: readonly DeployedResource[];
    readonly generatedAt: string;
    /** The manifest checked against the bucket's objects (`custodyRead.ts`); absent: not checked. */
    readonly custody?: CustodyVerification;
}

export interface ReportAction {
    readonly title: string;
    readonly group: Described["group"];
    readonly destroy: string;
    /** `reversed` / `kept` / `one-way`, and whether it already happened (the stack is closed). */
    readonly outcome: string;
}

export interface ReportModel {
    readonly incident: string;
    readonly stack: string;
    readonly generatedAt: string;
    readonly state: string;
    readonly level: string;
    readonly pods: string[];
    readonly nodes: string[];
    readonly timeline: readonly HistoryEntry[];
    readonly actions: ReportAction[];
    readonly oneWay: string[];
    readonly artifacts: { what: string; object: string; sha256: string; takenAt: string; takenBy: string }[];
    readonly snapshots: { what: string; object: string; snapshotId: string; takenAt: string; takenBy: string }[];
    readonly manifestObject?: string;
    readonly custody?: CustodyVerification;
    readonly notCaptured: { what: string; why: string; when: string }[];
    readonly findings: string[];
    readonly diagram: Diagram;
}

function outcome(destroy: string, closed: boolean): string {
    if (/^nothing to undo/.test(destroy)) return "nothing to undo";
    // "reversed where GCE allows: … an ephemeral one is gone for good": say so, not "reversed".
    if (/^reversed where|gone for good|can't be/.test(destroy)) return closed ? "partly reversed (see destroy)" : "destroy partly reverses it (see destroy)";
    if (/^reversed/.test(destroy)) return closed ? "reversed by destroy" : "destroy reverses it";
    if (/^kept/.test(destroy)) return "kept (evidence)";
    return closed ? "not reversed (one-way)" : "destroy will not reverse it (one-way)";
}

export function reportModel(i: ReportInput): ReportModel {
    const { record: r } = i;
    const o = r.outputs;
    const last = lastChange(r.history);
    const closed = last?.kind === "destroy" && last.result === "succeeded";
    const steps = i.resources
        .filter((x) => x.type !== "pulumi:pulumi:Stack" && !x.type.startsWith("pulumi:providers:"))
        .map((x) => ({ op: "same", urn: x.urn, type: x.type, inputs: x.inputs ?? {}, retainOnDelete: x.retainOnDelete }));
    const manifest = o.custodyManifest;
    return {
        incident: r.incidentId,
        stack: r.stack,
        generatedAt: i.generatedAt,
        state: closed ? `closed (destroy #${last.version} by ${last.by} at ${last.endTime ?? last.startTime})` : last ? `open (${last.kind} #${last.version} ${last.result})` : "never updated",
        level: o.level ?? "unknown",
        pods: podsOf(o),
        nodes: nodesOf(o),
        timeline: r.history,
        actions: describeSteps(steps, true).map((d) => ({ title: d.title, group: d.group, destroy: d.destroy, outcome: outcome(d.destroy, closed) })),
        oneWay: oneWayOf(o),
        artifacts: manifest?.artifacts ?? [],
        snapshots: manifest?.snapshots ?? [],
        manifestObject: manifestUrl(o),
        custody: i.custody,
        notCaptured: [
            ...(manifest?.notCaptured ?? []).map((n) => ({ what: n.what, why: n.notCaptured, when: n.takenAt })),
            ...(o.evidenceNotes ?? []).map((n) => ({ what: "by configuration", why: n, when: "" })),
        ],
        findings: [...(o.isolationFindings ?? []), ...(o.hostLevelPods ?? []), ...(o.nodeFindings ?? [])],
        diagram: diagramModel(o, i.resources),
    };
}

/** The manifest object as a gs:// URL, when the stack recorded where it went. */
export const manifestUrl = (o: IncidentRecord["outputs"]) => (o.custodyManifestObject && o.evidenceBucket ? `gs://${o.evidenceBucket}/${o.custodyManifestObject}` : undefined);

/** An artifact's row of the bucket check: `verified`, or the status and why. */
export function custodyCell(m: ReportModel, object: string): string {
    const c = m.custody?.artifacts.find((a) => a.object === object);
    if (!c) return "not checked";
    return c.status === "verified" ? "verified" : `${c.status}: ${c.detail}`;
}

/** What the report says about the bucket check, as lines. */
export function custodyLines(m: ReportModel): string[] {
    if (!m.custody) return ["Not verified against the bucket's objects by this report: compare each sha256 with `gcloud storage cat OBJECT | sha256sum`."];
    const mf = m.custody.manifest;
    return [m.custody.summary, ...(mf ? [`Manifest object: ${mf.status}${mf.status === "verified" ? "" : ` (${mf.detail})`}.`] : [])];
}

/** A Markdown table cell: pipes and newlines would break the row. */
const cell = (s: unknown) => String(s ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");

function table(head: string[], rows: unknown[][]): string[] {
    return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
}

export const changesText = (c: Record<string, number>) =>
    Object.entries(c)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none";

export function renderMarkdown(m: ReportModel): string {
    const out = [
        `# Incident ${m.incident}: quarantine report`,
        "",
        `Stack \`${m.stack}\`, ${m.state}. Level \`${m.level}\`. Generated ${m.generatedAt}.`,
        "",
        `- Pods: ${m.pods.join(", ") || "none"}`,
        `- Nodes: ${m.nodes.join(", ") || "none"}`,
        "",
        "## Timeline",
        "",
        ...table(
            ["#", "started (UTC)", "ended", "who", "operation", "level", "result", "changes"],
            m.timeline.map((e) => [e.version, e.startTime, e.endTime ?? "", e.by, e.kind, e.level ?? "", e.result, changesText(e.changes)]),
        ),
        "",
        "## Actions, and what destroy did about them",
        "",
        ...table(["action", "kind", "destroy", "outcome"], m.actions.map((a) => [a.title, a.group, a.destroy, a.outcome])),
        "",
        "One-way actions (nothing brings these back):",
        "",
        ...(m.oneWay.length ? m.oneWay.map((a) => `- ${a}`) : ["- none"]),
        "",
        "## Chain of custody",
        "",
        m.manifestObject ? `Manifest object: \`${m.manifestObject}\` (named by its content hash; the bucket's retention policy forbids overwriting it).` : "No manifest object recorded.",
        "",
        ...table(["artifact", "object", "sha256", "taken at", "taken by", "in the bucket"], m.artifacts.map((a) => [a.what, `\`${a.object}\``, `\`${a.sha256}\``, a.takenAt, a.takenBy, custodyCell(m, a.object)])),
        "",
        ...table(["snapshot", "object", "snapshot id", "taken at", "taken by"], m.snapshots.map((s) => [s.what, `\`${s.object}\``, s.snapshotId, s.takenAt, s.takenBy])),
        "",
        ...custodyLines(m),
        "",
        "## Not captured, and why",
        "",
        ...(m.notCaptured.length ? m.notCaptured.map((n) => `- **${n.what}**${n.when ? ` (${n.when})` : ""}: ${n.why}`) : ["- everything planned was captured"]),
        "",
        "## Findings",
        "",
        ...(m.findings.length ? m.findings.map((f) => `- ${f}`) : ["- none"]),
        "",
        "## The quarantine",
        "",
        "```mermaid",
        mermaid(m.diagram),
        "```",
        "",
    ];
    return out.join("\n");
}
