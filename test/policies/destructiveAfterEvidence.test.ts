import { describe, expect, it } from "vitest";
import { destructiveAfterEvidence } from "../../policies/rules/destructiveAfterEvidence";
import { stackArgs, stackViolations, UNKNOWN, urnOf, type Declared } from "./args";
import { COMMAND, command, DRAIN, firewall, KUBECTL, snapshot } from "./fixtures";

const check = (resources: Declared[]) => stackViolations(destructiveAfterEvidence, stackArgs(resources));
const urn = (d: Declared) => urnOf(d.type, d.name);

const boot = snapshot("n1");
const data = snapshot("n1-data");
const capture = command("pods/default/p/capture", {
    step: "Capture the pod's logs, events and spec as evidence",
    create: `${KUBECTL}k -n "$NAMESPACE" logs "$POD" > "$work/logs.txt"`,
});
const EVIDENCE = [boot, data, capture].map((e) => e.name);
const deletePod = (dependsOn: readonly string[] = EVIDENCE, create = `${KUBECTL}k -n "$NAMESPACE" delete pod "$POD" --wait=false`) =>
    command("pods/default/p/delete", { step: "Delete the compromised pod", create }, { dependsOn });
const missing = (d: Declared, action: string, evidence: Declared) =>
    `${d.name} runs ${action} without waiting for evidence ${evidence.name}: add it to dependsOn, so the evidence is taken before anything is deleted`;

describe("destructive-after-evidence", () => {
    it("passes a delete that waits for every snapshot and capture", async () => {
        expect(await check([boot, data, capture, deletePod()])).toEqual([]);
    });

    it("passes a delete that waits for the evidence through another step", async () => {
        const cordon = command("node/n1/cordon", { create: `${KUBECTL}k cordon "$NODE"` }, { dependsOn: EVIDENCE });
        expect(await check([boot, data, capture, cordon, deletePod([cordon.name])])).toEqual([]);
    });

    it("passes the isolate level's commands: drains and IP removal delete nothing that holds evidence", async () => {
        const drain = command("node/n1/drain", { create: DRAIN });
        const removeIp = command("vm/n1/remove-external-ip", { create: 'gcloud compute instances delete-access-config "$INSTANCE" --access-config-name "$name" --zone "$ZONE" --project "$PROJECT"' });
        expect(await check([boot, drain, removeIp, firewall.egressDeny()])).toEqual([]);
    });

    it("does not count a capture's trap that deletes its own capture pod", async () => {
        const create = `${KUBECTL}pod="$PREFIX-$RANDOM"\ntrap 'k -n "$NS" delete pod "$pod" --ignore-not-found' EXIT\nk -n "$NS" run "$pod" --image="$IMAGE"`;
        const volatile = command("node/n1/volatile", { step: "Capture the node's volatile state", create });
        expect(await check([boot, volatile])).toEqual([]);
    });

    it.each([
        ["kubectl delete of the pod", deletePod([boot.name, data.name]), "kubectl delete", [capture]],
        ["kubectl scale of the workload to 0", command("workload/web", { create: `${KUBECTL}k -n "$NAMESPACE" scale deployment "$WORKLOAD" --replicas=0` }, { dependsOn: [boot.name, capture.name] }), "kubectl scale --replicas=0", [data]],
        ["kubectl scale --replicas 0", command("workload/web", { create: `kubectl scale "$KIND/$WORKLOAD" --replicas 0` }, { dependsOn: [data.name, capture.name] }), "kubectl scale --replicas=0", [boot]],
        ["gcloud deletion of the VM", command("vm/n1/delete", { create: 'gcloud compute instances delete "$INSTANCE" --zone "$ZONE" --project "$PROJECT" --quiet' }), "gcloud compute instances delete", [boot, data, capture]],
        ["deletion of the VM through its group", command("vm/n1/delete", { create: 'gcloud compute instance-groups managed delete-instances "$MIG" --instances "$INSTANCE" --zone "$ZONE"' }, { dependsOn: [boot.name, data.name] }), "gcloud compute instance-groups managed delete-instances", [capture]],
        ["kubectl delete in an update script", command("pods/default/p/x", { create: "true" }, { dependsOn: [boot.name, data.name], props: { update: 'kubectl delete pod "$POD"' } }), "kubectl delete", [capture]],
    ])("refuses %s before all evidence is taken", async (_, d, action, notWaitedFor) => {
        expect(await check([boot, data, capture, d])).toEqual(notWaitedFor.map((e) => ({ urn: urn(d), message: missing(d, action, e) })));
    });

    it("refuses a delete in a stack that captures no evidence at all", async () => {
        const d = deletePod([]);
        expect(await check([firewall.egressDeny(), d])).toEqual([
            { urn: urn(d), message: `${d.name} runs kubectl delete, but the stack captures no evidence first: snapshot the disks (and capture the pod) before anything is deleted` },
        ]);
    });

    it("takes a resource labelled quarantine-evidence for evidence", async () => {
        const manifest = { type: "gcp:storage/bucketObject:BucketObject", name: "42/evidence/manifest", props: { labels: { "quarantine-evidence": "manifest" } } };
        const d = deletePod();
        expect(await check([boot, data, capture, manifest, d])).toEqual([{ urn: urn(d), message: missing(d, "kubectl delete", manifest) }]);
    });

    it("fails closed on a command whose script is unknown at preview: reports it, and takes it for evidence", async () => {
        const opaque = { type: COMMAND, name: "42/opaque", props: { create: UNKNOWN } };
        const d = deletePod([boot.name]);
        expect(await check([boot, opaque, d])).toEqual([
            {
                urn: urn(opaque),
                message:
                    "string value at .create can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
            },
            { urn: urn(d), message: missing(d, "kubectl delete", opaque) },
        ]);
    });

    it("fails closed on labels unknown at preview: the resource is taken for evidence", async () => {
        const unlabelled = { type: "gcp:compute/disk:Disk", name: "42/disk/copy", props: { labels: UNKNOWN } };
        const d = deletePod([boot.name]);
        expect(await check([boot, unlabelled, d])).toEqual([{ urn: urn(d), message: missing(d, "kubectl delete", unlabelled) }]);
    });
});
