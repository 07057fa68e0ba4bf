import type { Colors } from "./color";
import { declaredCutOff, lastChange, nodesOf, oneWayOf, openFindings, podsOf, type IncidentRecord } from "./record";

/**
 * `quarantine status`: one line per incident stack for a responder, or `--json` for a script
 * (the shape below is the contract; test/cli/status.test.ts pins it).
 */

export interface IncidentStatus {
    readonly stack: string;
    readonly incident: string;
    /** `null` for a stack that holds no quarantine (never updated, or closed). */
    readonly level: string | null;
    readonly pods: string[];
    readonly nodes: string[];
    /** As the last update declared it (see `declaredCutOff`); `verify` checks the live state. */
    readonly podsCutOff: boolean;
    readonly nodesCutOff: boolean;
    readonly closed: boolean;
    readonly updateInProgress: boolean;
    readonly lastUpdate: { readonly kind: string; readonly result: string; readonly by: string; readonly at: string; readonly version: number } | null;
    readonly oneWayActions: string[];
    readonly openFindings: string[];
}

export function statusOf(r: IncidentRecord): IncidentStatus {
    const last = lastChange(r.history);
    const cut = declaredCutOff(r);
    const closed = last?.kind === "destroy" && last.result === "succeeded";
    return {
        stack: r.stack,
        incident: r.incidentId,
        level: closed ? null : (r.outputs.level ?? null),
        pods: podsOf(r.outputs),
        nodes: nodesOf(r.outputs),
        podsCutOff: cut.pods,
        nodesCutOff: cut.nodes,
        closed,
        updateInProgress: r.updateInProgress ?? false,
        lastUpdate: last ? { kind: last.kind, result: last.result, by: last.by, at: last.endTime ?? last.startTime, version: last.version } : null,
        oneWayActions: oneWayOf(r.outputs),
        openFindings: openFindings(r.outputs),
    };
}

const yesNo = (b: boolean, c: Colors) => (b ? c.green("yes") : c.red("no"));

export function renderStatus(all: readonly IncidentStatus[], c: Colors): string {
    if (all.length === 0) return "No incident-* stacks in this backend. Start one: quarantine open <id> --pod ns/name";
    const out: string[] = [];
    for (const s of all) {
        const state = s.closed ? c.dim("closed") : s.level ? c.bold(s.level) : c.dim("no quarantine yet");
        out.push(`${c.bold(s.stack)}  ${state}${s.updateInProgress ? c.yellow("  (update in progress)") : ""}`);
        if (s.pods.length) out.push(`  pods:  ${s.pods.join(", ")}`);
        if (s.nodes.length) out.push(`  nodes: ${s.nodes.join(", ")}`);
        if (!s.closed && s.level) out.push(`  cut off: pods ${yesNo(s.podsCutOff, c)}, nodes ${yesNo(s.nodesCutOff, c)} (as last declared; quarantine verify ${s.incident} checks live)`);
        if (s.lastUpdate) {
            const u = s.lastUpdate;
            const result = u.result === "succeeded" ? u.result : c.red(u.result);
            out.push(`  last ${u.kind} #${u.version}: ${result} by ${u.by} at ${u.at}`);
        }
        for (const f of s.openFindings) out.push(c.red(`  ${f}`));
        if (s.oneWayActions.length) {
            out.push("  one-way (destroy does not undo):");
            for (const a of s.oneWayActions) out.push(`    - ${a}`);
        }
        out.push("");
    }
    return out.join("\n").trimEnd();
}
