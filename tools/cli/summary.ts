import { scriptHeader } from "../../core/stepHeader";
import type { Recorded } from "../mockEngine/engine";
import { planSteps } from "../plan/render";
import type { Colors } from "./color";

/**
 * "What will happen", from the steps a preview reported, in the offline plan's words
 * (`tools/plan/render.ts`): first what cuts the pod and the node off, then the evidence, then
 * what deletes something, then the rest, and last what `destroy` will not undo. A responder reads
 * the cut-off first because that is what stops the attacker.
 */

/** One step of a preview or a stack's state: the engine's metadata, as events and exports carry it. */
export interface PlannedStep {
    readonly op: string;
    readonly urn: string;
    readonly type: string;
    readonly inputs: Record<string, any>;
    readonly retainOnDelete?: boolean;
}

export type Group = "cut-off" | "evidence" | "deletes" | "other";

export interface Described {
    readonly group: Group;
    readonly op: string;
    readonly urn: string;
    readonly title: string;
    readonly destroy: string;
}

const GROUP_TITLES: Record<Group, string> = {
    "cut-off": "Cut off (pod, then node)",
    evidence: "Evidence (kept after destroy)",
    deletes: "Deletes",
    other: "Also",
};

function groupOf(s: PlannedStep): Group {
    const kind = s.type === "command:local:Command" ? scriptHeader(s.inputs.create).kind : undefined;
    if (kind === "isolation") return "cut-off";
    if (kind === "capture") return "evidence";
    if (kind === "destructive") return "deletes";
    switch (s.type) {
        case "kubernetes:core/v1:PodPatch":
        case "kubernetes:networking.k8s.io/v1:NetworkPolicy":
        case "kubernetes:core/v1:NodePatch":
            return "cut-off";
        case "gcp:compute/firewall:Firewall":
            return s.inputs.denies ? "cut-off" : "other";
        case "gcp:compute/snapshot:Snapshot":
        case "gcp:storage/bucket:Bucket":
        case "gcp:storage/bucketObject:BucketObject":
            return "evidence";
        default:
            return "other";
    }
}

function recorded(s: PlannedStep): Recorded {
    return {
        urn: s.urn,
        type: s.type,
        name: s.urn.split("::").pop() ?? s.urn,
        custom: true,
        read: false,
        parent: "",
        inputs: s.inputs,
        dependencies: [],
        retainOnDelete: s.retainOnDelete ?? false,
        deleteBeforeReplace: false,
        protect: false,
    };
}

/** What each step is, in the plan's words; reads and unchanged steps are left out. */
export function describeSteps(steps: readonly PlannedStep[], includeSame = false): Described[] {
    const shown = steps.filter((s) => s.type !== "pulumi:pulumi:Stack" && !s.type.startsWith("pulumi:providers:") && s.op !== "read" && (includeSame || s.op !== "same"));
    const order = ["cut-off", "evidence", "deletes", "other"];
    return shown
        .map((s) => ({ group: groupOf(s), op: s.op, urn: s.urn, ...words(s) }))
        .sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
}

/**
 * The plan's title and destroy wording for one step. A preview's inputs can hold unknowns where
 * the plan expects a value (a subnetwork not yet known): then the type and name, never a crash.
 */
function words(s: PlannedStep): { title: string; destroy: string } {
    try {
        const [p] = planSteps({ resources: [recorded(s)], invokes: [], outputs: {}, warnings: [] });
        return { title: p.title, destroy: p.destroy };
    } catch {
        return { title: `${s.type} ${recorded(s).name}`, destroy: s.retainOnDelete ? "kept (retainOnDelete)" : "reversed: deleted" };
    }
}

const OP_MARK: Record<string, string> = { create: "+", update: "~", replace: "+-", "create-replacement": "+-", delete: "-", same: " " };

/** Steps whose destroy wording says they stay as they are: evidence kept, or one-way. */
export function notUndone(d: readonly Described[]): Described[] {
    return d.filter((x) => !/^(reversed|nothing to undo)/.test(x.destroy));
}

export interface SummaryInput {
    readonly headline: string;
    readonly steps: readonly PlannedStep[];
    /** The stack outputs the preview computed, where known (`oneWayActions`). */
    readonly oneWayActions?: readonly string[];
    readonly warnings: readonly string[];
    readonly policyViolations: readonly string[];
}

export function renderSummary(i: SummaryInput, c: Colors): string {
    const d = describeSteps(i.steps);
    const out = [c.bold(i.headline)];
    if (d.length === 0) out.push("", "No changes: the stack already is in this state.");
    for (const g of ["cut-off", "evidence", "deletes", "other"] as Group[]) {
        const inGroup = d.filter((x) => x.group === g);
        if (inGroup.length === 0) continue;
        const paint = g === "deletes" ? c.red : g === "cut-off" ? c.yellow : (s: string) => s;
        out.push("", paint(c.bold(`${GROUP_TITLES[g]}:`)));
        for (const x of inGroup) out.push(`  ${OP_MARK[x.op] ?? x.op} ${x.title}`);
    }
    const removed = d.filter((x) => x.op === "delete");
    if (removed.length > 0) {
        out.push("", c.bold("Taken down by this update (as destroy would):"));
        for (const x of removed) out.push(`  - ${x.title}: ${x.destroy}`);
    }
    out.push("", c.bold("What pulumi destroy will not undo:"));
    const oneWay = i.oneWayActions ?? [];
    for (const a of oneWay) out.push(`  - ${a}`);
    for (const x of notUndone(d).filter((x) => x.op !== "delete")) out.push(`  - ${x.title}: ${x.destroy}`);
    if (oneWay.length === 0 && notUndone(d).length === 0) out.push("  nothing");
    for (const p of i.policyViolations) out.push("", c.red(`policy: ${p}`));
    for (const w of i.warnings) out.push("", c.yellow(`warning: ${w}`));
    return out.join("\n");
}

/** One line of the progress display while an update runs. */
export function progressLine(s: PlannedStep, failed: boolean, c: Colors): string {
    const mark = failed ? c.red("✗ failed") : s.op === "delete" ? c.dim("- removed") : c.green("✓");
    return `  ${mark} ${words(s).title}`;
}
