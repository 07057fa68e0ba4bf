import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { scriptHeader } from "../../../core/stepHeader";
import type { Recorded } from "../../../tools/mockEngine/engine";
import { imageCluster, SAMPLE_IMAGE_NODE, SAMPLE_NODE, SAMPLE_TOOL_DIGEST } from "../../../tools/mockEngine/sampleCluster";
import { sampleScenario } from "../../../tools/mockEngine/scenario";
import type { Level } from "../../../core/levels";
import { Plan, run } from "../../harness";

/** quarantine:images (seed 003, "Malicious Container Image"), run against the fake cluster. */
const cluster = imageCluster();
const compromised = cluster.pods[0];
const NGINX = "docker.io/library/nginx:1.25";
const TOOL = `ghcr.io/acme/tool@${SAMPLE_TOOL_DIGEST}`;
const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";

function config(extra: Record<string, string> = {}, level?: Level): Record<string, string> {
    return sampleScenario({ cluster, pods: [compromised], level, config: { "quarantine:images": JSON.stringify(["nginx:1.25", TOOL]), ...extra } }).config;
}
const patched = (plan: Plan) => plan.ofType("kubernetes:core/v1:PodPatch").map((r) => `${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`).sort();

describe("pods found by a blocked image", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ cluster, rawConfig: config() });
    });

    it("are quarantined beside the named pod: by tag, by normalised name in an init container, by the digest only the status shows", () => {
        expect(patched(plan)).toEqual(["batch/report-1", "default/compromised-pod", "default/web-2", "payments/miner-1"]);
        // Never a similar tag, a pod that is not scheduled, or a bystander.
        expect(plan.resources.filter((r) => r.read && r.type === "kubernetes:core/v1:Pod").map((r) => r.inputs.id).sort()).toEqual(patched(plan));
    });

    it("handle each node once, however many pods it runs", () => {
        expect(plan.ofType("kubernetes:core/v1:NodePatch").map((r) => r.inputs.metadata.name).sort()).toEqual([SAMPLE_IMAGE_NODE, SAMPLE_NODE].sort());
        expect(plan.all("/tag").filter((r) => r.custom)).toHaveLength(2);
        expect(plan.outputs.nodes.map((n: { node: string; pods: string[] }) => [n.node, n.pods.sort()])).toEqual([
            [SAMPLE_NODE, ["default/compromised-pod", "default/web-2"]],
            [SAMPLE_IMAGE_NODE, ["batch/report-1", "payments/miner-1"]],
        ]);
    });

    it("are listed by node in the imagePods output, with the blocked image each matched", () => {
        expect(plan.outputs.imagePods).toEqual({
            [SAMPLE_NODE]: [{ pod: "default/web-2", images: [NGINX] }],
            [SAMPLE_IMAGE_NODE]: [
                { pod: "batch/report-1", images: [NGINX] },
                { pod: "payments/miner-1", images: [TOOL] },
            ],
        });
        expect(plan.outputs.blockedImages).toEqual([NGINX, TOOL]);
    });

    it("are captured like named pods, and the cluster's image inventory is evidence in the custody manifest", () => {
        for (const p of patched(plan)) expect(plan.all(`/capture/pod/${p}`).filter((r) => r.custom), p).toHaveLength(1);
        const inventory = plan.one("/capture/images");
        expect([scriptHeader(inventory.inputs.create).kind, scriptHeader(inventory.inputs.create).script]).toEqual(["capture", "capture-images"]);
        expect(inventory.inputs.environment.PREFIX).toBe("incident-42/cluster");
        const manifest = plan.outputs.custodyManifest as { artifacts: { what: string; object: string }[] };
        expect(manifest.artifacts.filter((a) => a.object.includes("/incident-42/cluster/")).map((a) => a.what)).toEqual([
            "Capture evidence of every image running in the cluster, with its digest (to scan)",
        ]);
    });

    it("warns about the pod that uses the image but is not scheduled: admission can't stop it", () => {
        expect(plan.result.warnings.join("\n")).toContain(
            "default/web-pending uses blocked image docker.io/library/nginx:1.25 but is not scheduled, so it has no node to quarantine: the admission policy can't stop an existing pod",
        );
    });

    it("shows the same in preview, where the listing is read too", async () => {
        const preview = await run({ cluster, rawConfig: config(), preview: true });
        expect(preview.outputs.imagePods).toEqual(plan.outputs.imagePods);
        expect(patched(preview)).toEqual(patched(plan));
    });
});

describe("the merge with quarantine:pods", () => {
    it("quarantines a pod that is both named and running a blocked image once", async () => {
        const web2 = cluster.pods[2];
        const plan = await run({ cluster, rawConfig: sampleScenario({ cluster, pods: [compromised, web2], config: { "quarantine:images": '["nginx:1.25"]' } }).config });
        expect(patched(plan)).toEqual(["batch/report-1", "default/compromised-pod", "default/web-2"]);
        expect(plan.all("/capture/pod/default/web-2").filter((r) => r.custom)).toHaveLength(1);
    });

    it("leaves out a pod named in quarantine:imageExclude", async () => {
        const plan = await run({ cluster, rawConfig: config({ "quarantine:imageExclude": '["batch/report-1"]' }) });
        expect(patched(plan)).toEqual(["default/compromised-pod", "default/web-2", "payments/miner-1"]);
        expect(plan.outputs.imagePods[SAMPLE_IMAGE_NODE]).toEqual([{ pod: "payments/miner-1", images: [TOOL] }]);
    });

    it("works with quarantine:images alone", async () => {
        const plan = await run({ cluster, rawConfig: sampleScenario({ cluster, pods: [], config: { "quarantine:images": '["ghcr.io/acme/tool"]' } }).config });
        expect(patched(plan)).toEqual(["payments/miner-1"]);
        expect(plan.outputs.nodes.map((n: { node: string }) => n.node)).toEqual([SAMPLE_IMAGE_NODE]);
    });
});

describe("the image block", () => {
    it("is a ValidatingAdmissionPolicy and its binding: pods, ephemeral containers and every workload kind, CREATE and UPDATE, Fail, Deny and Audit, no params", async () => {
        const plan = await run({ cluster, rawConfig: config() });
        const [policy] = plan.ofType(VAP);
        const [binding] = plan.ofType(BINDING);
        expect(policy.inputs.metadata.name).toBe("quarantine-42-block-images");
        expect(policy.inputs.spec.failurePolicy).toBe("Fail");
        expect(policy.inputs.spec.paramKind).toBeUndefined();
        expect(policy.inputs.spec.matchConstraints.resourceRules.map((r: { apiGroups: string[]; resources: string[]; operations: string[] }) => [r.apiGroups, r.resources, r.operations])).toEqual([
            [[""], ["pods", "pods/ephemeralcontainers"], ["CREATE", "UPDATE"]],
            [["apps"], ["deployments", "statefulsets", "daemonsets", "replicasets"], ["CREATE", "UPDATE"]],
            [["batch"], ["jobs", "cronjobs"], ["CREATE", "UPDATE"]],
        ]);
        expect(policy.inputs.spec.validations[0].messageExpression).toContain("quarantine incident 42");
        const blocked = policy.inputs.spec.variables.find((v: { name: string }) => v.name === "blocked").expression;
        expect(blocked.match(/matches\('[^']*'\)/g)).toHaveLength(2);
        expect(binding.inputs.spec).toEqual({ policyName: "quarantine-42-block-images", validationActions: ["Deny", "Audit"] });
    });

    it("is declared from isolate up, not at observe (which warns that nothing is blocked)", async () => {
        const observe = await run({ cluster, rawConfig: config({ "quarantine:level": "observe" }) });
        expect(observe.ofType(VAP)).toEqual([]);
        expect(observe.result.warnings.join("\n")).toContain("quarantine:level observe does not block docker.io/library/nginx:1.25");
        expect(observe.one("/capture/images").custom).toBe(true);
    });

    it("does not delay the pods' isolation or the node's cut-off, and waits for nothing itself", async () => {
        const plan = await run({ cluster, rawConfig: config() });
        const block = [...plan.ofType(VAP), ...plan.ofType(BINDING)];
        expect(plan.waitsFor(block[0])).toEqual(new Set());
        const isolation = [...plan.ofType("kubernetes:core/v1:PodPatch"), ...plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy"), ...plan.all("/tag"), ...plan.all("/remove-external-ip")];
        expect(isolation.length).toBeGreaterThan(8);
        for (const r of isolation) for (const b of block) expect(plan.waits(r, b), `${r.name} after ${b.name}`).toBe(false);
        // Declared after the pods' isolation: the engine starts steps in the order they arrive.
        const order = plan.resources.map((r) => r.urn);
        expect(order.indexOf(block[0].urn)).toBeGreaterThan(Math.max(...plan.ofType("kubernetes:core/v1:PodPatch").map((r) => order.indexOf(r.urn))));
    });
});

describe("redeploy", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ cluster, rawConfig: config({}, "redeploy") });
    });

    it("deletes each pod found by image after every snapshot and capture (the image inventory too), the manifest and the block", () => {
        const evidence = [...plan.ofType("gcp:compute/snapshot:Snapshot"), ...plan.commands().filter((c) => scriptHeader(c.inputs.create).kind === "capture"), plan.one("/custody/manifest")];
        const block = [...plan.ofType(VAP), ...plan.ofType(BINDING)];
        expect(evidence.map((e) => e.name)).toContain("42/capture/images");
        for (const pod of ["default/web-2", "batch/report-1", "payments/miner-1"]) {
            const del: Recorded = plan.one(`/escalate/redeploy/${pod}`);
            for (const e of [...evidence, ...block]) expect(plan.waits(del, e), `${del.name} after ${e.name}`).toBe(true);
        }
        expect(plan.outputs.oneWayActions).toContain("deleted pod payments/miner-1");
    });

    it("says in preview that their controllers can't bring the image back past the admission policy", () => {
        expect(plan.result.warnings.join("\n")).toContain("their controllers can't bring the image back past the admission policy quarantine-42-block-images");
    });

    it("is remembered: once the pods are deleted, a later update keeps their nodes quarantined", async () => {
        expect(plan.outputs.memory.imagePods.sort()).toEqual(["batch/report-1", "default/web-2", "payments/miner-1"]);
        const after = { ...cluster, pods: cluster.pods.filter((p) => !["web-2", "report-1", "miner-1"].includes(p.name)) };
        const next = await run({ cluster: after, rawConfig: config({}, "redeploy"), previous: plan.outputs });
        expect(next.outputs.nodes.map((n: { node: string }) => n.node).sort()).toEqual([SAMPLE_IMAGE_NODE, SAMPLE_NODE].sort());
        expect(next.all("/tag").filter((r) => r.custom)).toHaveLength(2);
    });
});

describe("refused before anything is registered", () => {
    async function refusal(cfg: Record<string, string>): Promise<{ message: string; declared: Recorded[]; error: unknown }> {
        try {
            await run({ cluster, rawConfig: cfg });
        } catch (e) {
            return { message: (e as Error).message, declared: (e as { recorded: Recorded[] }).recorded.filter((r) => !r.read), error: e };
        }
        throw new Error("the program accepted what it should refuse");
    }

    it.each([
        ['["NGINX:1.25"]', 'quarantine:images[0] "NGINX:1.25" is not an image reference: the repository part "NGINX" is not lowercase letters and digits'],
        ['["nginx@sha256:1234"]', 'quarantine:images[0] "nginx@sha256:1234" is not an image reference: the digest "sha256:1234" is not sha256:<64 lowercase hex>'],
        [`["nginx:1.25", "ghcr.io/x/y:-bad"]`, 'quarantine:images[1] "ghcr.io/x/y:-bad" is not an image reference: the tag "-bad"'],
        [`["nginx:1.25'); rm -rf /"]`, "quarantine:images[0] \"nginx:1.25'); rm -rf /\" is not an image reference"],
        ['["nginx", "docker.io/library/nginx"]', 'quarantine:images[1] "docker.io/library/nginx" is quarantine:images[0] again once normalised'],
        ['["busybox"]', 'quarantine:capture.debugImage "busybox:1.36" is blocked by quarantine:images (docker.io/library/busybox)'],
        ["nginx", 'quarantine:images "nginx" must be a list of image references'],
    ])("quarantine:images %s", async (images, expected) => {
        const r = await refusal(config({ "quarantine:images": images }));
        expect(r.message).toContain(expected);
        expect(r.declared).toEqual([]);
        expect(pulumi.RunError.isInstance(r.error)).toBe(true);
    });

    it("quarantine:imageExclude without quarantine:images, or naming a pod of quarantine:pods", async () => {
        const alone = await refusal(sampleScenario({ cluster, pods: [compromised], config: { "quarantine:imageExclude": '["default/web-2"]' } }).config);
        expect(alone.message).toContain('quarantine:imageExclude ["default/web-2"] excludes pods from quarantine:images, which is unset');
        const both = await refusal(config({ "quarantine:imageExclude": '["default/compromised-pod"]' }));
        expect(both.message).toContain('quarantine:imageExclude[0] "default/compromised-pod" is also in quarantine:pods');
        expect([...alone.declared, ...both.declared]).toEqual([]);
    });

    it("an image that only an excluded pod runs, with nothing else to quarantine", async () => {
        const r = await refusal(sampleScenario({ cluster, pods: [], config: { "quarantine:images": '["ghcr.io/acme/tool"]', "quarantine:imageExclude": '["payments/miner-1"]' } }).config);
        expect(r.message).toContain('quarantine:images ["ghcr.io/acme/tool"] matches only pods that quarantine:imageExclude excludes or that are not scheduled (payments/miner-1): there is no node to quarantine');
        expect(r.declared).toEqual([]);
    });

    it("an image that no pod runs, naming quarantine:images", async () => {
        const r = await refusal(config({ "quarantine:images": '["ghcr.io/nobody/nothing:1"]' }));
        expect(r.message).toContain('quarantine:images ["ghcr.io/nobody/nothing:1"] matches no pod in the cluster');
        expect(r.declared).toEqual([]);
    });
});
