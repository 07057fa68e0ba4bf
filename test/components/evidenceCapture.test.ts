import { execFileSync } from "child_process";
import { existsSync, readdirSync, readFileSync } from "fs";
import { createHash } from "crypto";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { capturePodOverrides, HOST_COMMANDS, parseArtifacts, parseNotCaptured } from "../../components/evidenceCapture";
import { assemble } from "../../components/shell";
import { scaledCluster, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { run } from "../harness";
import { standIns, type StandIns } from "../standIns";

describe("evidence bucket", () => {
    it("is created private, with an unlocked 90-day retention policy and no versioning, and kept on destroy", async () => {
        const [b] = (await run()).ofType("gcp:storage/bucket:Bucket");
        expect(b.inputs).toMatchObject({
            name: "acme-prod-q-42-9f3c1a2b",
            location: "us-central1",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            retentionPolicy: { retentionPeriod: String(90 * 86400), isLocked: false },
            forceDestroy: false,
            deletionPolicy: "ABANDON",
        });
        expect(b.retainOnDelete).toBe(true);
    });

    it("honours quarantine:evidenceRetentionDays", async () => {
        const [b] = (await run({ config: { "quarantine:evidenceRetentionDays": "30" } })).ofType("gcp:storage/bucket:Bucket");
        expect(b.inputs.retentionPolicy).toEqual({ retentionPeriod: String(30 * 86400), isLocked: false });
    });

    it("locks the retention policy when quarantine:evidenceLock is true", async () => {
        const [b] = (await run({ config: { "quarantine:evidenceLock": "true" } })).ofType("gcp:storage/bucket:Bucket");
        expect(b.inputs.retentionPolicy.isLocked).toBe(true);
    });

    it("declares no Object Versioning, which Cloud Storage refuses beside a retention policy", async () => {
        const [b] = (await run()).ofType("gcp:storage/bucket:Bucket");
        expect(b.inputs.versioning).toBeUndefined();
    });

    it("uses an existing bucket named by quarantine:evidenceBucket, read so preview shows it", async () => {
        const plan = await run({ config: { "quarantine:evidenceBucket": "acme-ir-evidence" } });
        expect(plan.ofType("gcp:storage/bucket:Bucket")).toEqual([]);
        expect(plan.result.invokes.find((i) => i.token === "gcp:storage/getBucket:getBucket")?.inputs).toEqual({ name: "acme-ir-evidence" });
        expect(plan.one("/capture/pod/default/compromised-pod").inputs.environment.BUCKET).toBe("acme-ir-evidence");
        expect(plan.outputs.evidenceBucket).toBe("acme-ir-evidence");
    });
});

describe("captures", () => {
    it("capture each pod's object, description, logs with timestamps and --previous, events and service account rights", async () => {
        const c = (await run()).one("/capture/pod/default/compromised-pod").inputs;
        const st = captureStandIns();
        runScript(c.create, st, c.environment);
        const calls = kubectlCalls(st);
        for (const call of [
            "-n default get pod/compromised-pod -o yaml",
            "-n default describe pod/compromised-pod",
            "-n default logs pod/compromised-pod -c app --timestamps",
            "-n default logs pod/compromised-pod -c app --timestamps --previous",
            "-n default get events --field-selector involvedObject.kind=Pod,involvedObject.name=compromised-pod -o yaml",
            "-n default auth can-i --list --as=system:serviceaccount:default:app",
        ]) {
            expect(calls, call).toContain(`--context ${c.environment.CONTEXT} ${call}`);
        }
    });

    it("capture the node's object, events and volatile state; exec into the container only when asked", async () => {
        const plan = await run();
        const node = plan.one("/capture/node/gke-cluster-pool-1-abcdeffff-zgt8").inputs;
        const st = captureStandIns();
        runScript(node.create, st, node.environment);
        expect(kubectlCalls(st)).toContain(`--context ${node.environment.CONTEXT} get node/gke-cluster-pool-1-abcdeffff-zgt8 -o yaml`);
        const volatile = plan.one("/capture/volatile/gke-cluster-pool-1-abcdeffff-zgt8").inputs;
        expect(JSON.parse(volatile.environment.OVERRIDES).spec.containers[0].command[4]).toContain("ps -eo");
        expect(plan.all("/capture/exec/default/compromised-pod")).toEqual([]);
        const withExec = (await run({ config: { "quarantine:capture": '{"exec":true}' } })).one("/capture/exec/default/compromised-pod").inputs;
        const ex = captureStandIns();
        runScript(withExec.create, ex, withExec.environment);
        expect(kubectlCalls(ex).find((l) => l.includes(" exec pod/compromised-pod -- sh -c tar czf - /etc"))).toBeDefined();
    });

    it("give the capture pods of two nodes of one incident different names", async () => {
        const plan = await run({ cluster: scaledCluster(2, 2) });
        const prefixes = plan.all("").filter((r) => r.name.includes("/capture/volatile/")).map((r) => r.inputs.environment.CAPTURE_POD_PREFIX);
        expect(prefixes).toHaveLength(2);
        expect(new Set(prefixes).size).toBe(2);
    });

    it("skip the volatile state in immediate mode, and say so", async () => {
        const plan = await run({ config: { "quarantine:nodeIsolation": "immediate" } });
        expect(plan.all("/capture/volatile/gke-cluster-pool-1-abcdeffff-zgt8")).toEqual([]);
        expect(plan.outputs.evidenceNotes).toEqual([
            "node volatile state is not captured: nodeIsolation immediate cuts the node off before a capture pod could report",
        ]);
    });

    it("keep their artifacts on destroy: their delete removes nothing", async () => {
        const captures = (await run()).commands().filter((x) => /^# step: Capture/.test(x.inputs.create));
        expect(captures.length).toBeGreaterThan(0);
        for (const c of captures) {
            expect(c.inputs.delete, c.name).toMatch(/^# step: .*\n# destroy: kept: .*\n# kind: capture\n/);
            const st = captureStandIns();
            runScript(c.inputs.delete, st, c.inputs.environment);
            expect(kubectlCalls(st), c.name).toEqual([]);
        }
    });
});

describe("chain of custody", () => {
    it("lists every artifact and every snapshot with where, sha256 or snapshot id, when and as whom", async () => {
        const m = (await run()).outputs.custodyManifest;
        expect(m.incident).toBe("42");
        expect(m.artifacts.map((a: { what: string }) => a.what).sort()).toEqual([
            "Capture evidence of the node's volatile state through a capture pod",
            "Capture evidence of the node: object and events",
            "Capture evidence of the pod: object, describe, logs, events, service account rights",
        ]);
        expect(m.snapshots).toHaveLength(2);
        expect(m.snapshots[0]).toEqual({
            what: "snapshot of disk gke-cluster-pool-1-abcdeffff-zgt8",
            object: "snapshots/q-42-9f3c1a2b-gke-cluster-pool-1-abcdeffff-zgt8-13d0dc",
            snapshotId: "4242",
            takenAt: "2026-11-25T12:00:00.000-00:00",
            takenBy: "responder@acme.example",
        });
    });

    it("is written to the bucket under a name derived from its content, retained, never overwritten", async () => {
        const plan = await run();
        const obj = plan.one("/custody/manifest");
        const content = obj.inputs.content as string;
        const hash = createHash("sha256").update(content).digest("hex").slice(0, 16);
        expect(obj.inputs.name).toBe(`incident-42/custody/manifest-${hash}.json`);
        expect(obj.retainOnDelete).toBe(true);
        expect(JSON.parse(content)).toEqual(plan.outputs.custodyManifest);
    });
});

/** Stand-ins: kubectl prints "evidence" for anything asked; gcloud copies uploads aside. */
function captureStandIns(): { s: StandIns; uploads: string } {
    const s = standIns("capture", {
        kubectl: `printf '%s\\n' "$*" >> "$CALLS"\nif [[ "$*" == *go-template* ]]; then echo app; echo; exit 0; fi\nif [[ "$*" == *" run "* || "$*" == *" wait "* || "$*" == *" delete "* ]]; then exit 0; fi\necho "SECRET-EVIDENCE $*"`,
        gcloud: `if [ "$1 $2" = "config get-value" ]; then echo responder@acme.example; exit 0; fi\nif [ "$1 $2 $3" = "storage cp --no-clobber" ]; then cp "$4" "$UPLOADS/$(echo "$5" | tr / _)"; exit 0; fi\nexit 9`,
    });
    const uploads = join(s.dir, "uploads");
    execFileSync("mkdir", ["-p", uploads]);
    return { s, uploads };
}

function runScript(script: string, c: { s: StandIns; uploads: string }, env: Record<string, string>): string {
    return c.s.run(script, { CONTEXT: "ctx", BUCKET: "b", PROJECT: "p", ...env, UPLOADS: c.uploads, CALLS: join(c.s.dir, "calls") });
}

/** Every kubectl invocation a stand-in run made, one line of arguments each. */
function kubectlCalls(c: { s: StandIns }): string[] {
    const file = join(c.s.dir, "calls");
    return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

const header = { step: "Capture evidence", destroy: "kept", kind: "capture" as const };
const POD_CAPTURE = assemble({ ...header, script: "capture-pod" }, "capture-pod.create.sh");
const VOLATILE_CAPTURE = assemble({ ...header, script: "capture-volatile" }, "capture-volatile.create.sh");

const POD_ENV = { NAMESPACE: "default", POD: "web", PREFIX: "incident-42/pods/default/web", CONTAINERS_TEMPLATE: "{{range .spec.containers}}{{.name}}\n{{end}}" };

describe("a capture script, run for real with stand-in kubectl and gcloud", () => {
    it("uploads each artifact without clobbering and prints only its name and sha256, never its content", () => {
        const s = captureStandIns();
        const uploads = s.uploads;
        const stdout = runScript(POD_CAPTURE, s, POD_ENV);
        expect(stdout).not.toContain("SECRET-EVIDENCE");
        const artifacts = parseArtifacts(stdout);
        expect(stdout.trim().split("\n")).toHaveLength(artifacts.length);
        expect(artifacts.map((a) => a.what)).toContain("logs of container app");
        for (const a of artifacts) {
            expect(a.object).toMatch(/^gs:\/\/b\/incident-42\/pods\/default\/web\/\d{8}T\d{6}Z-\d+-\d+\//);
            expect(a.takenAt).toMatch(/^\d{8}T\d{6}Z$/);
            expect(a.takenBy).toBe("responder@acme.example");
            const uploaded = join(uploads, a.object.replace(/\//g, "_"));
            expect(existsSync(uploaded), a.object).toBe(true);
            expect(createHash("sha256").update(readFileSync(uploaded)).digest("hex")).toBe(a.sha256);
        }
        expect(readdirSync(uploads).length).toBe(artifacts.length);
    });

    it("adds a second run's artifacts beside the first's instead of overwriting them", () => {
        const s = captureStandIns();
        const first = parseArtifacts(runScript(POD_CAPTURE, s, POD_ENV)).map((a) => a.object);
        const second = parseArtifacts(runScript(POD_CAPTURE, s, POD_ENV)).map((a) => a.object);
        expect(second.filter((o) => first.includes(o))).toEqual([]);
        expect(readdirSync(s.uploads).length).toBe(first.length + second.length);
    });

    it("keeps the artifacts already uploaded when a later read fails, and records that read as not captured", () => {
        const s = captureStandIns();
        // The describe fails after the pod object went up: its line must still reach state.
        const failing = standIns("describe-fails", {
            kubectl: `if [[ "$*" == *" describe "* ]]; then echo 'error: the server was unable to return a response' >&2; exit 1; fi\nif [[ "$*" == *go-template* ]]; then echo app; echo; exit 0; fi\necho "evidence $*"`,
            gcloud: `if [ "$1 $2" = "config get-value" ]; then echo responder@acme.example; exit 0; fi\nif [ "$1 $2 $3" = "storage cp --no-clobber" ]; then cp "$4" "$UPLOADS/$(echo "$5" | tr / _)"; exit 0; fi\nexit 9`,
        });
        const stdout = failing.run(POD_CAPTURE, { CONTEXT: "ctx", BUCKET: "b", PROJECT: "p", ...POD_ENV, UPLOADS: s.uploads });
        expect(parseArtifacts(stdout).map((a) => a.what)).toContain("pod object");
        expect(parseNotCaptured(stdout).map((n) => [n.what, n.notCaptured])).toEqual([
            ["kubectl describe pod", "the read failed (exit 1): error: the server was unable to return a response"],
        ]);
    });

    const VOLATILE_ENV = {
        NODE: "gke-n1",
        IMAGE: "busybox:1.36",
        INCIDENT: "42",
        CAPTURE_NAMESPACE: "kube-system",
        CAPTURE_POD_PREFIX: "quarantine-capture-42-abc123",
        CAPTURE_WAIT: "1s",
        POD_STATE_TEMPLATE: "{{.status.phase}}",
        OVERRIDES: capturePodOverrides("42", "gke-n1", "busybox:1.36"),
        PREFIX: "incident-42/nodes/gke-n1",
    };

    it("records a capture pod that PodSecurity refuses as not captured, with the reason, and exits 0", () => {
        const s = standIns("refused", {
            kubectl: `if [[ "$*" == *" run "* ]]; then echo 'Error from server (Forbidden): pods "x" is forbidden: violates PodSecurity "restricted:latest"' >&2; exit 1; fi\nexit 0`,
            gcloud: 'if [ "$1 $2" = "config get-value" ]; then echo responder@acme.example; fi',
        });
        const stdout = s.run(VOLATILE_CAPTURE, { CONTEXT: "ctx", BUCKET: "b", PROJECT: "p", ...VOLATILE_ENV });
        expect(parseArtifacts(stdout)).toEqual([]);
        expect(parseNotCaptured(stdout)).toEqual([
            {
                what: "node volatile state: processes, connections, mounts, changed files",
                notCaptured: 'capture pod refused: Error from server (Forbidden): pods "x" is forbidden: violates PodSecurity "restricted:latest"',
                takenAt: expect.stringMatching(/^\d{8}T\d{6}Z$/),
                takenBy: "responder@acme.example",
            },
        ]);
    });

    it("records a capture pod that never finishes (an image it can't pull) as not captured, after its bounded wait", () => {
        const s = standIns("unpullable", {
            kubectl: `if [[ "$*" == *" wait "* ]]; then echo 'error: timed out waiting for the condition' >&2; exit 1; fi\nif [[ "$*" == *" get "* ]]; then echo 'Pending, ErrImagePull: no route to registry'; fi\nexit 0`,
            gcloud: 'if [ "$1 $2" = "config get-value" ]; then echo responder@acme.example; fi',
        });
        const stdout = s.run(VOLATILE_CAPTURE, { CONTEXT: "ctx", BUCKET: "b", PROJECT: "p", ...VOLATILE_ENV });
        expect(parseNotCaptured(stdout).map((n) => n.notCaptured)).toEqual(["capture pod did not finish within 1s: Pending, ErrImagePull: no route to registry"]);
    });

    it("records the volatile state as not captured when the bucket is not there yet, and exits 0", () => {
        const s = standIns("nobucket", {
            kubectl: 'if [[ "$*" == *" logs "* ]]; then echo "== processes"; fi\nexit 0',
            gcloud: 'if [ "$1 $2" = "config get-value" ]; then echo responder@acme.example; exit 0; fi\necho "ERROR: gs://b: bucket does not exist" >&2; exit 1',
        });
        const stdout = s.run(VOLATILE_CAPTURE, { CONTEXT: "ctx", BUCKET: "b", PROJECT: "p", ...VOLATILE_ENV });
        expect(parseNotCaptured(stdout).map((n) => n.notCaptured)).toEqual(["upload to gs://b failed (is the bucket there yet?)"]);
    });

    it("builds the node capture pod as valid JSON, pinned to the node and skipped by the drain", () => {
        const s = captureStandIns();
        runScript(VOLATILE_CAPTURE, s, {
            NODE: "gke-n1",
            IMAGE: "busybox:1.36",
            INCIDENT: "42",
            CAPTURE_NAMESPACE: "kube-system",
            CAPTURE_POD_PREFIX: "quarantine-capture-42-abc123",
            CAPTURE_WAIT: "180s",
            POD_STATE_TEMPLATE: "{{.status.phase}}",
            OVERRIDES: capturePodOverrides("42", "gke-n1", "busybox:1.36"),
            PREFIX: "incident-42/nodes/gke-n1",
        });
        const run = readFileSync(join(s.s.dir, "calls"), "utf8").split("\n").find((l) => l.includes(" run "))!;
        const overrides = run.slice(run.indexOf("--overrides=") + "--overrides=".length);
        const pod = JSON.parse(overrides.slice(0, overrides.lastIndexOf(" -- ")));
        expect(pod.spec.nodeName).toBe("gke-n1");
        expect(pod.metadata.labels).toEqual({ quarantine: "true", "quarantine/host": "42", "quarantine/capture": "42" });
        expect(pod.spec.containers[0].command.slice(0, 4)).toEqual(["chroot", "/host", "/bin/sh", "-c"]);
        expect(pod.spec.containers[0].command[4]).toBe(HOST_COMMANDS);
    });

    it("refuses, before anything is registered, a node name that could break out of the capture pod's JSON", async () => {
        const cluster = sampleCluster();
        const bad = { ...cluster, nodes: cluster.nodes.map((n) => ({ ...n, name: 'n","hostPath":"/' })) };
        bad.pods = bad.pods.map((p) => ({ ...p, node: 'n","hostPath":"/' }));
        await expect(run({ cluster: bad })).rejects.toThrow(/node name/);
    });
});
