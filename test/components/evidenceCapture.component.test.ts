import { describe, expect, it } from "vitest";
import { EvidenceCapture, type EvidenceCaptureArgs } from "../../components/evidenceCapture";
import { incidentNames } from "../../core/incidentNames";
import { scriptHeader } from "../../core/stepHeader";
import { declared, mockEngine, resolve, StandIn, urns } from "./componentMocks";

/** Each capture prints one manifest line for what it uploaded, among other output. */
const engine = mockEngine({
    computed: (args) => {
        if (args.type !== "command:local:Command") return {};
        const env = args.inputs.environment;
        const line = { what: scriptHeader(args.inputs.create).step, object: `gs://${env.BUCKET}/${env.PREFIX}/artifact`, sha256: "ab".repeat(32), takenAt: "20261125T120000Z", takenBy: "responder@acme.example" };
        return { stdout: `uploading\n${JSON.stringify(line)}\n` };
    },
});

const nodes = ["gke-prod-pool-1-abcdef-zgt8", "gke-prod-pool-1-abcdef-k2m4"];
const bucket = new StandIn("evidence-bucket");
const args: EvidenceCaptureArgs = {
    names: incidentNames("42"),
    project: "acme-prod",
    kubeContext: "ctx",
    bucket: "acme-prod-quarantine-42",
    bucketReady: bucket,
    pods: [
        { namespace: "default", name: "web-7d4b9c-x2x9q" },
        { namespace: "payments", name: "api-0" },
    ],
    nodes,
    volatile: true,
    debugImage: "busybox:1.36",
    captureNamespace: "kube-system",
};
const capture = new EvidenceCapture("t", args);
const immediate = new EvidenceCapture("t-immediate", { ...args, volatile: false, debugImage: "" });
const withExec = new EvidenceCapture("t-exec", { ...args, exec: true, pods: [args.pods[0]], nodes: [] });

describe("EvidenceCapture", () => {
    it("captures each pod and each node once, as capture steps whose artifacts destroy keeps", async () => {
        const steps = (await engine.children(capture)).map((c) => [c.name, declared(c).kind, declared(c).script, declared(c).destroy?.startsWith("kept: ")]);
        expect(steps.sort()).toEqual(
            [
                ["t/pod/default/web-7d4b9c-x2x9q", "capture", "capture-pod", true],
                ["t/pod/payments/api-0", "capture", "capture-pod", true],
                ["t/node/gke-prod-pool-1-abcdef-zgt8", "capture", "capture-node", true],
                ["t/node/gke-prod-pool-1-abcdef-k2m4", "capture", "capture-node", true],
                ["t/volatile/gke-prod-pool-1-abcdef-zgt8", "capture", "capture-volatile", true],
                ["t/volatile/gke-prod-pool-1-abcdef-k2m4", "capture", "capture-volatile", true],
            ].sort(),
        );
    });

    it("waits for nothing but the bucket it writes to", async () => {
        const [bucketUrn] = await urns([bucket]);
        for (const c of (await engine.children(capture)).filter((x) => !x.name.includes("/volatile/"))) {
            expect(c.dependencies, c.name).toEqual([bucketUrn]);
        }
    });

    it("runs the volatile captures, which the node's cut-off waits for, without waiting for the bucket", async () => {
        const volatile = (await engine.children(capture)).filter((x) => x.name.includes("/volatile/"));
        expect(volatile).toHaveLength(2);
        for (const c of volatile) expect(c.dependencies, c.name).toEqual([]);
    });

    it("hands a pod's capture the context, project, bucket and incident, and the pod's own object prefix", async () => {
        const pod = await engine.child(capture, "t/pod/payments/api-0");
        expect(pod.inputs.environment).toMatchObject({
            CONTEXT: "ctx",
            PROJECT: "acme-prod",
            BUCKET: "acme-prod-quarantine-42",
            INCIDENT: "42",
            NAMESPACE: "payments",
            POD: "api-0",
            PREFIX: "incident-42/pods/payments/api-0",
        });
    });

    it("keeps each node's volatile capture for that node's cut-off to wait on", async () => {
        const kept = [...capture.volatileCaptures.entries()].map(([node, c]) => resolve(c.urn).then((urn) => [node, urn]));
        const registered = nodes.map((n) => engine.child(capture, `t/volatile/${n}`).then((c) => [n, c.urn]));
        expect(await Promise.all(kept)).toEqual(await Promise.all(registered));
    });

    it("pins each node's capture pod to that node, under a name of its own, labelled so the drain skips it", async () => {
        const volatile = await Promise.all(nodes.map((n) => engine.child(capture, `t/volatile/${n}`)));
        const pods = volatile.map((c) => ({ prefix: c.inputs.environment.CAPTURE_POD_PREFIX, spec: JSON.parse(c.inputs.environment.OVERRIDES) }));
        expect(pods.map((p) => [p.spec.spec.nodeName, p.spec.metadata.labels.quarantine])).toEqual(nodes.map((n) => [n, "true"]));
        expect(new Set(pods.map((p) => p.prefix)).size).toBe(2);
    });

    it("captures no volatile state, and checks no capture image, when the node is cut off at once", async () => {
        const names = (await engine.children(immediate)).map((c) => c.name);
        expect(names.filter((n) => n.includes("/volatile/"))).toEqual([]);
        expect(names.filter((n) => n.includes("/node/"))).toHaveLength(2);
        expect(immediate.volatileCaptures.size).toBe(0);
    });

    it("execs into a container only when asked, which touches the live container", async () => {
        const exec = await engine.child(withExec, "t-exec/exec/default/web-7d4b9c-x2x9q");
        expect([declared(exec).kind, declared(exec).script]).toEqual(["capture", "capture-exec"]);
        expect((await engine.children(capture)).filter((c) => c.name.includes("/exec/"))).toEqual([]);
    });

    it.each([
        ["a node name that could break out of the capture pod's JSON", { nodes: ['n","hostPath":"/'] }, /"n","hostPath":"\/" is not a Kubernetes node name/],
        ["a capture image that is not an image reference", { debugImage: "busybox; rm -rf /" }, /capture image "busybox; rm -rf \/" is not an image reference/],
    ])("refuses %s as it is declared", (what, bad, message) => {
        expect(() => new EvidenceCapture(`t-bad-${what.length}`, { ...args, ...bad })).toThrow(message);
    });

    it("collects the artifacts every capture reported, and nothing else it printed", async () => {
        const artifacts = await resolve(capture.artifacts);
        expect(artifacts).toHaveLength(6);
        expect(artifacts.map((a) => a.object).sort()).toEqual(
            [
                "pods/default/web-7d4b9c-x2x9q",
                "pods/payments/api-0",
                "nodes/gke-prod-pool-1-abcdef-zgt8",
                "nodes/gke-prod-pool-1-abcdef-k2m4",
                "nodes/gke-prod-pool-1-abcdef-zgt8",
                "nodes/gke-prod-pool-1-abcdef-k2m4",
            ]
                .map((p) => `gs://acme-prod-quarantine-42/incident-42/${p}/artifact`)
                .sort(),
        );
    });
});
