import { existsSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { configureStack, expectCutOff, setConfig, skipE2e, startIncident, text, UP_TIMEOUT_MS, type IncidentWorld } from "./harness/incident";
import { getJson, scenarioObjects } from "./harness/isolateScenario";
import { sampleObjects } from "./harness/sampleObjects";

// Issue 12, scenario 4: two incidents on one node. incident-42 quarantines default/compromised-pod;
// incident-43 quarantines the sample's bare `bystander` pod on the same node (the drain of 42
// leaves a pod without a controller where it is). Both cordon the node, each under the field
// manager the kubernetes provider names for its NodePatch. Destroying 42 must leave the node
// cordoned and labelled, the VM tagged quarantine-43, without an external IP and protected from
// deletion, and 43's NetworkPolicy in place; destroying 43 then gives the node back.
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
        // On a file backend in the legacy layout, which takes only a bare stack name in a
        // StackReference (stacks/incident/memory.ts); the other scenarios run on the project layout.
        w = await startIncident({ objects: [...scenarioObjects(), bystander], env: { PULUMI_DIY_BACKEND_LEGACY_LAYOUT: "true", PULUMI_DIY_BACKEND_IGNORE_DEPRECATION_WARNING: "true" } });
    });
    afterAll(async () => w?.close());

    it("up incident-42, then incident-43 on a pod of the same node: both updates succeed, 43's pod is labelled and under its own deny-all, the node is cut off for both", async () => {
        await timed("up-42", () => w.project.up({ timeoutMs: UP_TIMEOUT_MS }));
        expectCutOff(w, "42");
        // The legacy layout: stacks by bare name, no meta.yaml; the update read its own stack.
        const bookkeeping = path.join(w.project.cli.stateDir, ".pulumi");
        expect([existsSync(path.join(bookkeeping, "meta.yaml")), existsSync(path.join(bookkeeping, "stacks", "incident-42.json"))]).toEqual([false, true]);
        // The drain left the bare pod on the node.
        expect((await getJson(w.cp, ["pod", "-n", BYSTANDER.namespace, BYSTANDER.name])).spec.nodeName).toBe(SAMPLE_NODE);
        await configureStack(w.project, "incident-43");
        await setConfig(w.project, { "quarantine:pods[0]": `${BYSTANDER.namespace}/${BYSTANDER.name}` });
        await timed("up-43", () => w.project.up({ timeoutMs: UP_TIMEOUT_MS }));
        const labels = (await getJson(w.cp, ["pod", "-n", BYSTANDER.namespace, BYSTANDER.name])).metadata.labels;
        expect(labels).toMatchObject({ quarantine: "true", "quarantine/incident": "43" });
        const np = await getJson(w.cp, ["networkpolicy", "-n", "default", "quarantine-43-deny-all"]);
        expect(np.spec).toEqual({ podSelector: { matchLabels: { "quarantine/incident": "43" } }, policyTypes: ["Ingress", "Egress"] });
        expect(await w.cp.kubectlOk(["get", "pods", "-n", "default", "-l", "quarantine/incident=43", "-o", "jsonpath={.items[*].metadata.name}"])).toBe(BYSTANDER.name);
        expectCutOff(w, "42");
        expectCutOff(w, "43");
        expect([...w.vm().tags.items].sort()).toEqual(["gke-prod-node", "quarantine-42", "quarantine-43"]);
        expect((await node()).spec.unschedulable).toBe(true);
        expect(w.gcp.violations()).toEqual([]);
    });

    it("the two cordons are two field managers that co-own spec.unschedulable and the investigation label, and no pulumi.com annotation is left on the node", async () => {
        const n = await getJson(w.cp, ["node", SAMPLE_NODE, "--show-managed-fields"]);
        expect(cordonManagers(n)).toHaveLength(2);
        expect(Object.keys(n.metadata.annotations ?? {}).filter((k) => k.startsWith("pulumi.com/"))).toEqual([]);
    });

    it("destroy incident-42: the node stays cordoned and labelled, the VM tagged quarantine-43, without external IP and protected, 43's deny-all in place", async () => {
        await timed("destroy-42", () => w.project.destroy({ args: ["--stack", "incident-42"], timeoutMs: UP_TIMEOUT_MS }));
        const n = await getJson(w.cp, ["node", SAMPLE_NODE, "--show-managed-fields"]);
        expect(n.spec.unschedulable).toBe(true);
        expect(n.metadata.labels).toMatchObject({ "quarantine/investigation": "true" });
        expect(cordonManagers(n), "only 43's cordon is left").toHaveLength(1);
        expectCutOff(w, "43");
        expect(w.vm().tags.items).toEqual(["gke-prod-node", "quarantine-43"]);
        expect(w.vm().deletionProtection).toBe(true);
        expect(await w.cp.kubectlOk(["get", "networkpolicy", "-n", "default", "-o", "jsonpath={.items[*].metadata.name}"])).toBe("quarantine-43-deny-all");
        expect((await getJson(w.cp, ["pod", "-n", BYSTANDER.namespace, BYSTANDER.name])).metadata.labels).toMatchObject({ quarantine: "true", "quarantine/incident": "43" });
        expect(w.gcp.violations()).toEqual([]);
    });

    it("destroy incident-43 then: the node is schedulable and unlabelled, the VM untagged, no NetworkPolicy left", async () => {
        await timed("destroy-43", () => w.project.destroy({ args: ["--stack", "incident-43"], timeoutMs: UP_TIMEOUT_MS }));
        const n = await getJson(w.cp, ["node", SAMPLE_NODE, "--show-managed-fields"]);
        expect(n.spec.unschedulable ?? false).toBe(false);
        expect(n.metadata.labels ?? {}).not.toHaveProperty("quarantine/investigation");
        expect(cordonManagers(n)).toEqual([]);
        expect(w.vm().tags.items).toEqual(["gke-prod-node"]);
        // Not the external IP nor deletion protection: 43 recorded 42's quarantine as the VM's
        // state before it, so neither incident gives them back (test/e2e/README.md, Findings).
        expect(await w.cp.kubectlOk(["get", "networkpolicy", "-n", "default", "-o", "jsonpath={.items[*].metadata.name}"])).toBe("");
        expect(w.gcp.violations()).toEqual([]);
    });
});

/** The server-side-apply managers that own the node's `spec.unschedulable` (the cordons). */
function cordonManagers(node: any): string[] {
    return (node.metadata.managedFields ?? [])
        .filter((m: any) => m.operation === "Apply" && m.fieldsV1?.["f:spec"]?.["f:unschedulable"] !== undefined && m.fieldsV1?.["f:metadata"]?.["f:labels"]?.["f:quarantine/investigation"] !== undefined)
        .map((m: any) => m.manager as string);
}
