import * as gcp from "@pulumi/gcp";
import { describe, expect, it } from "vitest";
import { EvidenceBucket } from "../../components/evidenceBucket";
import { incidentNames } from "../../core/incidentNames";
import { mockEngine, resolve } from "./componentMocks";

const engine = mockEngine({
    calls: {
        // The one bucket that exists; GCS answers "not found" for any other.
        "gcp:storage/getBucket:getBucket": (inputs) => {
            if (inputs.name !== "acme-ir-evidence") throw new Error(`bucket ${inputs.name} not found`);
            return { name: "acme-ir-evidence", location: "US-CENTRAL1" };
        },
    },
});

const names = incidentNames("42");
const created = new EvidenceBucket("t", { names, project: "acme-prod", location: "us-central1", run: "9f3c1a2b" });
const shorter = new EvidenceBucket("t-30-days", { names: incidentNames("43"), project: "acme-prod", location: "us-central1", retentionDays: 30, run: "9f3c1a2b" });
const locked = new EvidenceBucket("t-locked", { names: incidentNames("44"), project: "acme-prod", location: "us-central1", lockRetention: true, run: "9f3c1a2b" });
const irProvider = new gcp.Provider("ir", { project: "acme-ir" });
const existing = new EvidenceBucket("t-existing", { names, project: "acme-prod", location: "us-central1", existing: "acme-ir-evidence", run: "9f3c1a2b" }, { providers: [irProvider] });

describe("EvidenceBucket", () => {
    it("creates a private bucket for the incident in the nodes' region, and hands on its name", async () => {
        const bucket = await engine.child(created, "t/bucket");
        expect(bucket.inputs).toMatchObject({
            name: "acme-prod-q-42-9f3c1a2b",
            project: "acme-prod",
            location: "us-central1",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
        });
        expect(await resolve(created.bucketName)).toBe("acme-prod-q-42-9f3c1a2b");
    });

    it("holds every object for 90 days unless told otherwise, with the policy unlocked", async () => {
        const [byDefault, thirty] = await Promise.all([engine.child(created, "t/bucket"), engine.child(shorter, "t-30-days/bucket")]);
        expect(byDefault.inputs.retentionPolicy).toEqual({ retentionPeriod: String(90 * 24 * 3600), isLocked: false });
        expect(thirty.inputs.retentionPolicy).toEqual({ retentionPeriod: String(30 * 24 * 3600), isLocked: false });
    });

    it("locks the retention policy only when the evidence owner asks for it", async () => {
        expect((await engine.child(locked, "t-locked/bucket")).inputs.retentionPolicy.isLocked).toBe(true);
    });

    it("declares no Object Versioning, which Cloud Storage refuses beside a retention policy", async () => {
        expect(Object.keys((await engine.child(created, "t/bucket")).inputs)).not.toContain("versioning");
    });

    it("is kept on destroy, objects and all", async () => {
        const bucket = await engine.child(created, "t/bucket");
        expect(bucket.retainOnDelete).toBe(true);
        expect(bucket.inputs.deletionPolicy).toBe("ABANDON");
        expect(bucket.inputs.forceDestroy).toBe(false);
    });

    it("labels the bucket as evidence of the incident", async () => {
        const bucket = await engine.child(created, "t/bucket");
        expect(bucket.inputs.labels).toEqual({ "quarantine-incident": "42", "quarantine-evidence": "bucket" });
    });

    it("creates no bucket when given an existing one", async () => {
        expect(await engine.children(existing)).toEqual([]);
    });

    it("reads an existing bucket through the component's own provider, and hands on the name the read returned", async () => {
        const bucketName = await resolve(existing.bucketName);
        const reads = engine.invocations.filter((i) => i.token === "gcp:storage/getBucket:getBucket");
        expect(reads).toEqual([{ token: "gcp:storage/getBucket:getBucket", inputs: { name: "acme-ir-evidence" }, provider: `${await resolve(irProvider.urn)}::ir_id` }]);
        expect(bucketName).toBe("acme-ir-evidence");
    });
});
