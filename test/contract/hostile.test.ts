import { existsSync } from "fs";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig, LEVELS } from "../../stacks/config";
import { runIncident, type RunResult } from "../../tools/mockEngine/engine";
import { sampleCluster, SAMPLE_NODE, type FakeCluster } from "../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../tools/mockEngine/scenario";
import type { Call } from "../fakes/http";
import { Fakes } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * A pod, node or namespace name, or a label value, is data an attacker may shape. Config
 * validation refuses the hostile ones; and should one get past it, every script still passes it
 * to the real gcloud and kubectl as one argument, which the fakes then see whole, in the one
 * place it belongs. A canary file proves no shell ever ran any part of it.
 */

/** Each value with a marker: any request text that contains the marker must contain the whole value. */
const HOSTILE: readonly [string, string][] = [
    ['$(touch "$CANARY")', "touch"],
    ['`touch "$CANARY"`', "touch"],
    ['x; touch "$CANARY"', "touch"],
    [`q'uo"te`, "uo"],
    ["new\nline", "line"],
    ["-dash", "dash"],
];
/** All of them in one name: with "-dash", the values the (slow) gcloud scripts are run with. */
const COMBINED: [string, string] = ['a$(touch "$CANARY")`touch "$CANARY"`; touch "$CANARY" q\'uo"te\nline', "touch"];
const ALL: readonly [string, string][] = [...HOSTILE, COMBINED];
const GCLOUD_VALUES = new Set([COMBINED[0], "-dash"]);

describe("config validation", () => {
    const base = sampleScenario({ verifyCluster: false }).config;
    it.each(HOSTILE)("refuses %j as a pod name and as a namespace", (v) => {
        for (const pod of [`default/${v}`, `${v}/web`]) {
            expect(() => parseConfig({ ...base, "quarantine:pods": JSON.stringify([pod]) }, "incident-42"), pod).toThrow(ConfigError);
        }
    });

    // Node names come from the cluster (the pod's spec.nodeName), not from config: discovery checks them.
    it("refuses a node name read from the cluster that is not a Kubernetes name", async () => {
        const s = sampleCluster();
        const bad = 'gke-x$(touch "$CANARY")';
        const cluster: FakeCluster = { ...s, pods: [{ ...s.pods[0], node: bad }], nodes: [{ ...s.nodes[0], name: bad }] };
        await expect(runIncident({ cluster, config: sampleScenario({ cluster, pods: [cluster.pods[0]], verifyCluster: false }).config })).rejects.toThrow(
            `node ${JSON.stringify(bad)} (the pod's spec.nodeName) is not a valid Kubernetes node name; refusing to pass it to kubectl or gcloud`,
        );
    });
});

/** The sample incident with every name (and the pod's label value) replaced by `v`. */
function hostileCluster(v: string): FakeCluster {
    const s = sampleCluster();
    return {
        ...s,
        pods: [{ namespace: v, name: v, node: v, labels: { app: v, tier: "web" } }],
        nodes: [{ ...s.nodes[0], name: v }],
        owned: [],
    };
}

const VARS: Record<string, string[]> = { POD: ["pods"], NAMESPACE: ["namespaces"], NODE: ["nodes"], INSTANCE: ["instances"] };

describe("hostile names that get past validation, through gcloud and kubectl", () => {
    let plan: RunResult;
    const seen = new Map<string, { calls: Call[]; canary: string; violations: string[] }>();
    const fakes: Fakes[] = [];

    beforeAll(async () => {
        // The highest level declares every command of the ladder.
        plan = await planFor(LEVELS[LEVELS.length - 1]);
        await Promise.all(
            ALL.map(async ([v]) => {
                const f = await Fakes.start(hostileCluster(v), CONTEXT);
                fakes.push(f);
                const q = new Quarantine(plan, f);
                const canary = join(f.dir, "canary");
                const commands = q.commands().filter((s) => GCLOUD_VALUES.has(v) || !/\bgcloud\b/.test(`${s.resource.inputs.create}${s.resource.inputs.delete}`));
                for (const s of commands) {
                    const env: Record<string, string> = { CANARY: canary };
                    for (const k of Object.keys(VARS)) if (k in s.resource.inputs.environment) env[k] = v;
                    for (const phase of ["create", "delete"] as const) {
                        // Failing is fine (a name may be refused); running any part of it is not.
                        await q.run(s, phase, env).catch(() => undefined);
                    }
                }
                seen.set(v, { calls: [...f.compute.calls, ...f.kube.calls], canary, violations: f.violations() });
            }),
        );
    }, 240_000);
    afterAll(async () => Promise.all(fakes.map((f) => f.close())));

    it("substitutes into the commands of the sample's node", () => {
        const names = plan.resources.filter((r) => r.type === "command:local:Command").map((r) => r.name);
        expect(names.some((n) => n.includes(SAMPLE_NODE))).toBe(true);
    });

    it.each(ALL)("%j never runs: no canary", (v) => {
        expect(existsSync(seen.get(v)!.canary)).toBe(false);
    });

    it.each(ALL)("%j reaches the APIs only whole (marker %j)", (v, marker) => {
        const texts = seen.get(v)!.calls.flatMap((c) => [...c.path.split("/").map(decodeURIComponent), ...Object.values(c.query), ...strings(c.body)]);
        const split = texts.filter((t) => t.includes(marker) && !t.includes(v));
        expect(split).toEqual([]);
        expect(seen.get(v)!.violations).toEqual([]);
    });

    it.each(ALL)("%j is passed as the pod, namespace, node (and instance) it stands for", (v) => {
        const calls = seen.get(v)!.calls;
        for (const [variable, [collection]] of Object.entries(VARS)) {
            if (variable === "INSTANCE" && !GCLOUD_VALUES.has(v)) continue;
            const hit = calls.some((c) => {
                const seg = c.path.split("/").map(decodeURIComponent);
                return seg.some((s, i) => s === collection && seg[i + 1] === v);
            });
            expect(hit, `$${variable} reached the API as ${collection}/${JSON.stringify(v)}`).toBe(true);
        }
    });
});

/** Every string in a JSON body, keys included. */
function strings(x: unknown): string[] {
    if (typeof x === "string") return [x];
    if (x && typeof x === "object") return Object.entries(x).flatMap(([k, v]) => [k, ...strings(v)]);
    return [];
}
