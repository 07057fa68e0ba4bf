import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIncident, type RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../tools/mockEngine/scenario";
import { Fakes } from "../fakes/tools";
import { ApplyConflict, Quarantine, type Step } from "./runner";
import { CONTEXT } from "./scenario";

/**
 * Two incidents cordon one node (issue #17.1): each incident's NodePatch is a server-side apply
 * under the field manager the provider names for it, so both own `spec.unschedulable` and the
 * investigation label, as the API server records them. Destroying one incident leaves the node
 * cordoned for the other. The same under the real provider and API server:
 * test/e2e/twoIncidents.e2e.ts.
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

    it("refuses a second cordon whose pulumi.com/patchFieldManager annotation differs, as the real API server did", async () => {
        // The provider applies its own annotations with the object: two incidents naming their
        // managers there apply two values of one field (test/e2e/README.md, Findings).
        const named = (s: Step, manager: string): Step => {
            const metadata = { ...s.resource.inputs.metadata, annotations: { "pulumi.com/patchFieldManager": manager } };
            return { ...s, resource: { ...s.resource, inputs: { ...s.resource.inputs, metadata } } };
        };
        const [q42, q43] = plans.map((p) => new Quarantine(p, f));
        const [c42, c43] = [named(q42.step("/cordon"), "quarantine-42"), named(q43.step("/cordon"), "quarantine-43")];
        await q42.run(c42, "create");
        const refused = q43.run(c43, "create");
        await expect(refused).rejects.toThrow(ApplyConflict);
        await expect(refused).rejects.toThrow('Apply failed with 1 conflict: conflict with "quarantine-42": .metadata.annotations.pulumi.com/patchFieldManager');
        await q42.run(c42, "delete");
        expect(node().spec.unschedulable ?? false).toBe(false);
    });
});
