import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCustody, type CustodyReads } from "../../tools/cli/custody";
import { readCustody } from "../../tools/cli/custodyRead";
import { emptyStorage, StorageFake } from "../fakes/storage";
import { GCLOUD_OFFLINE, requireTools, TOKENS } from "../fakes/tools";
import { outputs } from "./fixtures";

// `quarantine report` checks each artifact of the custody manifest against the bucket: the pure
// verdicts on recorded reads first, then the real gcloud against the Storage fake, which is how
// the responder's gcloud reads the bucket.

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const manifest = () => outputs().custodyManifest!;
const BUCKET = "gs://acme-prod-q-42-9f3c1a2b";
const MANIFEST = `${BUCKET}/incident-42/custody/manifest-59e676aa5eef002f.json`;

function allRead(): CustodyReads {
    const objects: CustodyReads["objects"] = Object.fromEntries(manifest().artifacts.map((a) => [a.object, { sha256: a.sha256 }]));
    objects[MANIFEST] = { sha256: `59e676aa5eef002f${"0".repeat(48)}` };
    return { buckets: { [BUCKET]: undefined }, objects };
}

describe("the custody verdicts", () => {
    it("verifies every artifact and the manifest whose sha256 the bucket serves as recorded", () => {
        const v = verifyCustody(allRead(), manifest().artifacts, MANIFEST);
        expect(v.artifacts.map((c) => c.status)).toEqual(manifest().artifacts.map(() => "verified"));
        expect(v.manifest?.status).toBe("verified");
        expect(v.summary).toBe(`Verified against ${BUCKET}: all 3 objects (2 artifacts and the manifest) have the sha256 the manifest recorded.`);
    });

    it("says mismatch for an object whose bytes changed, naming both hashes", () => {
        const r = allRead();
        const [first] = manifest().artifacts;
        (r.objects as Record<string, { sha256: string }>)[first.object] = { sha256: sha("tampered") };
        const v = verifyCustody(r, manifest().artifacts, MANIFEST);
        expect(v.artifacts[0]).toEqual({ object: first.object, what: first.what, status: "mismatch", detail: `the object's sha256 is ${sha("tampered")}, the manifest recorded ${first.sha256}` });
        expect(v.artifacts[1].status).toBe("verified");
        expect(v.summary).toBe(`Checked against ${BUCKET}: 1 mismatch, 2 verified of 3 objects.`);
    });

    it("says missing for an object the bucket does not have, and for every object of a bucket that is gone", () => {
        const r = allRead();
        const [first] = manifest().artifacts;
        (r.objects as Record<string, unknown>)[first.object] = { error: { kind: "missing", detail: `object ${first.object} does not exist` } };
        expect(verifyCustody(r, manifest().artifacts).artifacts.map((c) => c.status)).toEqual(["missing", "verified"]);
        const gone: CustodyReads = { buckets: { [BUCKET]: { kind: "missing", detail: `bucket ${BUCKET} does not exist` } }, objects: {} };
        expect(verifyCustody(gone, manifest().artifacts, MANIFEST).summary).toBe(`Checked against ${BUCKET}: 3 missing of 3 objects.`);
    });

    it("says not reachable, never missing, when the bucket can't be read, with the reason", () => {
        const r: CustodyReads = { buckets: { [BUCKET]: { kind: "unreachable", detail: "bucket could not be read: 403 Forbidden" } }, objects: {} };
        const v = verifyCustody(r, manifest().artifacts, MANIFEST);
        expect(new Set([...v.artifacts, v.manifest!].map((c) => c.status))).toEqual(new Set(["not reachable"]));
        expect(v.summary).toBe(`Checked against ${BUCKET}: 3 not reachable of 3 objects. ${BUCKET} not reachable: bucket could not be read: 403 Forbidden`);
    });

    it("says mismatch for a manifest object whose content does not hash to its name", () => {
        const r = allRead();
        (r.objects as Record<string, { sha256: string }>)[MANIFEST] = { sha256: sha("other") };
        expect(verifyCustody(r, [], MANIFEST).manifest).toMatchObject({ status: "mismatch", detail: `the object's sha256 is ${sha("other")}, its name says it begins with 59e676aa5eef002f` });
    });
});

describe("reading the bucket through the real gcloud (Storage fake)", () => {
    let storage: StorageFake;
    let dir: string;
    let env: NodeJS.ProcessEnv;
    const object = (name: string, data: string) => ({ bucket: "ev-42", name, generation: "1", contentType: "application/gzip", data, timeCreated: "2026-11-25T12:04:12.000Z" });

    beforeAll(async () => {
        requireTools(["gcloud"]);
        const state = emptyStorage();
        state.buckets["ev-42"] = { resource: { kind: "storage#bucket", name: "ev-42", location: "US-CENTRAL1" }, metageneration: 1, project: "acme-prod" };
        state.objects["ev-42/incident-42/pod.tar.gz"] = object("incident-42/pod.tar.gz", "pod evidence\n");
        state.objects["ev-42/incident-42/node.tar.gz"] = object("incident-42/node.tar.gz", "node evidence, altered\n");
        storage = new StorageFake(state, TOKENS.compute);
        await storage.start();
        dir = mkdtempSync(path.join(tmpdir(), "quarantine-custody-"));
        mkdirSync(path.join(dir, "config"));
        writeFileSync(path.join(dir, "token"), `${TOKENS.compute}\n`);
        env = {
            PATH: process.env.PATH,
            HOME: dir,
            CLOUDSDK_CONFIG: path.join(dir, "config"),
            CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: path.join(dir, "token"),
            CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE: `${storage.base}/storage/v1/`,
            ...GCLOUD_OFFLINE,
        };
    });

    afterAll(async () => {
        await storage?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("hashes what the bucket serves: verified, mismatch and missing, each for the right object", async () => {
        const artifacts = [
            { what: "pod", object: "gs://ev-42/incident-42/pod.tar.gz", sha256: sha("pod evidence\n") },
            { what: "node", object: "gs://ev-42/incident-42/node.tar.gz", sha256: sha("node evidence\n") },
            { what: "logs", object: "gs://ev-42/incident-42/logs.tar.gz", sha256: sha("logs\n") },
        ];
        const reads = await readCustody(artifacts.map((a) => a.object), env);
        const v = verifyCustody(reads, artifacts);
        expect(v.artifacts.map((c) => [c.what, c.status])).toEqual([
            ["pod", "verified"],
            ["node", "mismatch"],
            ["logs", "missing"],
        ]);
        expect(v.artifacts[1].detail).toBe(`the object's sha256 is ${sha("node evidence, altered\n")}, the manifest recorded ${sha("node evidence\n")}`);
        expect(storage.violations).toEqual([]);
    }, 60_000);

    it("says missing for every object of a bucket that does not exist", async () => {
        const reads = await readCustody(["gs://ev-gone/incident-42/pod.tar.gz"], env);
        expect(reads.buckets["gs://ev-gone"]?.kind).toBe("missing");
        expect(verifyCustody(reads, [{ what: "pod", object: "gs://ev-gone/incident-42/pod.tar.gz", sha256: sha("x") }]).artifacts[0].status).toBe("missing");
    }, 60_000);

    it("says not reachable when gcloud's credentials are refused", async () => {
        writeFileSync(path.join(dir, "token-wrong"), "not-the-token\n");
        const reads = await readCustody(["gs://ev-42/incident-42/pod.tar.gz"], { ...env, CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: path.join(dir, "token-wrong") });
        expect(reads.buckets["gs://ev-42"]).toMatchObject({ kind: "unreachable", detail: expect.stringMatching(/^bucket gs:\/\/ev-42 could not be read: /) });
        storage.violations.length = 0; // the fake records a wrong token as a violation: that was the point here
    }, 60_000);

    it("says not reachable when there is no gcloud at all", async () => {
        const reads = await readCustody(["gs://ev-42/incident-42/pod.tar.gz"], { ...env, PATH: "" });
        expect(reads.buckets["gs://ev-42"]).toEqual({ kind: "unreachable", detail: "gcloud is not on the PATH" });
    });
});
