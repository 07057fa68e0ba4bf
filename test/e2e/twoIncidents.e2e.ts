import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { configureStack, expectCutOff, setConfig, skipE2e, startIncident, text, UP_TIMEOUT_MS, type IncidentWorld } from "./harness/incident";
import { getJson, scenarioObjects } from "./harness/isolateScenario";
import { sampleObjects } from "./harness/sampleObjects";

// Issue 12, scenario 4: two incidents on one node. incident-42 quarantines default/compromised-pod;
// incident-43 quarantines the sample's bare `bystander` pod on the same node (the drain of 42
// leaves a pod without a controller where it is). Destroying 42 must leave the node cordoned, the
// VM tagged quarantine-43, without an external IP and protected from deletion, and 43's
// NetworkPolicy in place; destroying 43 then gives the node back. Under the real kubernetes
// provider 43's cordon fails (see the todos), so only what holds before it is asserted.
// Run: npx vitest run --config vitest.e2e.config.mts test/e2e/twoIncidents.e2e.ts

const skip = skipE2e("twoIncidents.e2e");
const BYSTANDER = sampleCluster().pods[1];

describe.skipIf(skip !== undefined)("scenario 4: two incidents on one node", () => {
    let w: IncidentWorld;
    const bystander = sampleObjects().find((o: any) => o.kind === "Pod" && o.metadata.name === BYSTANDER.name)!;
    const timed = async (name: string, run: () => Promise<{ code: number | null; stdout: string; stderr: string }>) => {
        const t0 = Date.now();
        const r = w.keep(name, await run());
        console.log(`twoIncidents.e2e: ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s (exit ${r.code})`);
        expect(r.code, text(r)).toBe(0);
    };
    const node = () => getJson(w.cp, ["node", SAMPLE_NODE]);

    beforeAll(async () => {
        w = await startIncident({ objects: [...scenarioObjects(), bystander] });
    });
    afterAll(async () => w?.close());

    it("up incident-42, then incident-43 on a pod of the same node: 43's pod is labelled and under its own deny-all, the node stays cut off", async () => {
        await timed("up-42", () => w.project.up({ timeoutMs: UP_TIMEOUT_MS }));
        expectCutOff(w, "42");
        // The drain left the bare pod on the node.
        expect((await getJson(w.cp, ["pod", "-n", BYSTANDER.namespace, BYSTANDER.name])).spec.nodeName).toBe(SAMPLE_NODE);
        await configureStack(w.project, "incident-43");
        await setConfig(w.project, { "quarantine:pods[0]": `${BYSTANDER.namespace}/${BYSTANDER.name}` });
        // Its exit code is the finding below (todo): not asserted here.
        const t0 = Date.now();
        const r = w.keep("up-43", await w.project.up({ timeoutMs: UP_TIMEOUT_MS }));
        console.log(`twoIncidents.e2e: up-43 took ${((Date.now() - t0) / 1000).toFixed(1)} s (exit ${r.code})`);
        const labels = (await getJson(w.cp, ["pod", "-n", BYSTANDER.namespace, BYSTANDER.name])).metadata.labels;
        expect(labels).toMatchObject({ quarantine: "true", "quarantine/incident": "43" });
        const np = await getJson(w.cp, ["networkpolicy", "-n", "default", "quarantine-43-deny-all"]);
        expect(np.spec).toEqual({ podSelector: { matchLabels: { "quarantine/incident": "43" } }, policyTypes: ["Ingress", "Egress"] });
        expect(await w.cp.kubectlOk(["get", "pods", "-n", "default", "-l", "quarantine/incident=43", "-o", "jsonpath={.items[*].metadata.name}"])).toBe(BYSTANDER.name);
        expectCutOff(w, "42");
        expect((await node()).spec.unschedulable).toBe(true);
        expect(w.gcp.violations()).toEqual([]);
    });

    // FINDING (see test/e2e/README.md): 43's NodePatch cordon fails, "Server-Side Apply field conflict
    // ... conflict with "quarantine-42": .metadata.annotations.pulumi.com/patchFieldManager", and
    // the engine then starts no new step: no drain, no quarantine-43 tag, no remove-external-ip.
    // Not asserted until that is fixed: 43's own cut-off, and destroying 42 while 43 holds the
    // node (test/e2e/README.md, Findings).
});
