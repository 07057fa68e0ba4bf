import { expect } from "vitest";
import { runIncident, waitsFor, type Recorded, type RunResult } from "../tools/mockEngine/engine";
import type { FakeCluster } from "../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../tools/mockEngine/scenario";

export interface Scenario {
    cluster?: FakeCluster;
    /** Extra or overriding config keys. */
    config?: Record<string, string>;
    /** Config used as is (no sample defaults). */
    rawConfig?: Record<string, string>;
    stack?: string;
    preview?: boolean;
    /** The stack's outputs from a previous update. */
    previous?: Record<string, any>;
}

/** Runs the program against the sample incident (the compromised pod only) unless told otherwise. */
export async function run(s: Scenario = {}): Promise<Plan> {
    const sample = sampleScenario({ cluster: s.cluster, config: s.config });
    const cluster = sample.cluster;
    const config = s.rawConfig ?? sample.config;
    const result = await runIncident({ cluster, config, stack: s.stack, preview: s.preview, previous: s.previous });
    return new Plan(result);
}

/** Query helpers over one recorded run. */
export class Plan {
    constructor(readonly result: RunResult) {
        const urns = result.resources.map((r) => r.urn);
        // The mock monitor silently overwrites duplicate URNs; a collision must fail the test.
        expect(new Set(urns).size).toBe(urns.length);
    }

    get resources(): Recorded[] {
        return this.result.resources;
    }

    get outputs(): Record<string, any> {
        return this.result.outputs;
    }

    ofType(type: string): Recorded[] {
        return this.resources.filter((r) => r.type === type && !r.read);
    }

    /** The one resource whose name ends with `suffix`. */
    one(suffix: string): Recorded {
        const hits = this.resources.filter((r) => r.name.endsWith(suffix));
        expect(hits.map((h) => h.name), `exactly one resource named *${suffix}`).toHaveLength(1);
        return hits[0];
    }

    all(suffix: string): Recorded[] {
        return this.resources.filter((r) => r.name.endsWith(suffix));
    }

    /** Every URN `r` waits for, directly or through other resources. */
    waitsFor(r: Recorded): Set<string> {
        return waitsFor(r, new Map(this.resources.map((x) => [x.urn, x])));
    }

    waits(r: Recorded, on: Recorded): boolean {
        return this.waitsFor(r).has(on.urn);
    }

    commands(): Recorded[] {
        return this.ofType("command:local:Command");
    }
}
