import { describe, expect, it } from "vitest";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { clusterMocks } from "../../../tools/mockEngine/mocks";
import { sampleCluster } from "../../../tools/mockEngine/sampleCluster";

const bucket = (inputs: Record<string, unknown>): MockResourceArgs => ({
    type: "gcp:storage/bucket:Bucket",
    name: "42/evidence/bucket",
    inputs: { name: "acme-prod-quarantine-42", ...inputs },
    provider: "",
    id: "",
    custom: true,
});

describe("the mock engine refuses what the real API refuses", () => {
    it("refuses a bucket with both Object Versioning and a retention policy, as Cloud Storage does", () => {
        const mocks = clusterMocks(sampleCluster());
        expect(() => mocks.newResource(bucket({ versioning: { enabled: true }, retentionPolicy: { retentionPeriod: "7776000" } }))).toThrow(
            "bucket acme-prod-quarantine-42: Object Versioning can't be enabled on a bucket with a retention policy (400)",
        );
    });

    it("accepts a bucket with a retention policy alone", () => {
        const mocks = clusterMocks(sampleCluster());
        expect(() => mocks.newResource(bucket({ retentionPolicy: { retentionPeriod: "7776000" } }))).not.toThrow();
    });

    it("refuses a bucket whose name exists, as Cloud Storage does (names are global)", () => {
        const mocks = clusterMocks({ ...sampleCluster(), buckets: ["acme-prod-quarantine-42"] });
        expect(() => mocks.newResource(bucket({}))).toThrow(/409/);
    });

    it("refuses a snapshot whose name exists, as Compute Engine does", () => {
        const mocks = clusterMocks({ ...sampleCluster(), snapshots: ["q-42-9f3c1a2b-disk-abcdef"] });
        const snapshot = { ...bucket({}), type: "gcp:compute/snapshot:Snapshot", name: "42/snapshots/x", inputs: { name: "q-42-9f3c1a2b-disk-abcdef" } };
        expect(() => mocks.newResource(snapshot)).toThrow(/409/);
    });
});
