import { z } from "zod";
import { INCIDENT_ID } from "../core/incidentNames";
import { GCE_NAME, K8S_DNS_LABEL, isK8sSubdomain } from "../components/naming";
import { formatImageRef, parseImageRef } from "../components/imageReference";
import { credentialList } from "./credentialConfig";
import { secretList } from "./secretConfig";

/** The zod schema of every `quarantine:*` key; `config.ts` runs it and words the refusals. */

import { LEVELS, type Level } from "../core/levels";

export { LEVELS, type Level };

export const NODE_ISOLATION = ["after-drain", "immediate"] as const;
export type NodeIsolationMode = (typeof NODE_ISOLATION)[number];

export const WORKLOAD_ACTIONS = ["scale-to-zero", "delete"] as const;
export type WorkloadAction = (typeof WORKLOAD_ACTIONS)[number];

export interface PodRef {
    readonly namespace: string;
    readonly name: string;
}

/** A Cloud Storage bucket name, as `quarantine:evidenceBucket` accepts it. */
export const BUCKET_NAME = /^[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]$/;
/** registry/path:tag or @digest; no shell characters, no leading '-'. */
const IMAGE_REF = /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]{1,128})?(@sha256:[a-f0-9]{64})?$/;

function podRefProblem(v: string): string | undefined {
    const parts = v.split("/");
    if (parts.length !== 2) {
        return "is not a valid pod name: expected namespace/name, e.g. default/web-5d9f";
    }
    const [ns, name] = parts;
    if (!K8S_DNS_LABEL.test(ns)) {
        return `is not a valid pod name: namespace ${JSON.stringify(ns)} is not a Kubernetes namespace name (lowercase letters, digits, '-'; ≤ 63), e.g. default/web-5d9f`;
    }
    if (!isK8sSubdomain(name)) {
        return "is not a valid pod name: expected namespace/name, e.g. default/web-5d9f";
    }
    return undefined;
}

const podRef = z
    .string({ error: "must be a string namespace/name, e.g. default/web-5d9f" })
    .superRefine((v, ctx) => {
        const problem = podRefProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((v): PodRef => {
        const [namespace, name] = v.split("/");
        return { namespace, name };
    });

/** A blocked image (`quarantine:images`), normalised: `nginx` becomes `docker.io/library/nginx`. */
const imageRef = z
    .string({ error: "must be a string: an image reference, e.g. docker.io/library/nginx:1.25" })
    .superRefine((v, ctx) => {
        const r = parseImageRef(v);
        if ("problem" in r) ctx.addIssue({ code: "custom", message: r.problem });
    })
    .transform((v) => {
        const r = parseImageRef(v);
        return "problem" in r ? v : formatImageRef(r);
    });

const gceName = (what: string, example: string) =>
    z.string({ error: `must be a string: a GCE ${what} name, e.g. ${example}` }).regex(GCE_NAME, {
        message: `is not a valid GCE ${what} name (lowercase letter first, then letters, digits, '-'; ≤ 63), e.g. ${example}`,
    });

const location = z.string({ error: "is required: the cluster's region or zone, e.g. us-central1" }).regex(/^[a-z]+-[a-z]+[0-9]+(-[a-z])?$/, {
    message: "is not a GCP region or zone, e.g. us-central1 or us-central1-a",
});

export const schema = z
    .object({
        pods: z
            .array(podRef, {
                error: "must be a list of namespace/name, e.g. pulumi config set --path 'quarantine:pods[0]' default/web-5d9f",
            })
            .default([]),
        // A node to quarantine directly: when the pod is gone (an attacker deleting their own pod,
        // as the runbook warns) or the compromise is the host's.
        nodes: z
            .array(
                z
                    .string({ error: "must be a string: a Kubernetes node name, e.g. gke-prod-pool-1-abcdeffff-zgt8" })
                    .refine(isK8sSubdomain, { message: "is not a Kubernetes node name, e.g. gke-prod-pool-1-abcdeffff-zgt8" }),
                { error: "must be a list of node names, e.g. pulumi config set --path 'quarantine:nodes[0]' gke-prod-pool-1-abcdeffff-zgt8" },
            )
            .default([]),
        // A malicious image: every pod running it is quarantined as if named in `pods`, and an
        // admission policy blocks it (see stacks/incident/imagePods.ts, components/imageBlock.ts).
        images: z
            .array(imageRef, {
                error: "must be a list of image references, e.g. pulumi config set --path 'quarantine:images[0]' docker.io/library/nginx:1.25",
            })
            .default([]),
        // Pods that run a blocked image but are not to be quarantined (e.g. a known-good pod on an
        // old digest). A list beside `images`, not `images.exclude`: `images` stays a plain list.
        imageExclude: z
            .array(podRef, {
                error: "must be a list of namespace/name, e.g. pulumi config set --path 'quarantine:imageExclude[0]' default/web-5d9f",
            })
            .default([]),
        level: z.enum(LEVELS, { error: `must be one of ${LEVELS.join(" | ")}, e.g. isolate` }).default("isolate"),
        confirm: z.string({ error: "must be a string: incident-<id>, e.g. incident-42" }).optional(),
        // A workload whose stopping reaches past the incident (any DaemonSet: it runs on every node;
        // anything in kube-system), acknowledged one by one as kind/namespace/name.
        confirmClusterWide: z
            .array(
                z
                    .string({ error: "must be a string: kind/namespace/name, e.g. daemonset/kube-system/fluentbit" })
                    .regex(/^(deployment|statefulset|replicaset|daemonset|job|cronjob)\/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, {
                        message: "is not kind/namespace/name, e.g. daemonset/kube-system/fluentbit",
                    }),
                { error: "must be a list of kind/namespace/name, e.g. pulumi config set --path 'quarantine:confirmClusterWide[0]' daemonset/kube-system/fluentbit" },
            )
            .default([]),
        workloadAction: z
            .enum(WORKLOAD_ACTIONS, { error: `must be one of ${WORKLOAD_ACTIONS.join(" | ")}, e.g. scale-to-zero` })
            .default("scale-to-zero"),
        evidenceBucket: z
            .string({ error: "must be a string: a Cloud Storage bucket name, e.g. acme-ir-evidence" })
            .regex(BUCKET_NAME, { message: "is not a Cloud Storage bucket name (lowercase letters, digits, '-', '_', '.'; 3-63), e.g. acme-ir-evidence" })
            .optional(),
        evidenceRetentionDays: z
            .union([z.string(), z.number()], { error: "must be a number of days, e.g. 90" })
            .transform((v) => String(v))
            .pipe(z.string().regex(/^([1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|36[0-4][0-9]|3650)$/, { message: "is not a number of days from 1 to 3650, e.g. 90" }))
            .transform(Number)
            .default(90),
        evidenceLock: z.boolean({ error: "must be true or false, e.g. false" }).default(false),
        // The readiness stack whose pre-staged containment this incident uses (issue #13.4), read
        // through a StackReference; its project must be quarantine-readiness (stacks/readiness/Pulumi.yaml).
        readinessStack: z
            .string({ error: "must be a string: <organization>/quarantine-readiness/<stack>, e.g. organization/quarantine-readiness/readiness-prod" })
            .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,99}\/quarantine-readiness\/[A-Za-z0-9][-A-Za-z0-9_.]{0,99}$/, {
                message: "is not a readiness stack as <organization>/quarantine-readiness/<stack>, e.g. organization/quarantine-readiness/readiness-prod",
            })
            .optional(),
        capture: z
            .object({
                exec: z.boolean({ error: "must be true or false, e.g. false" }).default(false),
                debugImage: z
                    .string({ error: "must be a string: a container image, e.g. busybox:1.36" })
                    .regex(IMAGE_REF, { message: "is not a container image reference, e.g. busybox:1.36" })
                    .default("busybox:1.36"),
                namespace: z
                    .string({ error: "must be a string: a namespace, e.g. kube-system" })
                    .regex(K8S_DNS_LABEL, { message: "is not a Kubernetes namespace name, e.g. kube-system" })
                    .default("kube-system"),
            })
            .strict()
            .default({ exec: false, debugImage: "busybox:1.36", namespace: "kube-system" }),
        incident: z
            .string({ error: "must be a string: an incident id, e.g. 42" })
            .regex(INCIDENT_ID, { message: "is not a valid incident id (lowercase letters, digits, '-'; ≤ 20; not ending in -bastion), e.g. 42" })
            .optional(),
        nodeIsolation: z
            .enum(NODE_ISOLATION, { error: `must be one of ${NODE_ISOLATION.join(" | ")}, e.g. after-drain` })
            .default("after-drain"),
        node: z
            .object({
                // A host-level attacker keeps the node's service account tokens: VPC firewall rules
                // can't filter the metadata server. Off by default: it changes the host under
                // investigation, and the node's own pulls from Artifact Registry need its tokens.
                blockMetadata: z.boolean({ error: "must be true or false, e.g. true" }).default(false),
            })
            .strict()
            .default({ blockMetadata: false }),
        drainTimeout: z
            .string({ error: "must be a string: seconds or minutes, e.g. 300s or 5m" })
            .regex(/^([1-9][0-9]{0,3}s|[1-9][0-9]?m)$/, { message: "is not a drain timeout: seconds or minutes, e.g. 300s or 5m" })
            .default("5m"),
        detachLabels: z.boolean({ error: "must be true or false, e.g. true" }).default(true),
        cluster: z
            .object(
                { name: gceName("cluster", "prod-cluster"), location },
                { error: "must be an object {name, location}, e.g. pulumi config set --path quarantine:cluster.name prod-cluster" },
            )
            .strict()
            .optional(),
        bastion: z
            .object({
                machineType: z.string({ error: "must be a string: a machine type, e.g. e2-small" }).regex(/^[a-z0-9]+-[a-z0-9-]+$/, { message: "is not a machine type, e.g. e2-small" }).default("e2-small"),
                image: z
                    .string({ error: "must be a string: an image family as project/family, e.g. debian-cloud/debian-12" })
                    .regex(/^[a-z][-a-z0-9]*\/[a-z][-a-z0-9]*$/, { message: "is not an image family as project/family, e.g. debian-cloud/debian-12" })
                    .default("debian-cloud/debian-12"),
            })
            .strict()
            .default({ machineType: "e2-small", image: "debian-cloud/debian-12" }),
        // Stolen credentials: principals to record and revoke (stacks/credentialConfig.ts).
        credentials: credentialList,
        // Stolen Secret values: recorded as hashes, then rotated (stacks/secretConfig.ts).
        secrets: secretList,
    })
    .strict();

