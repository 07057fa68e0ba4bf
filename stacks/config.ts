import { z } from "zod";
import { GCE_NAME, INCIDENT_ID, K8S_DNS_LABEL, isK8sSubdomain } from "../components/naming";

/**
 * The whole `quarantine:*` contract in one schema, validated before any resource is registered.
 * Every message names the key, the bad value and an example, because the reader is a responder
 * mid-incident who needs to know exactly which `pulumi config set` to run.
 */

export const LEVELS = ["observe", "isolate", "redeploy", "delete-workload", "delete-node"] as const;
export type Level = (typeof LEVELS)[number];
/** Levels this release implements; the escalation steps beyond `isolate` come with issue #4. */
export const SUPPORTED_LEVELS: readonly Level[] = ["observe", "isolate"];

export const NODE_ISOLATION = ["after-drain", "immediate"] as const;
export type NodeIsolationMode = (typeof NODE_ISOLATION)[number];

export interface PodRef {
    readonly namespace: string;
    readonly name: string;
}

export interface QuarantineConfig {
    readonly incidentId: string;
    readonly pods: readonly PodRef[];
    readonly level: Level;
    readonly nodeIsolation: NodeIsolationMode;
    /** kubectl duration for the drain, e.g. `5m`. */
    readonly drainTimeout: string;
    /** Remove the pod's other labels so no existing NetworkPolicy or Service still selects it. */
    readonly detachLabels: boolean;
    readonly cluster?: { readonly name: string; readonly location: string };
    readonly bastion: { readonly machineType: string; readonly image: string };
    readonly project: string;
    readonly kubeContext: string;
}

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid quarantine config:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

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

const gceName = (what: string, example: string) =>
    z.string({ error: `must be a string: a GCE ${what} name, e.g. ${example}` }).regex(GCE_NAME, {
        message: `is not a valid GCE ${what} name (lowercase letter first, then letters, digits, '-'; ≤ 63), e.g. ${example}`,
    });

const location = z.string({ error: "is required: the cluster's region or zone, e.g. us-central1" }).regex(/^[a-z]+-[a-z]+[0-9]+(-[a-z])?$/, {
    message: "is not a GCP region or zone, e.g. us-central1 or us-central1-a",
});

const schema = z
    .object({
        pods: z
            .array(podRef, {
                error: "must be a list of namespace/name, e.g. pulumi config set --path 'quarantine:pods[0]' default/web-5d9f",
            })
            .min(1, { message: "must name at least one pod, e.g. pulumi config set --path 'quarantine:pods[0]' default/web-5d9f" }),
        level: z
            .enum(LEVELS, { error: `must be one of ${LEVELS.join(" | ")}, e.g. isolate` })
            .default("isolate")
            .superRefine((v, ctx) => {
                if (!SUPPORTED_LEVELS.includes(v)) {
                    ctx.addIssue({
                        code: "custom",
                        message: `is not available yet (escalation beyond isolate is not built: issue #4); use ${SUPPORTED_LEVELS.join(" or ")}, e.g. isolate`,
                    });
                }
            }),
        incident: z
            .string({ error: "must be a string: an incident id, e.g. 42" })
            .regex(INCIDENT_ID, { message: "is not a valid incident id (lowercase letters, digits, '-'; ≤ 20; not ending in -bastion), e.g. 42" })
            .optional(),
        nodeIsolation: z
            .enum(NODE_ISOLATION, { error: `must be one of ${NODE_ISOLATION.join(" | ")}, e.g. after-drain` })
            .default("after-drain"),
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
    })
    .strict();

const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const STACK_INCIDENT = /^incident-(.+)$/;
/** Printable, no leading '-' (it would read as a flag), no shell or control characters. */
const KUBE_CONTEXT = /^[A-Za-z0-9_.@:][-A-Za-z0-9_.@:/]{0,252}$/;

/**
 * Pulumi stores structured config (`--path`, lists, objects) as JSON text and everything else as
 * plain text. Only lists, objects and booleans are decoded: `quarantine:incident 42` stays "42".
 */
function decode(value: string): unknown {
    const t = value.trim();
    if (t.startsWith("[") || t.startsWith("{") || t === "true" || t === "false") {
        try {
            return JSON.parse(t);
        } catch {
            return value;
        }
    }
    return value;
}

/** The settings known at `path`: the top level, or inside `cluster` / `bastion`. */
function knownKeys(path: PropertyKey[]): string[] {
    let s: unknown = schema;
    for (const p of [...path, undefined]) {
        while (typeof (s as { unwrap?: unknown } | undefined)?.unwrap === "function") s = (s as { unwrap(): unknown }).unwrap();
        const shape = (s as { shape?: Record<string, unknown> } | undefined)?.shape;
        if (!shape) return [];
        if (p === undefined) return Object.keys(shape);
        s = shape[String(p)];
    }
    return [];
}

function keyOf(path: PropertyKey[]): string {
    let key = "quarantine";
    path.forEach((p, i) => {
        key += typeof p === "number" ? `[${p}]` : i === 0 ? `:${String(p)}` : `.${String(p)}`;
    });
    return key;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    let v: unknown = root;
    for (const p of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

function show(v: unknown): string {
    return v === undefined ? "(unset)" : JSON.stringify(v);
}

/**
 * Validates the full config (`allConfig()` shape: `"quarantine:pods" → JSON text`) and the stack
 * name. Throws a `ConfigError` listing every problem at once.
 */
export function parseConfig(all: Record<string, string>, stack: string): QuarantineConfig {
    const problems: string[] = [];
    const ours: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) {
        if (k.startsWith("quarantine:")) ours[k.slice("quarantine:".length)] = decode(v);
    }

    const parsed = schema.safeParse(ours);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const k of issue.keys) {
                    const path = [...issue.path, k];
                    problems.push(`${keyOf(path)} is not a known setting; known: ${knownKeys(issue.path).join(", ")}`);
                }
                continue;
            }
            problems.push(`${keyOf(issue.path)} ${show(valueAt(ours, issue.path))} ${issue.message}`);
        }
    }

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
    if (ours.incident === undefined) {
        const m = STACK_INCIDENT.exec(stack);
        if (m && INCIDENT_ID.test(m[1])) {
            incidentId = m[1];
        } else {
            problems.push(
                `quarantine:incident (unset) is required because stack ${show(stack)} is not named incident-<id>; e.g. pulumi stack init incident-42, or pulumi config set quarantine:incident 42`,
            );
        }
    }

    if (parsed.success) {
        const seen = new Set<string>();
        for (const [i, p] of parsed.data.pods.entries()) {
            const ref = `${p.namespace}/${p.name}`;
            if (seen.has(ref)) problems.push(`quarantine:pods[${i}] ${show(ref)} is listed twice; list each pod once`);
            seen.add(ref);
        }
    }

    if (problems.length > 0 || !parsed.success || !incidentId || !project || !kubeContext) {
        throw new ConfigError(problems);
    }
    const d = parsed.data;

    return {
        incidentId,
        pods: d.pods,
        level: d.level,
        nodeIsolation: d.nodeIsolation,
        drainTimeout: d.drainTimeout,
        detachLabels: d.detachLabels,
        cluster: d.cluster,
        bastion: d.bastion,
        project,
        kubeContext,
    };
}
