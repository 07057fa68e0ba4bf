import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ChainOfCustody } from "../../components/chainOfCustody";
import type { Artifact } from "../../components/evidenceCapture";
import { incidentNames } from "../../core/incidentNames";
import { mockEngine, resolve } from "./componentMocks";

const engine = mockEngine();

const names = incidentNames("42");
const artifact = (what: string, object: string): Artifact => ({
    what,
    object: `gs://acme-prod-quarantine-42/incident-42/pods/default/web/20261125T120000Z-1-1/${object}`,
    sha256: createHash("sha256").update(what).digest("hex"),
    takenAt: "20261125T120000Z",
    takenBy: "responder@acme.example",
});
const artifacts = [artifact("pod object", "pod.yaml"), artifact("logs of container app", "app.log")];
const snapshot = {
    name: pulumi.output("q-42-gke-prod-pool-1-abcdef-zgt8-13d0dc"),
    id: pulumi.output("4242"),
    sourceDisk: "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/us-central1-a/disks/gke-prod-pool-1-abcdef-zgt8",
    takenAt: pulumi.output("2026-11-25T12:00:00.000-00:00"),
};
const args = { names, bucket: pulumi.output("acme-prod-quarantine-42"), artifacts: pulumi.output(artifacts), snapshots: [snapshot], identity: "terraform@acme-prod.iam.gserviceaccount.com" };
const custody = new ChainOfCustody("t", args);
const recapture = new ChainOfCustody("t-recapture", { ...args, artifacts: [...artifacts, artifact("events", "events.yaml")] });

describe("ChainOfCustody", () => {
    it("lists the incident and every artifact as the captures reported it", async () => {
        const m = await resolve(custody.manifest);
        expect(m.incident).toBe("42");
        expect(m.artifacts).toEqual(artifacts);
    });

    it("records each snapshot with its disk, its object, its snapshot id, when and as whom it was taken", async () => {
        expect((await resolve(custody.manifest)).snapshots).toEqual([
            {
                what: "snapshot of disk gke-prod-pool-1-abcdef-zgt8",
                object: "snapshots/q-42-gke-prod-pool-1-abcdef-zgt8-13d0dc",
                snapshotId: "4242",
                takenAt: "2026-11-25T12:00:00.000-00:00",
                takenBy: "terraform@acme-prod.iam.gserviceaccount.com",
            },
        ]);
    });

    it("writes the manifest as JSON into the evidence bucket", async () => {
        const object = await engine.child(custody, "t/manifest");
        expect(object.inputs.bucket).toBe("acme-prod-quarantine-42");
        expect(object.inputs.contentType).toBe("application/json");
        expect(JSON.parse(object.inputs.content)).toEqual(await resolve(custody.manifest));
    });

    it("names the manifest object after the sha256 of its content", async () => {
        const object = await engine.registrationOf(custody.object);
        const sha = createHash("sha256").update(object.inputs.content).digest("hex");
        expect(object.inputs.name).toBe(`incident-42/custody/manifest-${sha.slice(0, 16)}.json`);
    });

    it("writes a new capture's manifest next to the old one, never over it", async () => {
        const [first, second] = await Promise.all([engine.registrationOf(custody.object), engine.registrationOf(recapture.object)]);
        expect(second.inputs.name).not.toBe(first.inputs.name);
    });

    it("keeps the manifest object on destroy", async () => {
        const object = await engine.registrationOf(custody.object);
        expect(object.retainOnDelete).toBe(true);
        expect(object.inputs.deletionPolicy).toBe("ABANDON");
    });
});
