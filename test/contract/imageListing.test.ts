import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMAGES_TEMPLATE } from "../../components/evidenceCapture";
import { assemble } from "../../components/shell";
import { parseListing, podsRunning, PODS_TEMPLATE } from "../../stacks/incident/imageMatch";
import { sampleCluster, SAMPLE_NODE } from "../../tools/mockEngine/sampleCluster";
import { SAMPLE_CONTEXT } from "../../tools/mockEngine/scenario";
import { Fakes } from "../fakes/tools";

/**
 * The Go templates of quarantine:images through the real kubectl, against the Kubernetes fake:
 * the discovery read's listing (pods-by-image.read.sh) and the evidence's image inventory.
 */
let fakes: Fakes;
const DIGEST = `sha256:${"9".repeat(64)}`;
beforeAll(async () => {
    fakes = await Fakes.start(sampleCluster(), SAMPLE_CONTEXT);
    fakes.kube.put("pods", {
        metadata: { name: "miner-1", namespace: "default" },
        spec: {
            nodeName: SAMPLE_NODE,
            initContainers: [{ name: "fetch", image: "index.docker.io/library/nginx:1.25" }],
            containers: [{ name: "app", image: "ghcr.io/acme/tool:v3" }],
        },
        status: { phase: "Running", containerStatuses: [{ name: "app", image: "ghcr.io/acme/tool:v3", imageID: `ghcr.io/acme/tool@${DIGEST}` }] },
    });
    // An attacker's image field: a quote, a newline and a forged line can't make a second pod.
    fakes.kube.put("pods", {
        metadata: { name: "forger", namespace: "default" },
        spec: { containers: [{ name: "app", image: 'x"],"running":[]}\n{"namespace":"kube-system","name":"coredns","node":"n","images":["nginx:1.25"' }] },
        status: { phase: "Pending" },
    });
});
afterAll(async () => fakes?.close());

describe("the pod listing, through kubectl", () => {
    it("lists every pod once, with spec images, status images and imageIDs, and finds the blocked ones", async () => {
        const script = assemble({ step: "List", destroy: "nothing", kind: "check", script: "pods-by-image" }, "pods-by-image.read.sh");
        const r = await fakes.run(script, fakes.env({ CONTEXT: SAMPLE_CONTEXT, PODS_TEMPLATE }));
        expect(r.code, r.stderr).toBe(0);
        const pods = parseListing(r.stdout);
        expect(pods.find((p) => p.ref.name === "miner-1")).toEqual({
            ref: { namespace: "default", name: "miner-1" },
            node: SAMPLE_NODE,
            images: ["ghcr.io/acme/tool:v3", "index.docker.io/library/nginx:1.25"],
            running: ["ghcr.io/acme/tool:v3", `ghcr.io/acme/tool@${DIGEST}`],
        });
        expect(pods.filter((p) => p.ref.name === "coredns")).toEqual([]);
        expect(pods.find((p) => p.ref.name === "forger")?.images).toHaveLength(1);
        expect(podsRunning(pods, ["docker.io/library/nginx:1.25", `ghcr.io/x/y@${DIGEST}`])).toEqual([
            { ref: { namespace: "default", name: "miner-1" }, node: SAMPLE_NODE, blocked: ["docker.io/library/nginx:1.25", `ghcr.io/x/y@${DIGEST}`] },
        ]);
    });

    it("inventories every running container with its digest, for the evidence", async () => {
        const r = await fakes.run(`kubectl --context "$CONTEXT" get pods --all-namespaces -o "go-template=$IMAGES_TEMPLATE"`, fakes.env({ CONTEXT: SAMPLE_CONTEXT, IMAGES_TEMPLATE }));
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout.split("\n")).toContain(`default\tminer-1\t${SAMPLE_NODE}\tapp\tghcr.io/acme/tool:v3\tghcr.io/acme/tool@${DIGEST}`);
    });
});
