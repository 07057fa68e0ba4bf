import { PRESTAGED_RULE_IDS, PRESTAGED_TAGS, prestagedRuleName } from "../components/readiness/prestagedRules";
import { runIncident, type RunResult } from "../tools/mockEngine/engine";
import { SAMPLE_PROJECT, scaledCluster } from "../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../tools/mockEngine/scenario";
import type { NodeIsolationMode } from "../stacks/config";
import { analyse, MACHINES, model } from "./criticalPath";
import type { Tools } from "./latency";
import { MODES } from "./scenario";

/**
 * Issue #13.4's goal, modelled: the node's cut-off with a readiness stack that pre-stages the
 * quarantine firewall, beside the same incident without one. Printed by `npm run bench` after
 * the main table.
 */

const STACK = "organization/quarantine-readiness/readiness-bench";
const SIZES = [1, 10, 50] as const;

function run(pods: number, mode: NodeIsolationMode, readiness: boolean): Promise<RunResult> {
    const base = scaledCluster(pods);
    const rules = Object.fromEntries(PRESTAGED_RULE_IDS.map((id) => [id, prestagedRuleName("default", id)]));
    const cluster = readiness
        ? {
              ...base,
              readinessStacks: {
                  [STACK]: {
                      prestagedContainment: { version: 1, project: SAMPLE_PROJECT, isolationTag: PRESTAGED_TAGS.isolation, bastionTag: PRESTAGED_TAGS.bastion, networks: [{ network: "default", rules }] },
                  },
              },
          }
        : base;
    const config = { "quarantine:nodeIsolation": mode, ...(readiness ? { "quarantine:readinessStack": STACK } : {}) };
    return runIncident(sampleScenario({ cluster, level: "isolate", config }));
}

const fmt = (n: number | undefined) => (n === undefined ? "n/a" : String(n));
const secs = (n: number | undefined) => (n === undefined ? "n/a" : `${n.toFixed(1)} s`);

export async function prestagedSection(tools: Tools): Promise<string> {
    const lines = [
        "### Pre-staged containment (a readiness stack)",
        "",
        "Node cut-off: operations deep, and modelled seconds on the laptop machine, at `isolate`.",
        "",
        "| mode | pods | depth today | depth with readiness | laptop today | laptop with readiness |",
        "|---|---|---|---|---|---|",
    ];
    for (const mode of MODES) {
        for (const pods of SIZES) {
            // One after the other: the mock engine's runtime is global.
            const today = await run(pods, mode, false);
            const ready = await run(pods, mode, true);
            const d = (r: RunResult) => analyse(r).depths.nodeIsolated;
            const t = (r: RunResult) => model(r, MACHINES.laptop, tools).nodeIsolated;
            lines.push(`| ${mode} | ${pods} | ${fmt(d(today))} | ${fmt(d(ready))} | ${secs(t(today))} | ${secs(t(ready))} |`);
        }
    }
    return `${lines.join("\n")}\n`;
}
