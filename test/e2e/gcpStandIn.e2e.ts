import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleCluster, SAMPLE_NODE, SAMPLE_PROJECT } from "../../tools/mockEngine/sampleCluster";
import { ComputeFake } from "../fakes/compute";
import { computeStateFor, withResources } from "../fakes/computeState";
import { emptyStorage, StorageFake } from "../fakes/storage";
import { TOKENS } from "../fakes/tools";

// The STAND-IN gcp provider (test/e2e/standIns/gcp) under the real Pulumi CLI, against the same
// Compute fake the real gcloud talks to in the contract suite, and the Storage fake. The program
// (test/e2e/fixtures/gcpStandIn) reads a VM, makes a firewall rule, a snapshot of its boot disk,
// a bucket with a retention policy and an object in it. Assertions are on the fakes' state and on
// what the real gcloud sees, never on the CLI's progress output. Run: npm run test:e2e.

const ROOT = path.resolve(__dirname, "../..");
const FIXTURE = path.join(__dirname, "fixtures/gcpStandIn");
const LAUNCHER = path.join(__dirname, "standIns/gcp/pulumi-resource-gcp");
const CHILD_TIMEOUT_MS = 240_000;
const ZONE = "us-central1-a";

/** The bin dir test/e2e/tools/build.sh fills: its key is computed the same way, never built here. */
function binDir(): string {
    if (process.env.QUARANTINE_E2E_BIN) return process.env.QUARANTINE_E2E_BIN;
    const keyScript =
        "find . -type f \\( -name go.mod -o -name go.sum -o -name '*.go' \\) -print0 | " +
        "LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12";
    const key = spawnSync("bash", ["-c", keyScript], { cwd: path.join(__dirname, "tools"), encoding: "utf8", timeout: 30_000 }).stdout.trim();
    const cache = process.env.QUARANTINE_E2E_CACHE ?? path.join(homedir(), ".cache/quarantine-e2e");
    return path.join(cache, key, "bin");
}

const onPath = (tool: string): string | undefined =>
    (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, tool)).find((p) => {
        try {
            accessSync(p, constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });

const BIN = binDir();
const missing = ["pulumi", "pulumi-language-nodejs"].filter((b) => !existsSync(path.join(BIN, b)));
const skipReason = missing.length > 0 ? `no ${missing.join(", ")} in ${BIN}: run test/e2e/tools/build.sh` : undefined;
if (skipReason) console.warn(`gcpStandIn.e2e: skipped, ${skipReason}`);
const GCLOUD = onPath("gcloud");
if (!skipReason && !GCLOUD) console.warn("gcpStandIn.e2e: the gcloud check is skipped: no gcloud on the PATH");

describe.skipIf(skipReason !== undefined)("stand-in gcp provider under the real Pulumi CLI, on the gcloud fakes", () => {
    let tmp = "";
    let prog = "";
    let env: NodeJS.ProcessEnv = {};
    const compute = new ComputeFake(withResources(computeStateFor(sampleCluster())), TOKENS.compute);
    const storage = new StorageFake(emptyStorage(), TOKENS.compute);

    /**
     * Runs a child without blocking the event loop (the fakes answer the plugin from this process),
     * killing its process group after `timeoutMs`; resolves with stdout, rejects on a non-zero exit.
     */
    function run(cmd: string, args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
        return new Promise((resolve, reject) => {
            const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
            let [stdout, stderr] = ["", ""];
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            const timer = setTimeout(() => {
                stderr += `\n[gcpStandIn.e2e] killed after ${opts.timeoutMs} ms`;
                try {
                    process.kill(-child.pid!, "SIGKILL");
                } catch {
                    // already gone
                }
            }, opts.timeoutMs);
            child.on("close", (code) => {
                clearTimeout(timer);
                if (code === 0) resolve(stdout);
                else reject(new Error(`${path.basename(cmd)} ${args.join(" ")}: exit ${code}\n${stdout}${stderr}`));
            });
        });
    }
    const pulumi = (args: string[]): Promise<string> => run(path.join(BIN, "pulumi"), [...args, "--non-interactive"], { cwd: prog, env, timeoutMs: CHILD_TIMEOUT_MS });
    const output = async (name: string): Promise<string> => (await pulumi(["stack", "output", name])).trim();

    /** The real gcloud, pointed at the Compute fake only, as the contract suite points it (test/fakes/tools.ts). */
    function gcloud(args: string[]): Promise<string> {
        const gdir = path.join(tmp, "gcloud");
        mkdirSync(gdir, { recursive: true });
        writeFileSync(path.join(tmp, "token"), `${TOKENS.compute}\n`);
        return run(GCLOUD!, [...args, `--project=${SAMPLE_PROJECT}`], {
            timeoutMs: 90_000,
            env: {
                PATH: process.env.PATH,
                HOME: path.join(tmp, "home-gcloud"),
                CLOUDSDK_CONFIG: gdir,
                CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: path.join(tmp, "token"),
                CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: compute.endpoint,
                CLOUDSDK_CORE_DISABLE_PROMPTS: "1",
                CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: "1",
                CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: "1",
                CLOUDSDK_CORE_DISABLE_FILE_LOGGING: "1",
                HTTP_PROXY: "http://127.0.0.1:9",
                HTTPS_PROXY: "http://127.0.0.1:9",
                NO_PROXY: "127.0.0.1,localhost",
            },
        });
    }

    beforeAll(async () => {
        await compute.start();
        await storage.start();
        tmp = mkdtempSync(path.join(tmpdir(), "quarantine-gcp-standin-"));
        prog = path.join(tmp, "prog");
        cpSync(FIXTURE, prog, { recursive: true });
        symlinkSync(path.join(ROOT, "node_modules"), path.join(prog, "node_modules"));
        env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PULUMI_|TS_NODE_|NODE_OPTIONS$|NODE_PATH$|GOOGLE_|CLOUDSDK_)/.test(k)));
        Object.assign(env, {
            PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
            PULUMI_HOME: path.join(tmp, "home"),
            PULUMI_CONFIG_PASSPHRASE: "e2e-not-secret",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            QUARANTINE_REPO: ROOT,
            // What the stand-in talks to (plugins inherit the CLI's environment).
            QUARANTINE_FAKE_COMPUTE: compute.base,
            QUARANTINE_FAKE_STORAGE: storage.base,
            GOOGLE_OAUTH_ACCESS_TOKEN: TOKENS.compute,
        });
        mkdirSync(path.join(tmp, "state"));
        await pulumi(["login", `file://${path.join(tmp, "state")}`]);
        await pulumi(["plugin", "install", "resource", "gcp", "9.37.0", "--file", LAUNCHER]);
        await pulumi(["stack", "init", "e2e"]);
        for (const [k, v] of [["project", SAMPLE_PROJECT], ["zone", ZONE], ["instance", SAMPLE_NODE]]) await pulumi(["config", "set", k, v]);
    });

    afterAll(async () => {
        await Promise.all([compute.close(), storage.close()]);
        if (tmp && !process.env.QUARANTINE_E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
    });

    it("up: the rule, snapshot, bucket and object are in the fakes with their inputs; getInstance read the VM", async () => {
        await pulumi(["up", "--yes"]);
        const rule = compute.state.firewalls!["q-e2e-egress-deny"];
        expect(rule).toMatchObject({
            direction: "EGRESS",
            priority: 0,
            denied: [{ IPProtocol: "all" }],
            destinationRanges: ["0.0.0.0/0"],
            targetTags: ["q-e2e-isolated"],
            logConfig: { enable: true, metadata: "INCLUDE_ALL_METADATA" },
        });
        expect(rule.network).toMatch(/\/global\/networks\/default$/);
        const snap = compute.state.snapshots!["q-e2e-boot"];
        expect(snap.sourceDisk).toMatch(new RegExp(`/zones/${ZONE}/disks/${SAMPLE_NODE}$`));
        expect(snap.labels).toMatchObject({ "quarantine-incident": "e2e" });
        expect(await output("snapshotId")).toBe(snap.id);
        expect(storage.state.buckets["q-e2e-evidence"].resource).toMatchObject({ location: "US-CENTRAL1", retentionPolicy: { retentionPeriod: "86400" } });
        const obj = storage.object("q-e2e-evidence", "incident-e2e/custody/manifest.json")!;
        expect(JSON.parse(obj.data)).toEqual({ snapshotId: Number(snap.id), takenAt: snap.creationTimestamp, takenBy: "responder@example.com" });
        expect(obj.contentType).toBe("application/json");
        expect(await output("bucketUrl")).toBe("gs://q-e2e-evidence");
        expect(JSON.parse(await pulumi(["stack", "output", "vmTags", "--json"]))).toEqual(["gke-prod-node"]);
        expect([...compute.violations, ...storage.violations]).toEqual([]);
    });

    it.skipIf(!GCLOUD)("the real gcloud sees the provider's rule, and a tag gcloud adds is in the same state", async () => {
        const rules = JSON.parse(await gcloud(["compute", "firewall-rules", "list", "--format=json"]));
        expect(rules.map((r: any) => r.name)).toEqual(["q-e2e-egress-deny"]);
        await gcloud(["compute", "instances", "add-tags", SAMPLE_NODE, `--zone=${ZONE}`, "--tags=q-e2e-isolated"]);
        expect(compute.instance(ZONE, SAMPLE_NODE)!.tags.items).toEqual(["gke-prod-node", "q-e2e-isolated"]);
        expect(compute.violations).toEqual([]);
    });

    it("a second up changes nothing; a description change patches the rule in place", async () => {
        const before = compute.effects.length;
        await pulumi(["up", "--yes"]);
        expect(compute.effects.slice(before)).toEqual([]);
        const created = await output("ruleCreated");
        await pulumi(["config", "set", "ruleDescription", "changed"]);
        await pulumi(["up", "--yes"]);
        expect(compute.effects.slice(before).map((e) => e.op)).toEqual(["firewalls.patch"]);
        expect(compute.state.firewalls!["q-e2e-egress-deny"].description).toBe("changed");
        expect(await output("ruleCreated")).toBe(created);
    });

    it("the retention policy holds: the object can't be overwritten through the API", async () => {
        const url = `${storage.base}/upload/storage/v1/b/q-e2e-evidence/o?uploadType=media&name=${encodeURIComponent("incident-e2e/custody/manifest.json")}`;
        const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${TOKENS.compute}` }, body: "tampered" });
        expect(res.status).toBe(403);
        const noClobber = await fetch(`${url}&ifGenerationMatch=0`, { method: "POST", headers: { authorization: `Bearer ${TOKENS.compute}` }, body: "x" });
        expect(noClobber.status).toBe(412);
    });

    it("destroy removes the rule and keeps the ABANDON snapshot, bucket and object", async () => {
        await pulumi(["destroy", "--yes"]);
        expect(compute.state.firewalls).toEqual({});
        expect(Object.keys(compute.state.snapshots!)).toEqual(["q-e2e-boot"]);
        expect(Object.keys(storage.state.buckets)).toEqual(["q-e2e-evidence"]);
        expect(storage.object("q-e2e-evidence", "incident-e2e/custody/manifest.json")).toBeDefined();
        expect(JSON.parse(await pulumi(["stack", "export"])).deployment.resources ?? []).toHaveLength(0);
        expect([...compute.violations, ...storage.violations]).toEqual([]);
    });
});
