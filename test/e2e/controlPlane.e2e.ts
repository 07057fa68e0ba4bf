import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE } from "../../tools/mockEngine/sampleCluster";
import { CLUSTER_BINARIES, skipReason } from "./harness/bin";
import { startControlPlane, type ControlPlane } from "./harness/controlPlane";
import { waitFor } from "./harness/proc";
import { blockingPdb, sampleObjects } from "./harness/sampleObjects";

// Smoke test of the harness's control plane: the pieces the scenarios rely on really run.
// kwok makes the node Ready and the pods Running, the ReplicaSet and Deployment controllers adopt
// the sample pod, and the disruption controller observes the PDB, so an eviction of the protected
// pod is refused with 429 while the unprotected one is evicted and goes away.

const CONTEXT = "gke_acme-prod_us-central1_prod";
const skip = skipReason("controlPlane.e2e", CLUSTER_BINARIES);

describe.skipIf(skip !== undefined)("the e2e control plane", () => {
    let cp: ControlPlane;
    const jsonpath = async (args: string[], path: string) => (await cp.kubectlOk([...args, "-o", `jsonpath=${path}`])).trim();

    beforeAll(async () => {
        cp = await startControlPlane({ context: CONTEXT });
        console.info(`control plane ready in ${cp.startMs} ms (${cp.dir})`);
        await cp.seed([...sampleObjects(), blockingPdb("web")]);
    });
    afterAll(async () => {
        await cp?.stop();
    });

    it("writes a kubeconfig whose context is the stack's", async () => {
        expect(await cp.kubectlOk(["config", "current-context"])).toBe(`${CONTEXT}\n`);
    });

    it("the sample node is Ready and its pods Running", async () => {
        await waitFor("node Ready", 60_000, async () =>
            (await jsonpath(["get", "node", SAMPLE_NODE], '{.status.conditions[?(@.type=="Ready")].status}')) === "True" ? true : undefined,
        );
        for (const p of ["compromised-pod", "bystander"]) {
            await waitFor(`${p} Running`, 60_000, async () => ((await jsonpath(["get", "pod", p], "{.status.phase}")) === "Running" ? true : undefined));
        }
        expect(await jsonpath(["get", "node", SAMPLE_NODE], "{.spec.providerID}")).toBe(`gce://acme-prod/us-central1-a/${SAMPLE_NODE}`);
    });

    it("the sample pod is owned by ReplicaSet web-5d9f, owned by Deployment web", async () => {
        await waitFor("pod adopted", 60_000, async () =>
            (await jsonpath(["get", "pod", "compromised-pod"], "{.metadata.ownerReferences[0].name}")) === "web-5d9f" ? true : undefined,
        );
        await waitFor("replicaset adopted", 60_000, async () =>
            (await jsonpath(["get", "rs", "web-5d9f"], "{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}")) ===
            "Deployment/web"
                ? true
                : undefined,
        );
        // Still the sample pod: the Deployment kept the adopted ReplicaSet instead of replacing it.
        expect(await jsonpath(["get", "pods", "-l", "app=web"], "{.items[*].metadata.name}")).toBe("compromised-pod");
    });

    it("the eviction API refuses the PDB-protected pod with 429; a drain evicts the rest", async () => {
        await waitFor("PDB observed", 60_000, async () =>
            (await jsonpath(["get", "pdb", "web-pdb"], "{.status.currentHealthy}/{.status.disruptionsAllowed}")) === "1/0" ? true : undefined,
        );
        const eviction = { apiVersion: "policy/v1", kind: "Eviction", metadata: { namespace: "default", name: "compromised-pod" } };
        const refused = await cp.kubectl(["create", "--raw", "/api/v1/namespaces/default/pods/compromised-pod/eviction", "-f", "-", "-v=6"], {
            input: JSON.stringify(eviction),
        });
        expect(refused.code).not.toBe(0);
        // kubectl -v=6 logs each response: the POST to the eviction subresource got 429.
        expect(refused.stderr).toMatch(/verb="POST" url="[^"]*\/pods\/compromised-pod\/eviction" status="429 Too Many Requests"/);
        expect(refused.stderr).toContain("would violate the pod's disruption budget");

        // The quarantine's own drain command shape: everything but the quarantine-labelled pods.
        const drain = await cp.kubectl(
            ["drain", SAMPLE_NODE, "--pod-selector=!quarantine", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=15s"],
            { timeoutMs: 60_000 },
        );
        expect(drain.code).not.toBe(0);
        expect(`${drain.stdout}${drain.stderr}`).toContain("Cannot evict pod as it would violate the pod's disruption budget");
        expect(await jsonpath(["get", "node", SAMPLE_NODE], "{.spec.unschedulable}")).toBe("true");
        // The bystander had no PDB: evicted, and kwok removed it as a kubelet would.
        await waitFor("bystander gone", 30_000, async () => ((await cp.kubectl(["get", "pod", "bystander"])).code !== 0 ? true : undefined));
        expect(await jsonpath(["get", "pod", "compromised-pod"], "{.status.phase}")).toBe("Running");
    });
});
