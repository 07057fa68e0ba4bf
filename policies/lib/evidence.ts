import { GCE_LABELS } from "../../core/labels";
import { commandsOf, gcloudNames, kubectlNames, localNames, runnerNames, stepOf, toolAt } from "./script";
import { destructiveVerb } from "./verbs";

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
 * undefined: every kubectl and gcloud command it runs, by allow-list (`verbs.ts`), including those
 * of `trap` handlers (where deleting the script's own pod is cleanup) and of `bash -c` scripts.
 */
export function destructiveAction(r: Declared): string | undefined {
    if (!COMMAND_TYPES.includes(r.type)) return undefined;
    for (const field of RUNNING_SCRIPTS) {
        const script = r.props[field];
        if (typeof script !== "string") continue;
        const kubectl = kubectlNames(script);
        const gcloud = gcloudNames(script);
        const runners = runnerNames(script);
        const locals = localNames(script);
        for (const cmd of commandsOf(script)) {
            const action = destructiveVerb(cmd, { kubectl: toolAt(cmd.words, "kubectl", kubectl, runners), gcloud: toolAt(cmd.words, "gcloud", gcloud, runners) }, locals);
            if (action) return action;
        }
    }
    return undefined;
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
