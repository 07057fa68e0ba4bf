/**
 * Milestones of a real `pulumi up`, read from the engine's own event log (`pulumi up --event-log
 * FILE`): one JSON `apitype.EngineEvent` per line, each with a `sequence` and a `timestamp` in
 * whole Unix seconds (sdk/go/common/apitype/events.go; stamped as the CLI displays the event,
 * pkg/backend/display `stampEvents`). A step is done at its `resOutputsEvent`. `pulumi up` without
 * `--skip-preview` opens the log again (truncating it) for the update, so the file normally holds
 * only the update; events before the last `preludeEvent` are dropped in case it does not.
 */

export interface EngineEvent {
    readonly sequence: number;
    readonly timestamp: number;
    readonly preludeEvent?: unknown;
    readonly summaryEvent?: { readonly durationSeconds?: number; readonly resourceChanges?: Record<string, number> };
    readonly resOutputsEvent?: { readonly metadata: { readonly op: string; readonly urn: string; readonly type: string } };
    readonly resOpFailedEvent?: { readonly metadata: { readonly urn: string } };
}

/** What the bench compares with its model (bench/README.md, milestones (a) and (b)). */
export interface Milestones {
    /** Unix seconds of the update's prelude: the engine has started the update. */
    readonly updateStart?: number;
    /** Every pod's `PodPatch` label and its namespace's deny-all `NetworkPolicy` done (the last of them). */
    readonly podsIsolated?: number;
    /** Every node's isolation `tag` command done (the last of them). */
    readonly nodesCutOff?: number;
    /** The summary event: the update is over. */
    readonly updateDone?: number;
    /** How many of each were seen, to check the log covers the whole incident. */
    readonly counts: { readonly labels: number; readonly denyAlls: number; readonly tags: number; readonly failed: number };
}

export function parseEventLog(text: string): EngineEvent[] {
    const events = text
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l, i) => {
            try {
                return JSON.parse(l) as EngineEvent;
            } catch (e) {
                throw new Error(`event log line ${i + 1} is not JSON: ${l.slice(0, 120)}`, { cause: e });
            }
        });
    // File order is emission order (one writer per log); `sequence` restarts at 0 for each
    // operation the CLI displays, so it can't order a file that holds two.
    const prelude = events.map((e) => Boolean(e.preludeEvent)).lastIndexOf(true);
    return prelude > 0 ? events.slice(prelude) : events;
}

/** The logical name of a URN (`urn:pulumi:stack::project::type::name`), its last part. */
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

const isLabel = (type: string, name: string) => type === "kubernetes:core/v1:PodPatch" && name.endsWith("/label");
const isDenyAll = (type: string, name: string) => type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && name.endsWith("/deny-all");
const isTag = (type: string, name: string) => type === "command:local:Command" && name.endsWith("/tag");

export function milestones(events: readonly EngineEvent[]): Milestones {
    const done = (match: (type: string, name: string) => boolean) =>
        events.filter((e) => e.resOutputsEvent && match(e.resOutputsEvent.metadata.type, nameOf(e.resOutputsEvent.metadata.urn))).map((e) => e.timestamp);
    const last = (ts: number[]) => (ts.length ? Math.max(...ts) : undefined);
    const labels = done(isLabel);
    const denyAlls = done(isDenyAll);
    const tags = done(isTag);
    return {
        updateStart: events.find((e) => e.preludeEvent)?.timestamp,
        podsIsolated: labels.length && denyAlls.length ? last([...labels, ...denyAlls]) : undefined,
        nodesCutOff: last(tags),
        updateDone: events.find((e) => e.summaryEvent)?.timestamp,
        counts: { labels: labels.length, denyAlls: denyAlls.length, tags: tags.length, failed: events.filter((e) => e.resOpFailedEvent).length },
    };
}

/** Seconds from `startMs` (the spawn of `pulumi up`, epoch ms) to a milestone; whole-second stamps, so up to 1 s early. */
export function since(startMs: number, unixSeconds: number | undefined): string {
    return unixSeconds === undefined ? "not reached" : String(Math.max(0, unixSeconds - Math.floor(startMs / 1000)));
}
