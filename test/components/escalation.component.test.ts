import { describe, expect, it } from "vitest";
import { Escalation, type Workload } from "../../components/escalation";
import { incidentNames } from "../../core/incidentNames";
import { declared, mockEngine, StandIn, urns } from "./componentMocks";

const engine = mockEngine();

const names = incidentNames("42");
const pods = [
    { namespace: "default", name: "web-7d4b9c-x2x9q" },
    { namespace: "batch", name: "nightly-28931-abcde" },
];
const workloads: Workload[] = [
    { namespace: "default", kind: "Deployment", name: "web" },
    { namespace: "batch", kind: "Job", name: "nightly-28931" },
];
const nodes = [{ name: "gke-prod-pool-1-abcdef-zgt8", instance: "gke-prod-pool-1-abcdef-zgt8", zone: "us-central1-a", project: "acme-nodes" }];
const evidence = [new StandIn("snapshot"), new StandIn("capture")];
const nodeQuarantine = [new StandIn("drain"), new StandIn("tag")];
const common = { names, project: "acme-prod", kubeContext: "ctx", pods, workloads, nodes, after: evidence };

const escalation = new Escalation("t", { ...common, level: "delete-node", nodeAfter: nodeQuarantine });
const redeploy = new Escalation("t-redeploy", { ...common, level: "redeploy" });
const deleting = new Escalation("t-delete", { ...common, level: "delete-workload", workloadAction: "delete" });

describe("Escalation", () => {
    it("at redeploy, deletes each compromised pod and touches no workload and no VM", async () => {
        const steps = await engine.children(redeploy);
        expect(steps.map((s) => s.name).sort()).toEqual(["t-redeploy/redeploy/batch/nightly-28931-abcde", "t-redeploy/redeploy/default/web-7d4b9c-x2x9q"]);
        expect(steps.map((s) => [declared(s).kind, declared(s).script, s.inputs.environment.NAMESPACE, s.inputs.environment.POD])).toEqual(
            expect.arrayContaining([
                ["destructive", "redeploy", "default", "web-7d4b9c-x2x9q"],
                ["destructive", "redeploy", "batch", "nightly-28931-abcde"],
            ]),
        );
    });

    it("deletes a pod only after every snapshot and evidence capture", async () => {
        const pod = await engine.child(escalation, "t/redeploy/default/web-7d4b9c-x2x9q");
        expect(new Set(pod.dependencies)).toEqual(new Set(await urns(evidence)));
    });

    it("by default scales a Deployment to zero and suspends a Job, both put back on destroy", async () => {
        const [deployment, job] = await Promise.all([
            engine.child(escalation, "t/workload/default/deployment/web"),
            engine.child(escalation, "t/workload/batch/job/nightly-28931"),
        ]);
        expect([declared(deployment).kind, declared(deployment).script, declared(deployment).destroy]).toEqual([
            "destructive",
            "scale-to-zero",
            "reversed: the replica count recorded in state is restored, unless another incident still holds the workload",
        ]);
        expect([declared(job).kind, declared(job).script, declared(job).destroy]).toEqual([
            "destructive",
            "suspend",
            "reversed: the job's suspend state recorded in state is restored, unless another incident still holds the job",
        ]);
    });

    it("keeps what it stopped in its own state: the step gets its previous stdout back, and its incident", async () => {
        const deployment = await engine.child(escalation, "t/workload/default/deployment/web");
        expect([deployment.inputs.addPreviousOutputInEnv, deployment.inputs.environment.INCIDENT]).toEqual([true, "42"]);
    });

    it("touches a workload only after the evidence and every pod's deletion", async () => {
        const deployment = await engine.child(escalation, "t/workload/default/deployment/web");
        const podSteps = (await engine.children(escalation)).filter((s) => s.name.startsWith("t/redeploy/")).map((s) => s.urn);
        expect(podSteps).toHaveLength(2);
        expect(new Set(deployment.dependencies)).toEqual(new Set([...(await urns(evidence)), ...podSteps]));
    });

    it("with workloadAction delete, deletes the workload for good and says destroy can't bring it back", async () => {
        const deployment = await engine.child(deleting, "t-delete/workload/default/deployment/web");
        expect([declared(deployment).script, deployment.inputs.environment.KIND, deployment.inputs.environment.NAME]).toEqual(["delete-workload", "deployment", "web"]);
        expect(declared(deployment).destroy).toMatch(/^one-way: /);
        expect(deleting.oneWay).toContain("deleted Deployment default/web");
    });

    it("deletes the VM by its own project, zone and instance, only after the evidence, the node's quarantine and every pod and workload step", async () => {
        const vm = await engine.child(escalation, "t/delete-vm/gke-prod-pool-1-abcdef-zgt8");
        const earlier = (await engine.children(escalation)).filter((s) => /^t\/(redeploy|workload)\//.test(s.name)).map((s) => s.urn);
        expect(earlier).toHaveLength(4);
        expect(new Set(vm.dependencies)).toEqual(new Set([...(await urns([...evidence, ...nodeQuarantine])), ...earlier]));
        expect(vm.inputs.environment).toMatchObject({ PROJECT: "acme-nodes", ZONE: "us-central1-a", INSTANCE: "gke-prod-pool-1-abcdef-zgt8" });
    });

    it("deletes the Node object only once its VM is gone", async () => {
        const [vm, node] = await Promise.all([
            engine.child(escalation, "t/delete-vm/gke-prod-pool-1-abcdef-zgt8"),
            engine.child(escalation, "t/delete-node/gke-prod-pool-1-abcdef-zgt8"),
        ]);
        expect(node.dependencies).toEqual([vm.urn]);
        expect([declared(node).kind, declared(node).script, node.inputs.environment.NODE]).toEqual(["destructive", "delete-node-object", "gke-prod-pool-1-abcdef-zgt8"]);
    });

    it("lists for the responder every step destroy can't undo, and no reversible one", () => {
        expect(escalation.oneWay).toEqual([
            "deleted pod default/web-7d4b9c-x2x9q",
            "deleted pod batch/nightly-28931-abcde",
            "deleted VM gke-prod-pool-1-abcdef-zgt8 and its Node object",
        ]);
    });
});
