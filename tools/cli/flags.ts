import { ConfigError, parseConfig, type QuarantineConfig } from "../../stacks/config";
import { LEVELS, schema, type Level } from "../../stacks/configSchema";
import { isDestructive } from "../../core/levels";

/**
 * The CLI's flags as `quarantine:*` config, validated by the program's own schema
 * (`stacks/config.ts`) before any stack is touched. The program would refuse the same values at
 * preview; refusing them here, naming both the flag the responder typed and the key it became,
 * means a typo never creates a stack or writes config.
 */

/** Exit codes, documented in README.md ("The quarantine CLI"). */
export const EXIT = {
    ok: 0,
    /** The operation (preview, up, refresh, destroy) failed, or the stack does not exist. */
    failed: 1,
    /** No Pulumi CLI on the PATH. */
    noPulumi: 2,
    /** `verify`: the quarantine does not hold (drift, an `open:` finding, a failed last update). */
    notHeld: 3,
    /** Another update holds the stack's lock. */
    locked: 4,
    /** The responder declined at the prompt, or typed back the wrong incident id. */
    declined: 5,
    /** A bad flag or value. */
    usage: 64,
} as const;

export class UsageError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
        this.name = "UsageError";
    }
}

export interface OpenFlags {
    readonly pod: readonly string[];
    readonly node: readonly string[];
    /** A malicious image: every pod running it is quarantined (→ quarantine:images). */
    readonly image?: readonly string[];
    /** A stolen credential to record and revoke (→ quarantine:credentials). */
    readonly credential?: readonly string[];
    readonly level?: string;
    readonly immediate?: boolean;
    readonly project?: string;
    readonly context?: string;
}

/** The levels `open` accepts: the destructive ones go through `escalate`, which asks for the id. */
export const OPEN_LEVELS: readonly Level[] = LEVELS.filter((l) => !isDestructive(l));

export const stackName = (id: string) => `incident-${id}`;

/** Refuses an id the program would refuse, with the schema's own wording. */
export function checkId(id: string): void {
    const r = schema.shape.incident.safeParse(id);
    if (!r.success) throw new UsageError([`<id> ${JSON.stringify(id)} → quarantine:incident ${JSON.stringify(id)} ${r.error.issues[0].message}`]);
}

/** The keys `open` writes, in the flat `allConfig()` shape the program reads (lists as JSON). */
export function openConfig(id: string, f: OpenFlags): Record<string, string> {
    checkId(id);
    const problems: string[] = [];
    const images = f.image ?? [];
    const credentials = f.credential ?? [];
    if (f.pod.length === 0 && f.node.length === 0 && images.length === 0 && credentials.length === 0) {
        problems.push("--pod, --node, --image or --credential is required → quarantine:pods / quarantine:nodes / quarantine:images / quarantine:credentials: name the compromised pod, e.g. --pod default/web-5d9f");
    }
    if (f.level !== undefined && !(OPEN_LEVELS as readonly string[]).includes(f.level)) {
        const hint = (LEVELS as readonly string[]).includes(f.level) ? `; ${f.level} deletes something: use quarantine escalate ${id} ${f.level}` : "";
        problems.push(`--level ${JSON.stringify(f.level)} → quarantine:level must be one of ${OPEN_LEVELS.join(" | ")} for open${hint}`);
    }
    if (problems.length > 0) throw new UsageError(problems);
    const out: Record<string, string> = {
        "quarantine:pods": JSON.stringify(f.pod),
        "quarantine:nodes": JSON.stringify(f.node),
        "quarantine:level": f.level ?? "isolate",
        "quarantine:nodeIsolation": f.immediate ? "immediate" : "after-drain",
    };
    // Only when given: a stack config's images or credentials stay unless the responder names others.
    if (images.length > 0) out["quarantine:images"] = JSON.stringify(images);
    if (credentials.length > 0) out["quarantine:credentials"] = JSON.stringify(credentials);
    if (f.project !== undefined) out["gcp:project"] = f.project;
    if (f.context !== undefined) out["kubernetes:context"] = f.context;
    return out;
}

/** The keys `escalate` writes: the level, and the id typed back as the acknowledgement. */
export function escalateConfig(id: string, level: string, typedBack: string): Record<string, string> {
    checkId(id);
    if (!(LEVELS as readonly string[]).includes(level)) {
        throw new UsageError([`<level> ${JSON.stringify(level)} → quarantine:level must be one of ${LEVELS.join(" | ")}`]);
    }
    const out: Record<string, string> = { "quarantine:level": level };
    if (isDestructive(level as Level)) out["quarantine:confirm"] = `incident-${typedBack.trim()}`;
    return out;
}

const KEY = /^((?:quarantine|gcp|kubernetes):[A-Za-z.]+)(?:\[(\d+)\])?/;

/** Which flag a refused key came from, so the message names what the responder typed. */
function flagFor(key: string, index: string | undefined, set: Record<string, string>, flags: Partial<OpenFlags>): string | undefined {
    if (!(key in set) && !["quarantine:pods", "quarantine:incident"].includes(key)) return undefined;
    const at = index === undefined ? undefined : Number(index);
    switch (key) {
        case "quarantine:pods":
            return at === undefined ? "--pod/--node" : `--pod ${JSON.stringify(flags.pod?.[at])}`;
        case "quarantine:nodes":
            return at === undefined ? "--node" : `--node ${JSON.stringify(flags.node?.[at])}`;
        case "quarantine:images":
            return at === undefined ? "--image" : `--image ${JSON.stringify(flags.image?.[at])}`;
        case "quarantine:credentials":
            return at === undefined ? "--credential" : `--credential ${JSON.stringify(flags.credential?.[at])}`;
        case "quarantine:level":
            return `--level ${JSON.stringify(set[key])}`;
        case "quarantine:nodeIsolation":
            return "--immediate";
        case "quarantine:confirm":
            return "the incident id typed back";
        case "quarantine:incident":
            return "<id>";
        case "gcp:project":
            return `--project ${JSON.stringify(set[key])}`;
        case "kubernetes:context":
            return `--context ${JSON.stringify(set[key])}`;
        default:
            return undefined;
    }
}

/** What to do about a required key the stack's config lacks and a flag could give. */
const UNSET_HINT: Record<string, string> = {
    "gcp:project": "pass --project, e.g. --project acme-prod",
    "kubernetes:context": "pass --context, e.g. --context gke_acme-prod_us-central1_prod",
};

/**
 * The whole config the update will run with (the stack's current config overlaid with the
 * flags'), checked by `parseConfig`. Each refusal is prefixed by the flag that set the key, or
 * says it is in the stack's config. Returns the parsed config on success.
 */
export function validate(id: string, current: Record<string, string>, set: Record<string, string>, flags: Partial<OpenFlags> = {}): QuarantineConfig {
    try {
        return parseConfig({ ...current, ...set }, stackName(id));
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        throw new UsageError(
            e.problems.map((p) => {
                const m = KEY.exec(p);
                const flag = m ? flagFor(m[1], m[2], set, flags) : undefined;
                if (flag) return `${flag} → ${p}`;
                const hint = m && p.startsWith(`${m[1]} (unset)`) ? UNSET_HINT[m[1]] : undefined;
                return hint ? `${p}; ${hint}` : `stack config ${stackName(id)}: ${p}`;
            }),
        );
    }
}

/**
 * `--parallel` sized to the incident: a snapshot holds an engine slot until it is READY (about a
 * minute, bench/README.md), so with the CLI's default (4 × CPUs) a large incident's snapshots
 * queue its cut-off steps. Enough slots for every step at once: about 5 per pod, 12 per node
 * (each pod may sit on its own node), 10 for the incident; capped where the engine's memory
 * grows (pulumi/pulumi#14989).
 */
export function parallelFor(pods: number, nodes: number): number {
    const steps = 10 + 5 * pods + 12 * (nodes + pods);
    return Math.min(500, Math.max(32, steps));
}

/** The update's `--parallel`: what the flags gave, or a slot for every step the preview planned, whichever is more; capped as parallelFor. */
export function upParallel(fromFlags: number, previewSteps: number): number {
    return Math.min(500, Math.max(fromFlags, previewSteps));
}

/** Config as the Automation API's `setAllConfig(…, path=true)` takes it: lists as indexed keys. */
export function toConfigMap(set: Record<string, string>): Record<string, { value: string; secret: boolean }> {
    const out: Record<string, { value: string; secret: boolean }> = {};
    for (const [k, v] of Object.entries(set)) {
        if (v.startsWith("[")) {
            (JSON.parse(v) as string[]).forEach((item, i) => (out[`${k}[${i}]`] = { value: item, secret: false }));
        } else {
            out[k] = { value: v, secret: false };
        }
    }
    return out;
}

/** The list keys whose old entries must go before the new ones are set (a shorter list stays shorter). */
export const listKeys = (set: Record<string, string>) => Object.keys(set).filter((k) => set[k].startsWith("["));
