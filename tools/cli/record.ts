import { LEVELS, reaches, type Level } from "../../core/levels";
import type { ResolvedOutputs } from "../../stacks/incident/outputs";

/**
 * What the CLI knows about one incident stack, read from the backend by the Automation API layer
 * (`workspace.ts`) and handed to the pure renderers (status, verify, report) so they can be tested
 * on recorded fixtures.
 */

/** One entry of `pulumi stack history`, as the renderers read it. */
export interface HistoryEntry {
    readonly version: number;
    readonly kind: string;
    readonly result: string;
    readonly startTime: string;
    readonly endTime?: string;
    /** Who ran it: from the CLI's update message, else the git author the CLI recorded. */
    readonly by: string;
    /** `quarantine:level` the operation ran with. */
    readonly level?: string;
    readonly message: string;
    readonly changes: Record<string, number>;
}

/** The Automation API's `UpdateSummary`, loosely: dates may be Date or ISO text (fixtures). */
export interface RawUpdate {
    readonly version: number;
    readonly kind: string;
    readonly result: string;
    readonly startTime: Date | string;
    readonly endTime?: Date | string;
    readonly message?: string;
    readonly environment?: Record<string, string>;
    readonly config?: Record<string, { value: string; secret?: boolean }>;
    readonly resourceChanges?: Record<string, number>;
}

const iso = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString());

/** Every update the CLI runs carries `by user@host` in its message (see `workspace.ts`). */
export function byWhom(u: RawUpdate): string {
    const m = / by (\S+)$/.exec(u.message ?? "");
    return m?.[1] ?? u.environment?.["git.author.email"] ?? u.environment?.["git.author"] ?? "unknown";
}

/**
 * Oldest first: a timeline reads forward. `pulumi stack history` lists newest first; ordered by
 * start time, then version, then that listing (reversed), so entries without a distinct version
 * (a DIY backend's) still come out in order.
 */
export function normalizeHistory(raw: readonly RawUpdate[]): HistoryEntry[] {
    return [...raw]
        .reverse()
        .map((u) => ({
            version: u.version,
            kind: u.kind,
            result: u.result,
            startTime: iso(u.startTime)!,
            endTime: iso(u.endTime),
            by: byWhom(u),
            level: u.config?.["quarantine:level"]?.value,
            message: u.message ?? "",
            changes: u.resourceChanges ?? {},
        }))
        .sort((a, b) => a.startTime.localeCompare(b.startTime) || (a.version ?? 0) - (b.version ?? 0));
}

export type Outputs = Partial<ResolvedOutputs>;

export interface IncidentRecord {
    readonly stack: string;
    readonly incidentId: string;
    readonly history: readonly HistoryEntry[];
    /** The stack's outputs; empty once `close` has destroyed it. */
    readonly outputs: Outputs;
    readonly updateInProgress?: boolean;
}

/** The last operation that changed what the stack declares (`refresh` and `preview` don't). */
export function lastChange(h: readonly HistoryEntry[]): HistoryEntry | undefined {
    return [...h].reverse().find((e) => e.kind === "update" || e.kind === "destroy");
}

export function podsOf(o: Outputs): string[] {
    const fromNodes = (o.nodes ?? []).flatMap((n) => n.pods);
    return fromNodes.length > 0 ? fromNodes : (o.memory?.incident.pods ?? []).map((p) => `${p.ref.namespace}/${p.ref.name}`);
}

export const nodesOf = (o: Outputs): string[] => (o.nodes ?? []).map((n) => n.node);

/** Findings that defeat the deny-all (see README "Why the deny-all holds"). */
export const openFindings = (o: Outputs): string[] => (o.isolationFindings ?? []).filter((f) => f.startsWith("open:"));

/**
 * Whether the last change declared the cut-off and succeeded: the level reaches `isolate` and
 * the update went through. A stolen credential can undo it since; `verify` reads live state.
 */
export function declaredCutOff(r: IncidentRecord): { pods: boolean; nodes: boolean } {
    const last = lastChange(r.history);
    const level = r.outputs.level;
    const held =
        last?.kind === "update" && last.result === "succeeded" && level !== undefined && (LEVELS as readonly string[]).includes(level) && reaches(level as Level, "isolate");
    return { pods: held && openFindings(r.outputs).length === 0 && podsOf(r.outputs).length > 0, nodes: held && nodesOf(r.outputs).length > 0 };
}

/** One-way actions across every update (the stack's memory), then this update's. */
export function oneWayOf(o: Outputs): string[] {
    return [...new Set([...(o.memory?.oneWay ?? []), ...(o.oneWayActions ?? [])])];
}
