import { describe, expect, it } from "vitest";
import { CordonDrain } from "../../components/cordonDrain";
import { declared, mockEngine, StandIn, urns } from "./componentMocks";

const engine = mockEngine();

const node = "gke-prod-pool-1-abcdef-zgt8";
const labelled = [new StandIn("label-web"), new StandIn("label-api")];
const cordonDrain = new CordonDrain("t", { node, kubeContext: "gke_acme-prod_us-central1_prod", drainTimeout: "5m", podsLabelled: labelled });
const immediate = new CordonDrain("t-immediate", { node, kubeContext: "ctx", drainTimeout: "5m", bestEffort: true, podsLabelled: [] });

describe("CordonDrain", () => {
    it("cordons the node under the field manager the provider names per Patch, never forced", async () => {
        const cordon = await engine.registrationOf(cordonDrain.cordon);
        expect(cordon.type).toBe("kubernetes:core/v1:NodePatch");
        expect(cordon.inputs.metadata.name).toBe(node);
        expect(cordon.inputs.spec).toEqual({ unschedulable: true });
        // No pulumi.com/patchFieldManager (nor patchForce): the provider applies the annotation as a
        // field, and a second incident's other value for it would conflict (test/e2e/twoIncidents.e2e.ts).
        expect(cordon.inputs.metadata.annotations).toBeUndefined();
    });

    it("labels the node as under investigation, with the label every incident shares", async () => {
        const cordon = await engine.registrationOf(cordonDrain.cordon);
        expect(cordon.inputs.metadata.labels).toEqual({ "quarantine/investigation": "true" });
    });

    it("the drain waits for the cordon and for the pods' labels", async () => {
        const drain = await engine.registrationOf(cordonDrain.drain);
        expect(new Set(drain.dependencies)).toEqual(new Set(await urns([cordonDrain.cordon, ...labelled])));
    });

    it("declares the drain as an isolation step built from drain.create.sh, which destroy can't undo", async () => {
        const h = declared(await engine.registrationOf(cordonDrain.drain));
        expect(h.kind).toBe("isolation");
        expect(h.script).toBe("drain");
        expect(h.destroy).toMatch(/^one-way: /);
    });

    it("hands the drain its context, node and timeout through the environment", async () => {
        const drain = await engine.registrationOf(cordonDrain.drain);
        expect(drain.inputs.environment).toMatchObject({
            CONTEXT: "gke_acme-prod_us-central1_prod",
            NODE: node,
            TIMEOUT: "5m",
            QUARANTINE_STEP: "Drain every pod but the quarantined ones (bounded; the node is cut off when it ends)",
        });
    });

    it("says the drain is best effort when the node is cut off at once", async () => {
        const drain = await engine.registrationOf(immediate.drain);
        expect(declared(drain).step).toBe("Drain every pod but the quarantined ones (best effort: the node is already cut off)");
    });

    it("declares exactly the cordon and the drain, as its children", async () => {
        expect((await engine.children(cordonDrain)).map((r) => r.name).sort()).toEqual(["t/cordon", "t/drain"]);
    });
});
