import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE } from "../../tools/mockEngine/sampleCluster";
import { expectCutOff, POD, setConfig, skipE2e, startIncident, text, UP_TIMEOUT_MS, ZONE, type IncidentWorld } from "./harness/incident";
import { getJson, MANAGED_POD, OTHER_NODE, pods } from "./harness/isolateScenario";
import { changes, destructive, previewJson, type PreviewDigest } from "./harness/previewPlan";
import { waitFor } from "./harness/proc";

// Issue 12, scenario 2: the escalation ladder one level per `pulumi up` (observe → isolate →
// redeploy → delete-workload → delete-node), then the level lowered again. Before each `up`,
// `pulumi preview --json` (the engine's plan, not its prose) must list exactly the destructive
// steps that level adds; after it, the cluster and the fakes must show them done. The last part
// runs the self-StackReference memory for real: the pod and the VM are gone, and the lower level
// works from what the stack remembers. Scenario 1's world (harness/incident.ts).
// Run: npx vitest run --config vitest.e2e.config.mts test/e2e/escalation.e2e.ts

const skip = skipE2e("escalation.e2e");
const ESCALATE = "42/escalate";
const WEB = { namespace: "default", deployment: "web", replicaSet: "web-5d9f" };

describe.skipIf(skip !== undefined)("scenario 2: escalation one level per up, then lowered", () => {
    let w: IncidentWorld;
    let outputs: Record<string, any> = {};

    /** Sets the level, previews it as JSON, runs `up`, and reads the outputs; returns the preview. */
    async function escalate(level: string): Promise<PreviewDigest> {
        await setConfig(w.project, { "quarantine:level": level });
        const { run, digest } = await previewJson(w.project);
        w.keep(`preview-${level}`, run);
        const t0 = Date.now();
        const r = w.keep(`up-${level}`, await w.project.up({ timeoutMs: UP_TIMEOUT_MS }));
        console.log(`escalation.e2e: up at ${level} took ${((Date.now() - t0) / 1000).toFixed(1)} s (exit ${r.code})`);
        expect(r.code, text(r)).toBe(0);
        outputs = (await w.project.outputs()).values ?? {};
        expect(outputs.level).toBe(level);
        return digest;
    }
    const replicas = async (kind: string, name: string) => (await getJson(w.cp, [kind, "-n", WEB.namespace, name])).spec.replicas;
    const webPods = async () => Object.keys(await pods(w.cp)).filter((k) => k.startsWith(`${WEB.namespace}/${WEB.replicaSet}-`));

    beforeAll(async () => {
        // The example stack's config at observe; the destructive levels' acknowledgement up front,
        // as a responder about to escalate sets it (it changes nothing below redeploy).
        w = await startIncident({ config: { "quarantine:level": "observe", "quarantine:confirm": "incident-42" } });
    });
    afterAll(async () => w?.close());

    it("observe: the preview deletes nothing; up takes the evidence and touches neither pod, node nor VM", async () => {
        const plan = await escalate("observe");
        expect(destructive(plan)).toEqual([]);
        expect(changes(plan).filter((c) => c.op !== "create")).toEqual([]);
        expect(changes(plan).filter((c) => c.type === "kubernetes:core/v1:PodPatch")).toEqual([]);

        expect(Object.values(w.gcp.compute.state.snapshots!)).toHaveLength(2);
        expect(w.gcp.storage.object(outputs.evidenceBucket, outputs.custodyManifestObject)).toBeDefined();
        expect((await getJson(w.cp, ["pod", "-n", "default", POD])).metadata.labels).toEqual({ app: "web", "pod-template-hash": "5d9f" });
        expect(await w.cp.kubectlOk(["get", "networkpolicies", "-A", "-o", "name"])).toBe("");
        expect((await getJson(w.cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBeUndefined();
        expect(w.vm().tags.items).toEqual(["gke-prod-node"]);
        expect(w.vm().nic.accessConfigs).toHaveLength(1);
        expect(w.gcp.violations()).toEqual([]);
    });

    it("isolate: the preview deletes nothing; up cuts the pod and the node off", async () => {
        const plan = await escalate("isolate");
        expect(destructive(plan)).toEqual([]);
        expect(changes(plan).filter((c) => c.op !== "create")).toEqual([]);
        expect(changes(plan).some((c) => c.name.startsWith(ESCALATE))).toBe(false);

        expect((await getJson(w.cp, ["pod", "-n", "default", POD])).metadata.labels).toEqual({ quarantine: "true", "quarantine/incident": "42" });
        expect((await getJson(w.cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBe(true);
        expectCutOff(w);
        expect(w.gcp.violations()).toEqual([]);
    });

    it("redeploy: the preview adds exactly the pod's deletion; up deletes the pod and nothing else", async () => {
        const plan = await escalate("redeploy");
        expect(destructive(plan)).toEqual([`create ${ESCALATE}/redeploy/default/${POD}`]);
        // Nothing of the isolation changes: the VM, read back after its cut-off, is declared as
        // first found (test/e2e/README.md, Findings: this preview used to delete the IP removal).
        expect(changes(plan).map((c) => `${c.op} ${c.name}`).sort()).toEqual([`create ${ESCALATE}`, `create ${ESCALATE}/redeploy/default/${POD}`]);

        await waitFor(`pod ${POD} gone`, 60_000, async () => ((await pods(w.cp))[`default/${POD}`] ? undefined : true));
        expect(outputs.oneWayActions).toContain(`deleted pod default/${POD}`);
        // Its workload and the VM are the next levels'.
        expect(await replicas("deployment", WEB.deployment)).toBe(1);
        expect(w.vm()).toBeDefined();
        expectCutOff(w);
    });

    it("delete-workload: the preview adds exactly the owning Deployment's scale to zero; up stops it, and only it", async () => {
        const plan = await escalate("delete-workload");
        const step = `${ESCALATE}/workload/${WEB.namespace}/deployment/${WEB.deployment}`;
        expect(destructive(plan)).toEqual([`create ${step}`]);
        expect(changes(plan).map((c) => `${c.op} ${c.name}`)).toEqual([`create ${step}`]);

        // The owner came from the stack's memory: the detached pod no longer names it, and it is gone.
        expect(await replicas("deployment", WEB.deployment)).toBe(0);
        await waitFor("the Deployment's pods gone", 60_000, async () => ((await webPods()).length === 0 ? true : undefined));
        // Another workload on the node is not the incident's.
        expect(await replicas("replicaset", MANAGED_POD.replicaSet)).toBe(1);
        expect(w.vm()).toBeDefined();
    });

    it("delete-node: the preview adds exactly the VM's and the Node object's deletion; up deletes both, the evidence stays", async () => {
        const plan = await escalate("delete-node");
        const expected = [`create ${ESCALATE}/delete-node/${SAMPLE_NODE}`, `create ${ESCALATE}/delete-vm/${SAMPLE_NODE}`];
        expect(destructive(plan)).toEqual(expected);
        expect(changes(plan).map((c) => `${c.op} ${c.name}`).sort()).toEqual(expected);

        expect(w.gcp.compute.instance(ZONE, SAMPLE_NODE), "the VM is gone from Compute").toBeUndefined();
        await waitFor("the Node object gone", 30_000, async () => ((await w.cp.kubectlOk(["get", "nodes", "-o", "name"])).includes(SAMPLE_NODE) ? undefined : true));
        expect(await w.cp.kubectlOk(["get", "nodes", "-o", "name"])).toContain(OTHER_NODE);
        expect(Object.values(w.gcp.compute.state.snapshots!).map((s) => s.name).sort()).toEqual([...outputs.snapshotNames].sort());
        expect(w.gcp.storage.object(outputs.evidenceBucket, outputs.custodyManifestObject)).toBeDefined();
        expect(outputs.oneWayActions).toContainEqual(expect.stringMatching(new RegExp(`^deleted VM ${SAMPLE_NODE} `)));
        expect(w.gcp.violations()).toEqual([]);
    });

    it("lowered to isolate: the preview removes only the escalation steps; up works from the stack's memory, restores the Deployment and says what stays gone", async () => {
        const plan = await escalate("isolate");
        expect(destructive(plan)).toEqual([
            `delete ${ESCALATE}/delete-node/${SAMPLE_NODE}`,
            `delete ${ESCALATE}/delete-vm/${SAMPLE_NODE}`,
            `delete ${ESCALATE}/redeploy/default/${POD}`,
            `delete ${ESCALATE}/workload/${WEB.namespace}/deployment/${WEB.deployment}`,
        ]);
        const other = changes(plan).filter((c) => !c.name.startsWith(ESCALATE));
        expect(other, "nothing outside the escalation changes").toEqual([]);
        expect(changes(plan).every((c) => c.op === "delete")).toBe(true);

        // The scale to zero is reversed from its record in state; the deletions are not.
        expect(await replicas("deployment", WEB.deployment)).toBe(1);
        expect(outputs.stillGone).toEqual(expect.arrayContaining([`deleted pod default/${POD}`, expect.stringMatching(new RegExp(`^deleted VM ${SAMPLE_NODE} `))]));
        expect(outputs.memory).toMatchObject({ level: "isolate", podsDeleted: true });
        expect(w.gcp.compute.instance(ZONE, SAMPLE_NODE), "nothing pretends to bring the VM back").toBeUndefined();
        expect((await pods(w.cp))[`default/${POD}`]).toBeUndefined();
        expect(w.gcp.violations()).toEqual([]);
    });
});
