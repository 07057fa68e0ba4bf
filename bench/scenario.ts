import { runIncident, type RunResult } from "../tools/mockEngine/engine";
import { scaledCluster } from "../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../tools/mockEngine/scenario";
import { LEVELS, type Level } from "../core/levels";
import type { NodeIsolationMode } from "../stacks/config";

/** The incident sizes the issue asks for: N compromised pods over ⌈N/4⌉ nodes. */
export const SIZES = [1, 10, 50, 200] as const;
export const MODES: readonly NodeIsolationMode[] = ["after-drain", "immediate"];

export interface Scenario {
    readonly pods: number;
    readonly mode: NodeIsolationMode;
    readonly level: Level;
}

/**
 * Levels to measure: `isolate` (what a responder applies first) and, once the escalation ladder
 * exists, the deepest level this release supports, so destructive steps are picked up without
 * touching the bench.
 */
export function benchLevels(): Level[] {
    const deepest = LEVELS[LEVELS.length - 1];
    return deepest && deepest !== "isolate" && deepest !== "observe" ? ["isolate", deepest] : ["isolate"];
}

export function nodesFor(pods: number): number {
    return scaledCluster(pods).nodes.length;
}

/** Runs the program under the recording mock engine, as `pulumi up` (not a preview) would. */
export function runScenario(s: Scenario): Promise<RunResult> {
    return runIncident(sampleScenario({ cluster: scaledCluster(s.pods), level: s.level, config: { "quarantine:nodeIsolation": s.mode } }));
}
