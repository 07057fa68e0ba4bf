import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import type { Fault } from "../fakes/http";
import { Fakes } from "../fakes/tools";
import { Quarantine, StepFailed } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * A step that fails says why in one line, naming the object (issue #10.4): the engine prints a
 * failed command's stderr in the update's summary, and a responder under stress reads its last
 * line first. Each case makes one API call of a step fail, as the real API can.
 */

let plan: RunResult;
let fakes: Fakes;
beforeAll(async () => {
    plan = await planFor("isolate");
    fakes = await Fakes.start(sampleCluster(), CONTEXT);
});
afterAll(async () => fakes?.close());

const cases: [string, string, Fault, RegExp][] = [
    ["/tag", "instances.setTags", "412", new RegExp(`^could not tag VM ${SAMPLE_NODE} with quarantine-42: .*fingerprint`)],
    ["/remove-external-ip", "instances.deleteAccessConfig", "500", new RegExp(`^could not remove the external IP of VM ${SAMPLE_NODE}: .*Internal error`)],
    ["/abandon", "instanceGroupManagers.abandonInstances", "500", /^could not abandon VM .* from instance group gke-cluster-pool-1-abcdeffff-grp: .*Internal error/],
];

describe.sequential("a failed step's last line", () => {
    it.each(cases)("%s, when %s answers %s, names what it could not do and why", async (suffix, op, fault, line) => {
        const q = new Quarantine(plan, fakes);
        const step = q.step(suffix);
        // Retries would hide a single fault: every call of the operation fails for this case.
        for (let i = 0; i < 10; i++) fakes.compute.arm(op, fault);
        const failure = await q.run(step, "create").then(
            () => undefined,
            (e: unknown) => e,
        );
        fakes.compute.disarm();
        expect(failure).toBeInstanceOf(StepFailed);
        const last = (failure as StepFailed).run.stderr.trim().split("\n").pop();
        expect(last).toMatch(line);
    }, 60_000);
});
