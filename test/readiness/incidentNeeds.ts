import { LEVELS } from "../../core/levels";
import type { RunResult } from "../../tools/mockEngine/engine";
import { imageCluster, sampleCluster, SAMPLE_NODE, type FakeCluster, type FakePod } from "../../tools/mockEngine/sampleCluster";
import { run, type Scenario } from "../harness";
import { scriptNeeds } from "./scriptNeeds";

/**
 * Every call the incident program can make, found by running it under the mock engine: at every
 * level of the ladder, on incident shapes that together reach each of its branches (a malicious
 * image, an existing bucket and exec capture, a locked bucket, `immediate`, and every workload kind
 * an escalation stops, scaled or suspended and deleted). Each command's create and delete script
 * is read, so destroy-time calls count too.
 */

/** Where a need was seen: the scenario and the resource, for a failure message. */
export type Seen = Map<string, Set<string>>;

export interface IncidentNeeds {
    /** Resource types (custom resources, reads) and invoke tokens. */
    readonly types: Seen;
    /** gcloud command paths. */
    readonly gcloud: Seen;
    /** kubectl `<verb> <resource>`. */
    readonly kubectl: Seen;
}

const onSample = (name: string, namespace: string, owner?: FakePod["owner"]): FakePod => ({ namespace, name, node: SAMPLE_NODE, labels: { app: name }, ...(owner ? { owner } : {}) });

/** One pod per workload kind an escalation stops, all on the sample node. */
export function workloadCluster(daemonSet: boolean): FakeCluster {
    const base = sampleCluster();
    const pods: FakePod[] = [
        base.pods[0], // Deployment web, through ReplicaSet web-5d9f
        onSample("db-0", "default", { kind: "StatefulSet", name: "db" }),
        onSample("bare-rs-x1", "default", { kind: "ReplicaSet", name: "bare-rs" }),
        onSample("once-x2", "batch", { kind: "Job", name: "once" }),
        onSample("nightly-1-x3", "batch", { kind: "Job", name: "nightly-1" }),
        ...(daemonSet ? [onSample("agent-x4", "default", { kind: "DaemonSet", name: "agent" })] : []),
    ];
    return {
        ...base,
        pods,
        owned: [
            ...(base.owned ?? []),
            { namespace: "default", kind: "ReplicaSet", name: "bare-rs" },
            { namespace: "batch", kind: "Job", name: "once" },
            { namespace: "batch", kind: "Job", name: "nightly-1", owner: { kind: "CronJob", name: "nightly" } },
        ],
    };
}

const named = (c: FakeCluster) => JSON.stringify(c.pods.map((p) => `${p.namespace}/${p.name}`));

export const SHAPES: readonly [string, Scenario][] = [
    ["the sample incident", {}],
    ["an existing bucket, exec capture", { config: { "quarantine:evidenceBucket": "acme-ir-evidence", "quarantine:capture": JSON.stringify({ exec: true }) } }],
    ["a locked created bucket, immediate", { config: { "quarantine:evidenceLock": "true", "quarantine:nodeIsolation": "immediate" } }],
    ["a malicious image", { cluster: imageCluster(), config: { "quarantine:pods": '["default/compromised-pod"]', "quarantine:images": '["nginx:1.25", "ghcr.io/acme/tool"]' } }],
    ["every kind, scaled or suspended", { cluster: workloadCluster(false), config: { "quarantine:pods": named(workloadCluster(false)) } }],
    [
        "every kind, deleted",
        {
            cluster: workloadCluster(true),
            config: { "quarantine:pods": named(workloadCluster(true)), "quarantine:workloadAction": "delete", "quarantine:confirmClusterWide": '["daemonset/default/agent"]' },
        },
    ],
    ["the node's metadata blocked", { config: { "quarantine:node": '{"blockMetadata":true}' } }],
    [
        "stolen credentials of every kind",
        {
            config: {
                "quarantine:credentials": JSON.stringify([
                    "serviceaccount:default/web",
                    "gsa:web-app@acme-prod.iam.gserviceaccount.com",
                    "user:mallory@acme.com",
                    "key:web-app@acme-prod.iam.gserviceaccount.com/0123456789abcdef0123456789abcdef01234567",
                ]),
            },
        },
    ],
    ["stolen secrets", { config: { "quarantine:secrets": '["default/db-credentials"]' } }],
];

/** Each shape at each level, with the acknowledgement the destructive levels need. */
export const CASES: readonly [string, Scenario][] = LEVELS.flatMap((level) =>
    SHAPES.map(([shape, s]): [string, Scenario] => [`${level}: ${shape}`, { ...s, config: { ...s.config, "quarantine:level": level, "quarantine:confirm": "incident-42" } }]),
);

function add(seen: Seen, key: string, where: string): void {
    const set = seen.get(key) ?? new Set<string>();
    set.add(where);
    seen.set(key, set);
}

/** Adds what one run declared, read and invoked, and what its scripts call, to `into`. */
export function collect(result: RunResult, where: string, into: IncidentNeeds): void {
    for (const r of result.resources) {
        // A component resource is only a grouping in state: the engine calls no provider for it.
        if (!r.custom) continue;
        add(into.types, r.type, `${where}: ${r.name}`);
        if (r.type !== "command:local:Command") continue;
        for (const phase of ["create", "delete"] as const) {
            if (typeof r.inputs[phase] !== "string") continue;
            const needs = scriptNeeds(r.inputs[phase], r.inputs.environment ?? {});
            needs.gcloud.forEach((p) => add(into.gcloud, p, `${where}: ${r.name} (${phase})`));
            needs.kubectl.forEach((k) => add(into.kubectl, k, `${where}: ${r.name} (${phase})`));
        }
    }
    for (const i of result.invokes) {
        add(into.types, i.token, `${where}: invoke`);
        if (i.token !== "command:local:run") continue;
        const needs = scriptNeeds(String(i.inputs.command), i.inputs.environment ?? {});
        needs.gcloud.forEach((p) => add(into.gcloud, p, `${where}: read script`));
        needs.kubectl.forEach((k) => add(into.kubectl, k, `${where}: read script`));
    }
}

/** Runs every case and collects what the program needs. */
export async function incidentNeeds(): Promise<IncidentNeeds> {
    const needs: IncidentNeeds = { types: new Map(), gcloud: new Map(), kubectl: new Map() };
    for (const [where, scenario] of CASES) collect((await run(scenario)).result, where, needs);
    return needs;
}
