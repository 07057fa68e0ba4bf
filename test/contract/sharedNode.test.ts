import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIncident, type RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../tools/mockEngine/scenario";
import { Fakes } from "../fakes/tools";
import { Quarantine } from "./runner";
import { CONTEXT } from "./scenario";

/**
 * Two incidents cordon one node (issue #17.1): each incident's NodePatch is a server-side apply
 * with its own field manager, so both own `spec.unschedulable` and the investigation label, as the
 * API server records them. Destroying one incident leaves the node cordoned for the other.
 */

const cluster = sampleCluster();
let f: Fakes;
let plans: RunResult[];
beforeAll(async () => {
    const planOf = (id: string) => {
        const stack = `incident-${id}`;
        return runIncident({ cluster, config: sampleScenario({ cluster, pods: [cluster.pods[0]], stack }).config, stack });
    };
    plans = [await planOf("42"), await planOf("43")];
    f = await Fakes.start(cluster, CONTEXT);
});
afterAll(async () => f?.close());

const node = () => f.kube.get("nodes", "", SAMPLE_NODE);

describe("one node cordoned by two incidents", () => {
    it("stays cordoned and labelled when one incident's cordon is deleted, and is released with the last", async () => {
        const [q42, q43] = plans.map((p) => new Quarantine(p, f));
        await q42.run(q42.step("/cordon"), "create");
        await q43.run(q43.step("/cordon"), "create");
        await q42.run(q42.step("/cordon"), "delete");
        expect([node().spec.unschedulable, node().metadata.labels["quarantine/investigation"]]).toEqual([true, "true"]);
        await q43.run(q43.step("/cordon"), "delete");
        expect(node().spec.unschedulable ?? false).toBe(false);
        expect(node().metadata.labels["quarantine/investigation"]).toBeUndefined();
    });
});
