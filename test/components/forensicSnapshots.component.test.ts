import { describe, expect, it } from "vitest";
import { ForensicSnapshots } from "../../components/forensicSnapshots";
import { incidentNames } from "../../core/incidentNames";
import { GCE_NAME } from "../../components/naming";
import { mockEngine, resolve } from "./componentMocks";

const engine = mockEngine();

const zonal = (zone: string, disk: string) => `https://www.googleapis.com/compute/v1/projects/acme-prod/zones/${zone}/disks/${disk}`;
// Two nodes in two zones whose data disks share a name: disk names are unique per zone only.
const disks = [
    { name: "gke-prod-pool-1-abcdef-zgt8", source: zonal("us-central1-a", "gke-prod-pool-1-abcdef-zgt8"), node: "gke-prod-pool-1-abcdef-zgt8" },
    { name: "data", source: zonal("us-central1-a", "data"), node: "gke-prod-pool-1-abcdef-zgt8" },
    { name: "data", source: zonal("us-central1-b", "data"), node: "gke-prod-pool-1-abcdef-k2m4" },
];
const snapshots = new ForensicSnapshots("t", { names: incidentNames("42"), project: "acme-prod", disks, run: "9f3c1a2b" });

describe("ForensicSnapshots", () => {
    it("takes one snapshot of each disk, in the incident's project", async () => {
        const taken = await engine.children(snapshots);
        expect(taken.map((s) => s.type)).toEqual(Array(3).fill("gcp:compute/snapshot:Snapshot"));
        expect(taken.map((s) => [s.inputs.sourceDisk, s.inputs.project]).sort()).toEqual(disks.map((d) => [d.source, "acme-prod"]).sort());
    });

    it("gives same-named disks in two zones snapshots of different, valid names", async () => {
        const names = (await engine.children(snapshots)).map((s) => s.inputs.name as string);
        expect(new Set(names).size).toBe(3);
        for (const n of names) expect(n, n).toMatch(GCE_NAME);
        for (const n of names) expect(n, n).toMatch(/^q-42-9f3c1a2b-/);
    });

    it("names each snapshot resource without the run's random part, which preview does not know yet", async () => {
        const logical = (await engine.children(snapshots)).map((s) => s.name);
        for (const n of logical) expect(n, n).not.toContain("9f3c1a2b");
    });

    it("labels each snapshot as disk evidence of the incident and says which node's disk it is", async () => {
        const s = (await engine.children(snapshots)).find((x) => x.inputs.sourceDisk === disks[2].source)!;
        expect(s.inputs.labels).toEqual({ "quarantine-incident": "42", "quarantine-evidence": "disk" });
        expect(s.inputs.description).toBe("Forensic snapshot of data on node gke-prod-pool-1-abcdef-k2m4, incident 42");
    });

    it("keeps every snapshot on destroy", async () => {
        for (const s of await engine.children(snapshots)) {
            expect([s.retainOnDelete, s.inputs.deletionPolicy], s.name).toEqual([true, "ABANDON"]);
        }
    });

    it("waits for nothing, so every snapshot starts at once", async () => {
        for (const s of await engine.children(snapshots)) {
            expect(s.dependencies, s.name).toEqual([]);
        }
    });

    it("hands on the names of the snapshots it took", async () => {
        const registered = (await engine.children(snapshots)).map((s) => s.inputs.name);
        expect((await resolve(snapshots.snapshotNames)).sort()).toEqual(registered.sort());
    });
});
