import { beforeAll, describe, expect, it } from "vitest";
import { scriptHeader } from "../../../core/stepHeader";
import { IAP_RANGE } from "../../../core/labels";
import { SAMPLE_NODE } from "../../../tools/mockEngine/sampleCluster";
import { Plan, run } from "../../harness";
import type { Recorded } from "../../../tools/mockEngine/engine";

/** The kind and script file a command declares in its header. */
const declared = (r: Recorded) => {
    const h = scriptHeader(r.inputs.create);
    return { kind: h.kind, script: h.script };
};

/** Each step of the GKE runbook, as the `isolate` level declares it for the sample incident. */
let plan: Plan;
beforeAll(async () => {
    plan = await run();
});

describe("discovery", () => {
    it("reads the named pod and its node, and asks GCE for the node's VM", () => {
        const reads = plan.resources.filter((r) => r.read).map((r) => [r.type, r.inputs.id]);
        expect(reads).toEqual([
            ["pulumi:pulumi:StackReference", "incident-42"],
            ["kubernetes:core/v1:Pod", "default/compromised-pod"],
            ["kubernetes:core/v1:Node", SAMPLE_NODE],
        ]);
        const vm = plan.result.invokes.find((i) => i.token === "gcp:compute/getInstance:getInstance");
        expect(vm?.inputs).toMatchObject({ name: SAMPLE_NODE, zone: "us-central1-a", project: "acme-prod" });
    });
});

describe("forensic snapshots", () => {
    it("snapshots both disks of the node, labelled with the incident, and keeps them on destroy", () => {
        const snaps = plan.ofType("gcp:compute/snapshot:Snapshot");
        expect(snaps.map((s) => s.inputs.sourceDisk.split("/").pop()).sort()).toEqual([SAMPLE_NODE, `${SAMPLE_NODE}-data`]);
        for (const s of snaps) {
            expect(s.retainOnDelete).toBe(true);
            expect(s.inputs.deletionPolicy).toBe("ABANDON");
            expect(s.inputs.labels).toMatchObject({ "quarantine-incident": "42" });
            expect(s.inputs.name).toMatch(/^q-42-9f3c1a2b-gke-cluster-pool-1-abcdeffff-zgt8/);
        }
        expect(plan.outputs.snapshotNames).toEqual(snaps.map((s) => s.inputs.name));
    });
});

describe("pod isolation", () => {
    it("labels the pod quarantine=true and with the incident, by server-side apply, without force", () => {
        const patch = plan.one("/pods/default/compromised-pod/label");
        expect(patch.type).toBe("kubernetes:core/v1:PodPatch");
        expect(patch.inputs.metadata).toEqual({
            name: "compromised-pod",
            namespace: "default",
            labels: { quarantine: "true", "quarantine/incident": "42" },
            annotations: { "pulumi.com/patchFieldManager": "quarantine-42", "pulumi.com/skipAwait": "true", "controller.kubernetes.io/pod-deletion-cost": "2147483647" },
        });
    });

    it("denies all ingress and egress of pods carrying the incident label, in the pod's namespace", () => {
        const np = plan.one("/pods/default/deny-all");
        expect(np.type).toBe("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        expect(np.inputs.metadata).toMatchObject({ name: "quarantine-42-deny-all", namespace: "default" });
        expect(np.inputs.spec).toEqual({
            podSelector: { matchLabels: { "quarantine/incident": "42" } },
            policyTypes: ["Ingress", "Egress"],
        });
    });

    it("detaches the pod from its other labels so no existing policy still selects it", () => {
        const detach = plan.one("/pods/default/compromised-pod/detach");
        expect(detach.inputs.environment).toMatchObject({ POD: "compromised-pod", NAMESPACE: "default" });
        // What the scripts do is the contract suite's to prove (test/contract/levels.test.ts).
        expect(declared(detach)).toEqual({ kind: "isolation", script: "detach" });
        expect(declared(plan.one("/pods/default/policy-check"))).toEqual({ kind: "check", script: "policy-check" });
    });

    it("checks the cluster-wide policies per namespace and the firewall policies per node, and the verdict waits for both", () => {
        const cluster = plan.one("/pods/default/cluster-policy-check");
        const firewall = plan.one(`/vm/${SAMPLE_NODE}/firewall-check`);
        expect(declared(cluster)).toEqual({ kind: "check", script: "cluster-policy-check" });
        expect(declared(firewall)).toEqual({ kind: "check", script: "firewall-check" });
        // After the node's cut-off; only the verdict, the update's last step, waits for it.
        expect(plan.waits(firewall, plan.one(`/vm/${SAMPLE_NODE}/tag`))).toBe(true);
        const verdict = plan.one("/isolation/verdict");
        for (const c of [cluster, firewall]) expect(plan.waits(verdict, c), c.name).toBe(true);
    });
});

describe("cordon and drain", () => {
    it("cordons the node and labels it under investigation, with nothing another incident's cordon would conflict with", () => {
        const cordon = plan.one(`/node/${SAMPLE_NODE}/cordon`);
        expect(cordon.type).toBe("kubernetes:core/v1:NodePatch");
        expect(cordon.inputs.spec).toEqual({ unschedulable: true });
        expect(cordon.inputs.metadata).toEqual({ name: SAMPLE_NODE, labels: { "quarantine/investigation": "true" } });
    });

    it("drains every pod but the quarantined ones, bounded in time, against the configured context", () => {
        const drain = plan.one(`/node/${SAMPLE_NODE}/drain`);
        // The drain's selector, its bound and what it leaves: test/contract/levels.test.ts and drain.test.ts.
        expect(declared(drain)).toEqual({ kind: "isolation", script: "drain" });
        expect(drain.inputs.environment).toMatchObject({
            NODE: SAMPLE_NODE,
            TIMEOUT: "5m",
            CONTEXT: "gke_acme-prod_us-central1_prod",
        });
    });
});

describe("node isolation", () => {
    const rule = (suffix: string) => plan.one(`/firewall/default/${suffix}`).inputs;

    it("denies all egress at priority 0 and all ingress at priority 1, for the incident tag only", () => {
        expect(rule("egress-deny")).toMatchObject({
            network: "default",
            direction: "EGRESS",
            denies: [{ protocol: "all" }],
            destinationRanges: ["0.0.0.0/0"],
            priority: 0,
            targetTags: ["quarantine-42"],
        });
        expect(rule("ingress-deny")).toMatchObject({
            direction: "INGRESS",
            denies: [{ protocol: "all" }],
            sourceRanges: ["0.0.0.0/0"],
            priority: 1,
            targetTags: ["quarantine-42"],
        });
    });

    it("allows only SSH from the bastion to the node, and only IAP to the bastion", () => {
        expect(rule("ssh-bastion")).toMatchObject({
            direction: "INGRESS",
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceTags: ["quarantine-42-bastion"],
            priority: 0,
            targetTags: ["quarantine-42"],
        });
        expect(rule("ssh-bastion").sourceRanges).toBeUndefined();
        expect(rule("iap-bastion")).toMatchObject({
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceRanges: [IAP_RANGE],
            targetTags: ["quarantine-42-bastion"],
        });
    });

    it("abandons the VM from its group, protects it, tags it and removes its external IP", () => {
        const vm = `/vm/${SAMPLE_NODE}/`;
        expect(plan.one(`${vm}abandon`).inputs.environment).toMatchObject({
            MIG: "gke-cluster-pool-1-abcdeffff-grp",
            MIG_SCOPE: "zone",
            MIG_LOCATION: "us-central1-a",
            INSTANCE: SAMPLE_NODE,
            PROJECT: "acme-prod",
        });
        expect(declared(plan.one(`${vm}abandon`))).toEqual({ kind: "isolation", script: "abandon" });
        expect(plan.one(`${vm}protect`).inputs.environment).toMatchObject({ WAS_PROTECTED: "false" });
        expect(plan.one(`${vm}tag`).inputs.environment).toMatchObject({ TAG: "quarantine-42", ZONE: "us-central1-a" });
        expect(declared(plan.one(`${vm}tag`))).toEqual({ kind: "isolation", script: "tag" });
        expect(plan.one(`${vm}remove-external-ip`).inputs.environment).toMatchObject({ EXTERNAL_IP: "203.0.113.7" });
        expect(declared(plan.one(`${vm}remove-external-ip`))).toEqual({ kind: "isolation", script: "remove-external-ip" });
    });
});

describe("bastion", () => {
    it("is a Shielded, OS Login VM in the node's subnetwork with no external IP and no service account", () => {
        const [vm] = plan.ofType("gcp:compute/instance:Instance");
        expect(vm.inputs).toMatchObject({
            zone: "us-central1-a",
            tags: ["quarantine-42-bastion"],
            shieldedInstanceConfig: { enableSecureBoot: true },
            metadata: { "enable-oslogin": "TRUE" },
        });
        expect(vm.inputs.networkInterfaces).toEqual([
            { network: "default", subnetwork: "projects/acme-prod/regions/us-central1/subnetworks/default" },
        ]);
        expect(vm.inputs.serviceAccount).toBeUndefined();
        expect(plan.outputs.bastionSshCommand).toBe(
            `gcloud compute ssh ${vm.inputs.name} --zone us-central1-a --project acme-prod --tunnel-through-iap`,
        );
    });
});

describe("stack outputs", () => {
    it("name the incident, its tag, the evidence and every one-way action", () => {
        expect(plan.outputs).toMatchObject({ incidentId: "42", level: "isolate", isolationTag: "quarantine-42" });
        expect(plan.outputs.oneWayActions).toEqual([
            `abandoned ${SAMPLE_NODE} from managed instance group gke-cluster-pool-1-abcdeffff-grp`,
            `removed external IP 203.0.113.7 from ${SAMPLE_NODE} (an ephemeral address can't be reclaimed)`,
            `drained ${SAMPLE_NODE}: evicted pods were rescheduled on other nodes and do not come back`,
        ]);
    });
});

describe("destroy", () => {
    it("keeps the evidence (snapshots, bucket, manifest) and nothing else", () => {
        const retained = plan.resources.filter((r) => r.retainOnDelete).map((r) => r.type);
        expect(new Set(retained)).toEqual(
            new Set(["gcp:compute/snapshot:Snapshot", "gcp:storage/bucket:Bucket", "gcp:storage/bucketObject:BucketObject"]),
        );
    });

    it("undoes exactly the steps whose destroy line says reversed; the others say why not", () => {
        for (const c of plan.commands()) {
            const destroy = scriptHeader(c.inputs.create).destroy ?? "";
            const undoes = !c.inputs.delete.includes("one-way step, nothing to undo");
            if (undoes) expect(destroy, c.name).toMatch(/^reversed/);
            else expect(destroy, c.name).toMatch(/^(one-way|kept|nothing to undo): /);
        }
    });
});
