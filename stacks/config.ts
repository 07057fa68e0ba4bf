import { INCIDENT_ID } from "../core/incidentNames";
import { isDestructive, reaches } from "../core/levels";
import {
    schema,
    type Level,
    type NodeIsolationMode,
    type PodRef,
    type WorkloadAction,
} from "./configSchema";
import { GCP_PROJECT, namespaceValues, schemaProblems, show } from "./configProblems";
import { imageProblems } from "./imageConfig";
import { credentialProblems, type Credential } from "./credentialConfig";
import { secretProblems, type SecretRef } from "./secretConfig";

export { LEVELS, NODE_ISOLATION, WORKLOAD_ACTIONS } from "./configSchema";
export type { Level, NodeIsolationMode, PodRef, WorkloadAction } from "./configSchema";

/**
 * The whole `quarantine:*` contract in one schema, validated before any resource is registered.
 * Every message names the key, the bad value and an example, because the reader is a responder
 * mid-incident who needs to know exactly which `pulumi config set` to run.
 */


export interface QuarantineConfig {
    readonly incidentId: string;
    readonly pods: readonly PodRef[];
    /** Nodes to quarantine directly, with or without a pod named on them. */
    readonly nodes: readonly string[];
    /** Blocked images, normalised (`docker.io/library/nginx:1.25`): their pods are quarantined too. */
    readonly images: readonly string[];
    /** Pods running a blocked image that are not to be quarantined. */
    readonly imageExclude: readonly PodRef[];
    /** Principals whose credentials are stolen: recorded, then revoked (stacks/incident/credentials.ts). */
    readonly credentials: readonly Credential[];
    /** Secrets whose values are stolen: recorded as hashes, then rotated (stacks/incident/credentials.ts). */
    readonly secrets: readonly SecretRef[];
    readonly level: Level;
    readonly nodeIsolation: NodeIsolationMode;
    /** Drop the node's traffic to the metadata server through a host firewall rule, before the cut-off. */
    readonly node: { readonly blockMetadata: boolean };
    /** kubectl duration for the drain, e.g. `5m`. */
    readonly drainTimeout: string;
    /** Remove the pod's other labels so no existing NetworkPolicy or Service still selects it. */
    readonly detachLabels: boolean;
    readonly cluster?: { readonly name: string; readonly location: string };
    readonly bastion: { readonly machineType: string; readonly image: string };
    /** What `delete-workload` does to the owning workload. */
    readonly workloadAction: WorkloadAction;
    /** Cluster-wide workloads (DaemonSets, kube-system) `delete-workload` may stop, as kind/namespace/name. */
    readonly confirmClusterWide: readonly string[];
    /** Existing bucket for evidence; unset: the stack creates one. */
    readonly evidenceBucket?: string;
    readonly evidenceRetentionDays: number;
    /** Lock the created bucket's retention policy (irreversible: the bucket can't be deleted until retention ends). */
    readonly evidenceLock: boolean;
    /** The readiness stack (`<organization>/quarantine-readiness/<stack>`) whose pre-staged containment to use; unset: none. */
    readonly readinessStack?: string;
    readonly capture: { readonly exec: boolean; readonly debugImage: string; readonly namespace: string };
    readonly project: string;
    readonly kubeContext: string;
}

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid quarantine config:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

const STACK_INCIDENT = /^incident-(.+)$/;
/** Printable, no leading '-' (it would read as a flag), no shell or control characters. */
const KUBE_CONTEXT = /^[A-Za-z0-9_.@:][-A-Za-z0-9_.@:/]{0,252}$/;

/**
 * Validates the full config (`allConfig()` shape: `"quarantine:pods" → JSON text`) and the stack
 * name. Throws a `ConfigError` listing every problem at once.
 */
export function parseConfig(all: Record<string, string>, stack: string): QuarantineConfig {
    const problems: string[] = [];
    const ours = namespaceValues(all, "quarantine");

    const parsed = schema.safeParse(ours);
    if (!parsed.success) problems.push(...schemaProblems(schema, "quarantine", ours, parsed.error));

    const project = all["gcp:project"];
    if (!project) {
        problems.push("gcp:project (unset) is required so every gcloud command names the project, e.g. pulumi config set gcp:project acme-prod");
    } else if (!GCP_PROJECT.test(project)) {
        problems.push(`gcp:project ${show(project)} is not a GCP project id, e.g. acme-prod`);
    }
    const kubeContext = all["kubernetes:context"];
    if (kubeContext && !KUBE_CONTEXT.test(kubeContext)) {
        problems.push(`kubernetes:context ${show(kubeContext)} is not a kubeconfig context name, e.g. gke_acme-prod_us-central1_prod`);
    } else if (!kubeContext) {
        problems.push(
            "kubernetes:context (unset) is required so kubectl never acts on whatever context the shell points at, e.g. pulumi config set kubernetes:context gke_acme-prod_us-central1_prod",
        );
    }

    let incidentId = parsed.success ? parsed.data.incident : undefined;
    const fromStack = STACK_INCIDENT.exec(stack);
    if (incidentId && fromStack && fromStack[1] !== incidentId) {
        // Two ids for one incident: names, tags and the confirm check would follow one, the
        // responder (and the policy pack, which reads the stack) the other.
        problems.push(
            `quarantine:incident ${show(incidentId)} disagrees with stack ${show(stack)}; unset it (pulumi config rm quarantine:incident) or set it to ${fromStack[1]}`,
        );
    }
    if (ours.incident === undefined) {
        const m = fromStack;
        if (m && INCIDENT_ID.test(m[1])) {
            incidentId = m[1];
        } else {
            problems.push(
                `quarantine:incident (unset) is required because stack ${show(stack)} is not named incident-<id>; e.g. pulumi stack init incident-42, or pulumi config set quarantine:incident 42`,
            );
        }
    }

    const d0 = parsed.success ? parsed.data : undefined;
    if (d0 && d0.pods.length === 0 && d0.nodes.length === 0 && d0.images.length === 0 && d0.credentials.length === 0 && d0.secrets.length === 0) {
        problems.push(
            `quarantine:pods ${show(ours.pods)} must name at least one pod, or quarantine:nodes a node, or quarantine:images an image, or quarantine:credentials a principal, or quarantine:secrets a secret, e.g. pulumi config set --path 'quarantine:pods[0]' default/web-5d9f`,
        );
    }
    if (d0) problems.push(...credentialProblems(d0.credentials));
    if (d0) problems.push(...secretProblems(d0.secrets, reaches(d0.level, "isolate") && !isDestructive(d0.level), d0.confirm, incidentId));
    if (parsed.success) problems.push(...imageProblems(parsed.data));
    if (parsed.success) {
        const seenNodes = new Set<string>();
        for (const [i, n] of parsed.data.nodes.entries()) {
            if (seenNodes.has(n)) problems.push(`quarantine:nodes[${i}] ${show(n)} is listed twice; list each node once`);
            seenNodes.add(n);
        }
        const seen = new Set<string>();
        for (const [i, p] of parsed.data.pods.entries()) {
            const ref = `${p.namespace}/${p.name}`;
            if (seen.has(ref)) problems.push(`quarantine:pods[${i}] ${show(ref)} is listed twice; list each pod once`);
            seen.add(ref);
        }
    }

    if (parsed.success && incidentId && isDestructive(parsed.data.level)) {
        problems.push(...acknowledgement(parsed.data.level, parsed.data.confirm, incidentId));
    }

    if (problems.length > 0 || !parsed.success || !incidentId || !project || !kubeContext) {
        throw new ConfigError(problems);
    }
    const d = parsed.data;

    return {
        incidentId,
        pods: d.pods,
        nodes: d.nodes,
        images: d.images,
        imageExclude: d.imageExclude,
        credentials: d.credentials,
        secrets: d.secrets,
        level: d.level,
        nodeIsolation: d.nodeIsolation,
        node: d.node,
        drainTimeout: d.drainTimeout,
        detachLabels: d.detachLabels,
        cluster: d.cluster,
        bastion: d.bastion,
        workloadAction: d.workloadAction,
        confirmClusterWide: d.confirmClusterWide,
        evidenceBucket: d.evidenceBucket,
        evidenceRetentionDays: d.evidenceRetentionDays,
        evidenceLock: d.evidenceLock,
        ...(d.readinessStack ? { readinessStack: d.readinessStack } : {}),
        capture: d.capture,
        project,
        kubeContext,
    };
}

const DELETES: Record<string, string> = {
    redeploy: "deletes the quarantined pod(s)",
    "delete-workload": "deletes or scales away the workload that owns the pod(s)",
    "delete-node": "deletes the node's VM",
};

/**
 * A destructive level must name this very incident: a stack config copied from another incident
 * must not delete anything here.
 */
function acknowledgement(level: Level, confirm: string | undefined, id: string): string[] {
    const want = `incident-${id}`;
    if (confirm === want) return [];
    const why = `quarantine:level ${show(level)} ${DELETES[level]} and needs an acknowledgement naming this incident`;
    if (confirm === undefined) {
        return [`quarantine:confirm (unset) is required: ${why}; e.g. pulumi config set quarantine:confirm ${want}`];
    }
    return [`quarantine:confirm ${show(confirm)} does not match incident ${id}: ${why}; e.g. pulumi config set quarantine:confirm ${want}`];
}
