import { stepKind, type StepKind } from "../../../core/stepHeader";
import type { RunResult } from "./proc";
import type { Project } from "./stack";

/**
 * `pulumi preview --json`, read as the plan it is: the CLI's PreviewDigest
 * (pkg/display/json.go `PreviewDigest`, `PreviewStep`), never its progress prose. Unchanged
 * resources are left out of `steps` by the CLI (backend/display `shouldShow`); reads are in.
 */

export interface PreviewStep {
    readonly op: string;
    readonly urn: string;
    readonly oldState?: { readonly type: string; readonly inputs?: Record<string, unknown> };
    readonly newState?: { readonly type: string; readonly inputs?: Record<string, unknown> };
}

export interface PreviewDigest {
    readonly steps?: PreviewStep[];
    readonly diagnostics?: { readonly message?: string; readonly severity?: string }[];
    readonly changeSummary?: Record<string, number>;
}

/** One changing step: its op, logical name (the URN's last part) and the kind its script declares. */
export interface Change {
    readonly op: string;
    readonly name: string;
    readonly type: string;
    readonly kind?: StepKind;
}

/** `pulumi preview --json` in the project; throws with the output when it fails or is not JSON. */
export async function previewJson(project: Project, timeoutMs = 300_000): Promise<{ run: RunResult; digest: PreviewDigest }> {
    const run = await project.cli.run(["preview", "--json"], { timeoutMs });
    if (run.code !== 0) throw new Error(`pulumi preview --json: exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    return { run, digest: JSON.parse(run.stdout) as PreviewDigest };
}

/**
 * Steps that touch nothing: a read, and the discard of a read the program no longer makes (e.g.
 * of a pod an earlier update deleted, now recalled from the stack's memory).
 */
const READS = new Set(["read", "discard", "same"]);

/** Every step that changes something (not a read, not the stack itself), in the digest's order. */
export function changes(digest: PreviewDigest): Change[] {
    return (digest.steps ?? [])
        .filter((s) => !READS.has(s.op) && !s.urn.endsWith("::pulumi:pulumi:Stack"))
        .map((s) => {
            const state = s.newState ?? s.oldState;
            const kind = stepKind(state?.inputs?.create);
            return { op: s.op, name: s.urn.split("::").pop() ?? s.urn, type: state?.type ?? "", ...(kind ? { kind } : {}) };
        });
}

/** `op name` of every step whose script declares `# kind: destructive`, sorted. */
export function destructive(digest: PreviewDigest): string[] {
    return changes(digest)
        .filter((c) => c.kind === "destructive")
        .map((c) => `${c.op} ${c.name}`)
        .sort();
}
