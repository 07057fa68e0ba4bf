import { readFileSync } from "fs";
import { basename } from "path";
import { load } from "js-yaml";
import { runIncident, type RunOptions } from "../mockEngine/engine";
import { renderPlan } from "./render";
import { renderReadinessPlan } from "./readinessRender";
import { runReadiness } from "./readinessRun";
import { sampleCluster, SAMPLE_NODE, type FakeCluster } from "../mockEngine/sampleCluster";
import { sampleScenario } from "../mockEngine/scenario";

/**
 * `npm run plan [-- stacks/Pulumi.incident-42.example.yaml]`: the containment plan, offline.
 * Without an argument it plans the bundled sample incident (the GKE runbook's node). With a stack
 * config file it plans that config against the sample cluster: its pods are placed on the sample
 * node, so a responder sees what their config would declare before any cloud is involved.
 * `--readiness FILE` plans a readiness stack config (`stacks/readiness/`) the same way.
 */

/** Pulumi stack config (`config:` map) to the flat `allConfig()` shape the program reads. */
export function flattenStackConfig(text: string): Record<string, string> {
    const doc = (load(text) ?? {}) as { config?: Record<string, unknown> };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc.config ?? {})) {
        if (v !== null && typeof v === "object" && "secure" in (v as object)) {
            throw new Error(`${k} is a secret; the offline plan can't decrypt it`);
        }
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

/** The sample cluster, extended so that the config's pods, project and cluster exist in it. */
export function clusterFor(config: Record<string, string>): FakeCluster {
    const base = sampleCluster();
    const project = config["gcp:project"] ?? base.project;
    let refs: unknown = [];
    try {
        refs = JSON.parse(config["quarantine:pods"] ?? "[]");
    } catch {
        // Left to the program's config validation, which names the key.
    }
    const pods = [...base.pods];
    for (const ref of Array.isArray(refs) ? refs : []) {
        const [namespace, name] = String(ref).split("/");
        if (!pods.some((p) => p.namespace === namespace && p.name === name)) {
            pods.push({ namespace, name, node: SAMPLE_NODE, labels: { app: "sample" } });
        }
    }
    const clusters = [...base.clusters];
    try {
        const c = JSON.parse(config["quarantine:cluster"] ?? "null");
        if (c?.name && c?.location) clusters.push({ name: c.name, location: c.location, networkPolicyEnabled: true });
    } catch {
        // As above.
    }
    return { ...base, project, pods, clusters };
}

export function planOptions(file?: string): RunOptions {
    if (!file) {
        return sampleScenario();
    }
    const config = flattenStackConfig(readFileSync(file, "utf8"));
    const stack = /^Pulumi\.(.+?)(\.example)?\.ya?ml$/.exec(basename(file))?.[1] ?? "incident-plan";
    return { cluster: clusterFor(config), stack, config };
}

/**
 * The incident plan as it would run beside readiness stack `stack`, whose outputs an offline run
 * produced: the incident reads them through `quarantine:readinessStack` (set to that stack when
 * the incident config names none), so the plan shows the shorter cut-off.
 */
export function withReadiness(opts: RunOptions, stack: string, outputs: Record<string, any>): RunOptions {
    const name = opts.config["quarantine:readinessStack"] ?? `organization/quarantine-readiness/${stack}`;
    const bucket = typeof outputs.evidenceBucket === "string" ? [outputs.evidenceBucket] : [];
    // Only what the incident reads: the offline readiness run leaves cloud-computed outputs
    // unknown, which a deployed stack's never are.
    const read = { prestagedContainment: outputs.prestagedContainment, ...(bucket.length ? { evidenceBucket: bucket[0] } : {}) };
    return {
        ...opts,
        config: { ...opts.config, "quarantine:readinessStack": name },
        cluster: { ...opts.cluster, buckets: [...(opts.cluster.buckets ?? []), ...bucket], readinessStacks: { ...opts.cluster.readinessStacks, [name]: read } },
    };
}

/** A readiness stack config file: its `allConfig()` shape and its stack name. */
export function readinessOptions(file: string): { config: Record<string, string>; stack: string } {
    const config = flattenStackConfig(readFileSync(file, "utf8"));
    const stack = /^Pulumi\.(.+?)(\.example)?\.ya?ml$/.exec(basename(file))?.[1] ?? "readiness-plan";
    return { config, stack };
}

async function main(argv: string[]): Promise<void> {
    if (argv[0] === "--readiness") {
        if (argv.length !== 2 && argv.length !== 3) {
            throw new Error("usage: npm run plan -- --readiness stacks/readiness/Pulumi.readiness-prod.example.yaml [stacks/Pulumi.incident-42.example.yaml]");
        }
        const { config, stack } = readinessOptions(argv[1]);
        const readiness = await runReadiness(config, stack);
        if (argv.length === 2) {
            process.stdout.write(`${renderReadinessPlan(readiness)}\n`);
            return;
        }
        const result = await runIncident({ ...withReadiness(planOptions(argv[2]), stack, readiness.outputs), preview: true });
        process.stdout.write(`${renderPlan(result)}\n`);
        return;
    }
    const result = await runIncident({ ...planOptions(argv[0]), preview: true });
    process.stdout.write(`${renderPlan(result)}\n`);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: Error) => {
        process.stderr.write(`${e.message}\n`);
        process.exit(1);
    });
}
