import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE } from "../../tools/mockEngine/sampleCluster";
import type { ControlPlane } from "./harness/controlPlane";
import type { GoogleFakes } from "./harness/googleFakes";
import { MIG, POD, skipE2e, startIncident, text, UP_TIMEOUT_MS, ZONE, type IncidentWorld } from "./harness/incident";
import { evictions, getJson, MANAGED_POD, OTHER_NODE, pods } from "./harness/isolateScenario";
import { waitFor } from "./harness/proc";
import type { Project } from "./harness/stack";

// Issue 12, scenario 1: `isolate`, after-drain, the way README.md's walkthrough runs it. The real
// CLI runs the real program on a real control plane (kwok nodes); Google Cloud is the Compute,
// Storage and Kubernetes Engine fakes, reached by the STAND-IN gcp provider and by the real gcloud
// the commands run. Every assertion is on the cluster or the fakes afterwards, never on the
// CLI's progress output. Run: npx vitest run --config vitest.e2e.config.mts test/e2e/isolate.e2e.ts

const TAG = "quarantine-42";
const skip = skipE2e("isolate.e2e");

/** `pulumi stack export`'s resources with their outputs. */
async function stackResources(project: Project): Promise<{ urn: string; type: string; outputs: Record<string, any> }[]> {
    return JSON.parse((await project.cli.ok(["stack", "export", "--show-secrets"])).stdout).deployment?.resources ?? [];
}

describe.skipIf(skip !== undefined)("scenario 1: isolate after-drain, then destroy", () => {
    let world: IncidentWorld;
    let cp: ControlPlane;
    let gcp: GoogleFakes;
    let project: Project;
    /** Whether `--policy-pack policies` ran under this CLI and language host (see the preview test). */
    let policyPack = true;
    let outputs: Record<string, any> = {};
    const vm = () => world.vm();

    beforeAll(async () => {
        // The example stack's config on scenario 1's cluster (harness/incident.ts).
        world = await startIncident();
        ({ cp, gcp, project } = world);
    });

    afterAll(async () => world?.close());

    it("preview --diff (with the policy pack if it runs) changes nothing", async () => {
        let r = world.keep("preview-policy-pack", await project.preview({ policyPack: true, timeoutMs: 300_000 }));
        if (r.code !== 0 && /policy pack .* failed to start/.test(text(r))) {
            // Recorded, not hidden: the reason is printed for the report, and the run goes on without it.
            console.warn(`isolate.e2e: preview --policy-pack policies failed (exit ${r.code}); running without the pack:\n${text(r).slice(-3000)}`);
            policyPack = false;
            r = world.keep("preview", await project.preview({ timeoutMs: 300_000 }));
        }
        expect(r.code, text(r)).toBe(0);
        expect(await cp.kubectlOk(["get", "networkpolicies", "-A", "-o", "name"])).toBe("");
        expect((await getJson(cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBeUndefined();
        expect(gcp.compute.effects).toEqual([]);
        expect(gcp.storage.effects).toEqual([]);
    });

    it("up --yes: pod labelled and selected by the deny-all, other pods evicted, node cordoned, VM cut off, evidence taken", async () => {
        const t0 = Date.now();
        const r = world.keep("up", await project.up({ policyPack, timeoutMs: UP_TIMEOUT_MS }));
        console.log(`isolate.e2e: pulumi up took ${((Date.now() - t0) / 1000).toFixed(1)} s (exit ${r.code}, policy pack ${policyPack ? "on" : "off"})`);
        const o = await project.outputs();
        outputs = o.values ?? {};
        expect(r.code, text(r)).toBe(0);

        // The pod: the runbook's label and the incident's, its other labels detached; the deny-all selects it.
        const pod = await getJson(cp, ["pod", "-n", "default", POD]);
        expect(pod.metadata.labels).toEqual({ quarantine: "true", "quarantine/incident": "42" });
        const np = await getJson(cp, ["networkpolicy", "-n", "default", "quarantine-42-deny-all"]);
        expect(np.spec).toEqual({ podSelector: { matchLabels: { "quarantine/incident": "42" } }, policyTypes: ["Ingress", "Egress"] });
        const selected = await cp.kubectlOk(["get", "pods", "-n", "default", "-l", "quarantine/incident=42", "-o", "jsonpath={.items[*].metadata.name}"]);
        expect(selected).toBe(POD);

        // The other pod on the node left through the eviction API (the apiserver's audit log: only
        // kubectl drain evicts) and its ReplicaSet replaced it on the other node; the detached
        // pod's ReplicaSet replaced that one too. Nothing evicted the quarantined pod.
        const evicted = evictions(cp);
        expect(evicted.map((e) => e.pod)).toEqual([`${MANAGED_POD.namespace}/${MANAGED_POD.name}`]);
        expect(evicted[0].userAgent).toMatch(/^kubectl\//);
        const now = await pods(cp);
        expect(now[`${MANAGED_POD.namespace}/${MANAGED_POD.name}`]).toBeUndefined();
        expect(Object.entries(now).filter(([, p]) => p.node === SAMPLE_NODE).map(([k]) => k)).toEqual([`default/${POD}`]);
        const replacedOn = (prefix: string) => Object.entries(now).filter(([k, p]) => k.startsWith(prefix) && p.node === OTHER_NODE).length;
        expect(replacedOn(`default/${MANAGED_POD.replicaSet}-`)).toBe(1);
        expect(replacedOn("default/web-5d9f-")).toBe(1);
        expect(outputs.drains).toEqual({ [SAMPLE_NODE]: `drained ${SAMPLE_NODE}` });

        // The node: cordoned and labelled under investigation.
        const node = await getJson(cp, ["node", SAMPLE_NODE]);
        expect(node.spec.unschedulable).toBe(true);
        expect(node.metadata.labels["quarantine/investigation"]).toBe("true");

        // The VM: out of its group, tagged, without an external IP, protected from deletion.
        expect(gcp.compute.state.migs[MIG].members).not.toContain(SAMPLE_NODE);
        expect(gcp.compute.state.migs[MIG].targetSize).toBe(0);
        expect(vm().tags.items).toEqual(["gke-prod-node", TAG]);
        expect(vm().nic.accessConfigs).toEqual([]);
        expect(vm().deletionProtection).toBe(true);

        // The deny rules, with their inputs, and the bastion's SSH rules.
        const rules = Object.values(gcp.compute.state.firewalls!);
        const rule = (suffix: string) => rules.find((x) => x.name.startsWith(`quarantine-42-${suffix}`));
        expect(rule("egress-deny")).toMatchObject({ direction: "EGRESS", priority: 0, denied: [{ IPProtocol: "all" }], destinationRanges: ["0.0.0.0/0"], targetTags: [TAG] });
        expect(rule("ingress-deny")).toMatchObject({ direction: "INGRESS", priority: 1, denied: [{ IPProtocol: "all" }], sourceRanges: ["0.0.0.0/0"], targetTags: [TAG] });
        expect(rule("ssh-bastion")).toMatchObject({ direction: "INGRESS", priority: 0, sourceTags: [`${TAG}-bastion`], targetTags: [TAG] });
        const bastions = Object.values(gcp.compute.state.instances).filter((v) => v.name !== SAMPLE_NODE);
        expect(bastions.map((b) => [b.tags.items, b.nic.accessConfigs])).toEqual([[[`${TAG}-bastion`], []]]);
        expect(rule("iap-bastion")).toMatchObject({ direction: "INGRESS", priority: 1000, sourceRanges: ["35.235.240.0/20"], targetTags: [`${TAG}-bastion`] });

        // Evidence: a snapshot per disk, the bucket, the manifest object, and what was not captured.
        const snapshots = Object.values(gcp.compute.state.snapshots!);
        expect(snapshots.map((s) => s.sourceDisk.split("/").pop()).sort()).toEqual([SAMPLE_NODE, `${SAMPLE_NODE}-data`]);
        expect([...outputs.snapshotNames].sort()).toEqual(snapshots.map((s) => s.name).sort());
        expect(snapshots.every((x) => x.labels?.["quarantine-incident"] === "42" && x.labels?.["quarantine-evidence"] === "disk")).toBe(true);
        // The run's random part, from the random stand-in, names the bucket and every snapshot.
        const run = (await stackResources(project)).find((x) => x.type === "random:index/randomId:RandomId")!.outputs;
        expect(run).toMatchObject({ byteLength: 4, keepers: { incident: "42" }, hex: expect.stringMatching(/^[0-9a-f]{8}$/) });
        expect(Buffer.from(run.id, "base64url").toString("hex")).toBe(run.hex);
        expect(run.dec).toBe(String(parseInt(run.hex, 16)));
        expect(outputs.evidenceBucket).toBe(`acme-prod-q-42-${run.hex}`);
        expect(snapshots.every((x) => x.name.startsWith(`q-42-${run.hex}-`))).toBe(true);
        expect(gcp.storage.state.buckets[outputs.evidenceBucket].resource).toMatchObject({
            location: "US-CENTRAL1",
            iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: "enforced" },
            retentionPolicy: { retentionPeriod: String(90 * 86400), isLocked: false },
        });
        expect(gcp.storage.state.buckets[outputs.evidenceBucket].resource.versioning?.enabled).not.toBe(true);
        const manifest = gcp.storage.object(outputs.evidenceBucket, outputs.custodyManifestObject);
        expect(manifest).toBeDefined();
        expect(JSON.parse(manifest!.data)).toEqual(outputs.custodyManifest);
        const notCaptured = outputs.custodyManifest.notCaptured.map((n: any) => `${n.what}: ${n.notCaptured}`);
        console.log(`isolate.e2e: custody manifest: ${outputs.custodyManifest.artifacts.length} artifacts, not captured:\n  ${notCaptured.join("\n  ")}`);
        // kwok runs no containers: the logs and the capture pod's output can't be read, and the manifest says so.
        expect(notCaptured).toContainEqual(expect.stringMatching(/^logs of container app: /));
        expect(notCaptured).toContainEqual(expect.stringMatching(/^node volatile state: .*capture pod's output could not be read/));
        // Every artifact the manifest lists was uploaded by the real `gcloud storage cp`, and its
        // sha256 is that of the bytes in the bucket.
        const whats = outputs.custodyManifest.artifacts.map((a: any) => a.what).sort();
        expect(whats).toEqual(["events of the node", "events of the pod", "kubectl describe pod", "node object", "pod object", "what the pod's service account may do"]);
        for (const a of outputs.custodyManifest.artifacts) {
            const obj = gcp.storage.object(outputs.evidenceBucket, a.object.replace(`gs://${outputs.evidenceBucket}/`, ""));
            expect(obj, a.object).toBeDefined();
            expect(createHash("sha256").update(obj!.data).digest("hex"), a.object).toBe(a.sha256);
        }
        expect(gcp.storage.object(outputs.evidenceBucket, outputs.custodyManifest.artifacts.find((a: any) => a.what === "pod object").object.split("/").slice(3).join("/"))!.data).toMatch(/name: compromised-pod/);
        expect(outputs.custodyManifest.snapshots).toHaveLength(2);
        expect(gcp.violations()).toEqual([]);
    });

    it("destroy --yes: node, pod labels, VM tags and IP restored; deny rules gone; snapshots, bucket and manifest kept", async () => {
        const ipBefore = "203.0.113.7";
        const t0 = Date.now();
        const r = world.keep("destroy", await project.destroy({ timeoutMs: UP_TIMEOUT_MS }));
        console.log(`isolate.e2e: pulumi destroy took ${((Date.now() - t0) / 1000).toFixed(1)} s (exit ${r.code})`);
        expect(r.code, text(r)).toBe(0);

        const node = await getJson(cp, ["node", SAMPLE_NODE]);
        expect(node.spec.unschedulable).toBeUndefined();
        expect(node.metadata.labels["quarantine/investigation"]).toBeUndefined();
        const pod = await getJson(cp, ["pod", "-n", "default", POD]);
        expect(pod.metadata.labels).toEqual({ app: "web", "pod-template-hash": "5d9f" });
        // Its ReplicaSet re-adopted it and scaled its replacement away (see scenarioObjects).
        expect(pod.metadata.ownerReferences?.map((r: any) => `${r.kind}/${r.name}`)).toEqual(["ReplicaSet/web-5d9f"]);
        await waitFor("the web replacement gone", 30_000, async () => (Object.keys(await pods(cp)).some((k) => k.startsWith("default/web-5d9f-")) ? undefined : true));
        expect(await cp.kubectlOk(["get", "networkpolicies", "-A", "-o", "name"])).toBe("");

        expect(vm().tags.items).toEqual(["gke-prod-node"]);
        // An ephemeral IP can't come back: the VM gets a new one.
        expect(vm().nic.accessConfigs).toHaveLength(1);
        expect(vm().nic.accessConfigs[0].natIP).not.toBe(ipBefore);
        expect(vm().deletionProtection).toBe(false);
        // One-way: the VM stays out of its group.
        expect(gcp.compute.state.migs[MIG].members).not.toContain(SAMPLE_NODE);
        expect(Object.keys(gcp.compute.state.firewalls!)).toEqual([]);
        expect(Object.keys(gcp.compute.state.instances)).toEqual([`${ZONE}/${SAMPLE_NODE}`]);

        expect(Object.values(gcp.compute.state.snapshots!).map((s) => s.name).sort()).toEqual([...outputs.snapshotNames].sort());
        expect(gcp.storage.state.buckets[outputs.evidenceBucket]).toBeDefined();
        expect(gcp.storage.object(outputs.evidenceBucket, outputs.custodyManifestObject)).toBeDefined();
        expect((await project.resources()).filter((x) => x.type !== "pulumi:pulumi:Stack")).toEqual([]);
        expect(gcp.violations()).toEqual([]);
    });
});
