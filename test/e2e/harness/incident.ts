import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { SAMPLE_NODE, sampleCluster } from "../../../tools/mockEngine/sampleCluster";
import { CLUSTER_BINARIES, KUBERNETES_PROVIDER, PULUMI_BINARIES, skipReason } from "./bin";
import { startControlPlane, type ControlPlane } from "./controlPlane";
import { startGoogleFakes, type GoogleFakes } from "./googleFakes";
import { CONTEXT, pods, scenarioObjects, setExampleConfig } from "./isolateScenario";
import { waitFor, type RunResult } from "./proc";
import { COMMAND_STAND_IN, GCP_STAND_IN, KUBERNETES, RANDOM_STAND_IN } from "./pulumiCli";
import { newProject, type Project } from "./stack";

/**
 * One incident's world, as scenario 1 (isolate.e2e.ts) builds it and scenarios 3–5 reuse it: the
 * Compute, Storage and Kubernetes Engine fakes seeded from the mock engine's sample cluster, a
 * fresh control plane (audit log on, the capture pod's kwok stage) seeded with `objects` and
 * waited on until every seeded pod runs, and the project copy with the kubernetes provider and
 * the command, gcp and random stand-ins, its stack initialised and configured as the README's
 * walkthrough does (the example stack's keys).
 */

export const ZONE = "us-central1-a";
export const POD = "compromised-pod";
export const MIG = `${ZONE}/gke-cluster-pool-1-abcdeffff-grp`;
export const UP_TIMEOUT_MS = 480_000;
export const ALL_BINARIES = [...PULUMI_BINARIES, ...CLUSTER_BINARIES, KUBERNETES_PROVIDER] as const;
/** Why a scenario file must skip, or undefined (printed once, by `skipReason`). */
export const skipE2e = (suite: string) => skipReason(suite, ALL_BINARIES);

export const text = (r: RunResult) => `${r.stdout}\n${r.stderr}`;

export interface IncidentWorld {
    readonly cp: ControlPlane;
    readonly gcp: GoogleFakes;
    readonly project: Project;
    /** The quarantined node's VM in the Compute fake. */
    vm(): NonNullable<ReturnType<GoogleFakes["compute"]["instance"]>>;
    /** Runs the CLI call and keeps its output beside the project copy (QUARANTINE_E2E_KEEP=1 keeps it). */
    keep(name: string, r: RunResult): RunResult;
    close(): Promise<void>;
}

export interface IncidentOptions {
    /** The cluster's objects; default `scenarioObjects()` (scenario 1's). */
    objects?: Record<string, any>[];
    /** Environment for the CLI and its plugins, beside the fakes' (e.g. the random stand-in's). */
    env?: Record<string, string>;
    /** The stack to init and configure with the example's keys; default incident-42. */
    stack?: string;
    /** Config set after the example's, `--path` keys (e.g. `quarantine:drainTimeout`). */
    config?: Record<string, string>;
}

const CONTROLLERS = new Set(["ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);

export async function startIncident(opts: IncidentOptions = {}): Promise<IncidentWorld> {
    const objects = opts.objects ?? scenarioObjects();
    const gcp = await startGoogleFakes(sampleCluster());
    let cp: ControlPlane | undefined;
    let project: Project | undefined;
    try {
        cp = await startControlPlane({ context: CONTEXT, auditLog: true, stages: [path.join(__dirname, "kwok-capture-stage.yaml")] });
        const c = cp;
        // Pods first, controllers once the pods run: a ReplicaSet whose first sync comes before its
        // informer has seen the seeded (orphan) pods creates one of its own, then deletes one of
        // the two, sometimes the seeded one, and the scenario's names no longer exist.
        const controller = (o: Record<string, any>) => CONTROLLERS.has(o.kind);
        await c.seed(objects.filter((o) => !controller(o)));
        const seeded = objects.filter((o) => o.kind === "Pod").map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
        const running = async () => {
            const p = await pods(c);
            return seeded.every((k) => p[k]?.phase === "Running");
        };
        await waitFor("seeded pods Running before their controllers", 90_000, async () => (await running()) || Promise.reject(new Error("not yet")));
        await c.seed(objects.filter(controller));
        await waitFor("seeded pods Running", 90_000, async () => {
            const p = await pods(c);
            if (seeded.every((k) => p[k]?.phase === "Running") && Object.keys(p).length === seeded.length) return true;
            // What waitFor reports if it times out.
            throw new Error(JSON.stringify(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, `${v.phase} on ${v.node}`]))));
        });
        project = await newProject({ kubeconfigPath: c.kubeconfigPath, plugins: [KUBERNETES, COMMAND_STAND_IN, GCP_STAND_IN, RANDOM_STAND_IN], env: { ...gcp.env, ...opts.env } });
        await configureStack(project, opts.stack ?? "incident-42", opts.config);
    } catch (e) {
        project?.cleanup();
        await cp?.stop();
        await gcp.close();
        throw e;
    }
    const p = project;
    return {
        cp,
        gcp,
        project: p,
        vm: () => gcp.compute.instance(ZONE, SAMPLE_NODE)!,
        keep(name, r) {
            writeFileSync(path.join(p.dir, "..", `${name}.log`), text(r));
            return r;
        },
        async close() {
            p.cleanup();
            await cp?.stop();
            await gcp.close();
        },
    };
}

/** `pulumi stack init <stack>`, the example's config, then `config` (each a `--path` set). */
export async function configureStack(project: Project, stack: string, config: Record<string, string> = {}): Promise<void> {
    const init = await project.stackInit(stack);
    if (init.code !== 0) throw new Error(`pulumi stack init ${stack}: exit ${init.code}\n${text(init)}`);
    await setExampleConfig(project);
    await setConfig(project, config);
}

export async function setConfig(project: Project, config: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(config)) {
        const r = await project.configSet(key, value, { path: true });
        if (r.code !== 0) throw new Error(`pulumi config set ${key}: exit ${r.code}\n${text(r)}`);
    }
}

/**
 * The node's cut-off, on the Compute fake: the VM carries the incident's tag and has no external
 * IP, and the deny rules that make the tag mean something target it.
 */
export function expectCutOff(world: IncidentWorld, id = "42"): void {
    const tag = `quarantine-${id}`;
    expect(world.vm().tags.items, "the VM is tagged").toContain(tag);
    expect(world.vm().nic.accessConfigs, "the VM has no external IP").toEqual([]);
    const rules = Object.values(world.gcp.compute.state.firewalls ?? {});
    const deny = (direction: string) => rules.filter((r) => r.direction === direction && r.denied?.length && r.targetTags?.includes(tag)).map((r) => r.name);
    expect(deny("EGRESS"), "an egress deny rule targets the tag").toHaveLength(1);
    expect(deny("INGRESS"), "an ingress deny rule targets the tag").toHaveLength(1);
}
