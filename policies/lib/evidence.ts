import { GCE_LABELS } from "../../core/labels";
import { commands, kubectlAt, kubectlNames, stepOf } from "./script";

/**
 * What the `destructive-after-evidence` stack policy (and the stack's retainOnDelete test) call
 * destructive and what they call evidence. Both read only what a resource declares, so they work
 * on commands that don't exist yet.
 */

export const COMMAND_TYPES: readonly string[] = ["command:local:Command", "command:remote:Command"];
export const SNAPSHOT_TYPE = "gcp:compute/snapshot:Snapshot";
/** Label (GCE or Kubernetes) that marks a resource as evidence, e.g. `quarantine-evidence: disk`. */
export const EVIDENCE_LABEL = GCE_LABELS.evidence;
/** A `# step:` line mentioning one of these words marks an evidence-capture command. */
export const EVIDENCE_STEP = /\b(evidence|captur\w*|snapshot\w*|forensic\w*)/i;

/** Scripts that run when a command is created or updated (its delete runs on destroy). */
const RUNNING_SCRIPTS = ["create", "update"] as const;

interface Labelled {
    readonly labels?: Record<string, string>;
    readonly metadata?: { readonly labels?: Record<string, string> };
}

export interface Declared {
    readonly type: string;
    readonly props: Readonly<Record<string, unknown>>;
}

/**
 * The destructive action a command's create or update script takes, e.g. `kubectl delete`, or
 * undefined. Deletes inside a `trap` handler are not counted: they clean up what the script itself
 * started (a capture pod), not what the quarantine holds.
 */
export function destructiveAction(r: Declared): string | undefined {
    if (!COMMAND_TYPES.includes(r.type)) return undefined;
    for (const field of RUNNING_SCRIPTS) {
        const script = r.props[field];
        if (typeof script !== "string") continue;
        const kubectl = kubectlNames(script);
        for (const cmd of commands(script, { skipTraps: true })) {
            const action = destructiveCommand(cmd, kubectl);
            if (action) return action;
        }
    }
    return undefined;
}

function destructiveCommand(cmd: readonly string[], kubectl: ReadonlySet<string>): string | undefined {
    const k = kubectlAt(cmd, kubectl);
    if (k >= 0) {
        const rest = cmd.slice(k + 1);
        if (rest.includes("delete")) return "kubectl delete";
        if (rest.includes("scale") && scalesToZero(rest)) return "kubectl scale --replicas=0";
    }
    const g = cmd.indexOf("gcloud");
    if (g >= 0) {
        const rest = cmd.slice(g + 1);
        for (const group of ["instances", "disks"]) {
            const at = rest.indexOf(group);
            if (at >= 0 && rest.slice(at + 1).includes("delete")) return `gcloud compute ${group} delete`;
        }
        for (const verb of ["delete-instances", "recreate-instances"]) if (rest.includes(verb)) return `gcloud compute instance-groups managed ${verb}`;
    }
    return undefined;
}

function scalesToZero(args: readonly string[]): boolean {
    return args.some((w, i) => w === "--replicas=0" || (w === "--replicas" && args[i + 1] === "0"));
}

/** Whether a resource is evidence: a snapshot, a resource labelled `quarantine-evidence`, or a capture command. */
export function isEvidence(r: Declared): boolean {
    if (r.type === SNAPSHOT_TYPE) return true;
    if (COMMAND_TYPES.includes(r.type)) {
        const create = r.props.create;
        const step = typeof create === "string" ? stepOf(create) : undefined;
        if (step !== undefined && EVIDENCE_STEP.test(step)) return true;
    }
    const labels = r.type.startsWith("kubernetes:") ? (r.props as Labelled).metadata?.labels : (r.props as Labelled).labels;
    return labels !== undefined && labels !== null && typeof labels === "object" && Object.keys(labels).includes(EVIDENCE_LABEL);
}
