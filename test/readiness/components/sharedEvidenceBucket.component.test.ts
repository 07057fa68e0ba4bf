import { describe, expect, it } from "vitest";
import { SharedEvidenceBucket } from "../../../components/readiness/sharedEvidenceBucket";
import { mockEngine, resolve } from "../../components/componentMocks";

const engine = mockEngine();

const plain = new SharedEvidenceBucket("t", { name: "acme-forensics-quarantine-evidence", project: "acme-forensics", location: "us-central1", retentionDays: 90 });
const locked = new SharedEvidenceBucket("t-locked", { name: "acme-ir-evidence", project: "acme-forensics", location: "EU", retentionDays: 365, lockRetention: true });

describe("SharedEvidenceBucket", () => {
    it("creates a private bucket in the forensics project, and hands on its name", async () => {
        const bucket = await engine.child(plain, "t/bucket");
        expect(bucket.type).toBe("gcp:storage/bucket:Bucket");
        expect(bucket.inputs).toMatchObject({
            name: "acme-forensics-quarantine-evidence",
            project: "acme-forensics",
            location: "us-central1",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            labels: { "quarantine-evidence": "bucket" },
        });
        expect(await resolve(plain.bucketName)).toBe("acme-forensics-quarantine-evidence");
    });

    it("holds every object for the retention period, the policy unlocked unless asked", async () => {
        const [a, b] = await Promise.all([engine.child(plain, "t/bucket"), engine.child(locked, "t-locked/bucket")]);
        expect(a.inputs.retentionPolicy).toEqual({ retentionPeriod: String(90 * 86400), isLocked: false });
        expect(b.inputs.retentionPolicy).toEqual({ retentionPeriod: String(365 * 86400), isLocked: true });
    });

    it("declares no Object Versioning, which Cloud Storage refuses beside a retention policy", async () => {
        expect(Object.keys((await engine.child(plain, "t/bucket")).inputs)).not.toContain("versioning");
    });

    it("survives pulumi destroy, with its objects", async () => {
        const bucket = await engine.child(plain, "t/bucket");
        expect(bucket.retainOnDelete).toBe(true);
        expect(bucket.inputs).toMatchObject({ forceDestroy: false, deletionPolicy: "ABANDON" });
    });
});
