import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../tools/cli/flags";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { CLUSTER_BINARIES, KUBERNETES_PROVIDER, PULUMI_BINARIES, ROOT, skipReason } from "./harness/bin";
import { startControlPlane, type ControlPlane } from "./harness/controlPlane";
import { startGoogleFakes, type GoogleFakes } from "./harness/googleFakes";
import { CONTEXT, getJson, MANAGED_POD, pods, scenarioObjects, setExampleConfig } from "./harness/isolateScenario";
import { run, waitFor } from "./harness/proc";
import { COMMAND_STAND_IN, GCP_STAND_IN, KUBERNETES, RANDOM_STAND_IN } from "./harness/pulumiCli";
import { newProject, type Project } from "./harness/stack";

// The quarantine CLI (bin/quarantine, what `npx quarantine` runs) on the Automation API, driving
// the real Pulumi CLI against the isolate scenario's control plane and Google fakes: a preview from
// an alert, open at observe, verify, escalate to isolate, verify, the pod's labels removed by hand,
// verify again, close and report. The assertions are on the cluster, the stack and the CLI's exit
// codes and JSON, and on the report's custody verdicts. Run: npx vitest run --config vitest.e2e.config.mts test/e2e/cli.e2e.ts

const POD = "compromised-pod";
const skip = skipReason("cli.e2e", [...PULUMI_BINARIES, ...CLUSTER_BINARIES, KUBERNETES_PROVIDER]);

describe.skipIf(skip !== undefined)("the quarantine CLI: preview from an alert, open, verify, escalate, drift, close, report", () => {
    let cp: ControlPlane;
    let gcp: GoogleFakes;
    let project: Project;

    /**
     * bin/quarantine with the harness's sealed CLI first on the PATH and its file:// state as
     * PULUMI_BACKEND_URL. Asynchronous: the Google fakes answer from this process's event loop.
     */
    async function quarantine(args: string[], timeoutMs = 480_000) {
        const env = {
            ...project.cli.env,
            PATH: `${path.dirname(project.cli.pulumi)}:${project.cli.env.PATH}`,
            PULUMI_BACKEND_URL: `file://${project.cli.stateDir}`,
            QUARANTINE_PROJECT_DIR: project.dir,
            NO_COLOR: "1",
        };
        const r = await run(process.execPath, [path.join(ROOT, "bin/quarantine"), ...args], { cwd: path.dirname(project.dir), env, timeoutMs });
        return { ...r, text: `exit ${r.code}\n${r.stdout}\n${r.stderr}` };
    }

    beforeAll(async () => {
        gcp = await startGoogleFakes(sampleCluster());
        cp = await startControlPlane({ context: CONTEXT, stages: [path.join(__dirname, "harness/kwok-capture-stage.yaml")] });
        await cp.seed(scenarioObjects());
        await waitFor("sample pods Running", 90_000, async () => {
            const p = await pods(cp);
            return [`default/${POD}`, `${MANAGED_POD.namespace}/${MANAGED_POD.name}`].every((k) => p[k]?.phase === "Running") ? true : undefined;
        });
        project = await newProject({ kubeconfigPath: cp.kubeconfigPath, plugins: [KUBERNETES, COMMAND_STAND_IN, GCP_STAND_IN, RANDOM_STAND_IN], env: gcp.env });
        // The example stack config (cluster, project, context), as a responder copies it; `open` then sets the incident's keys.
        expect((await project.stackInit("incident-42")).code).toBe(0);
        await setExampleConfig(project);
    });

    afterAll(async () => {
        project?.cleanup();
        await cp?.stop();
        await gcp?.close();
    });

    const ALERT = path.join(ROOT, "test/cli/fixtures/alert-pod-exec.json");
    const config = async () => JSON.parse((await project.cli.ok(["config", "--json", "--stack", "incident-42"])).stdout);
    const verifyJson = async () => {
        const r = await quarantine(["verify", "42", "--json"], 240_000);
        return { ...r, report: JSON.parse(r.stdout) as { holds: boolean; checks: { what: string; holds: boolean | null; detail: string }[] } };
    };
    const failing = (v: { checks: { what: string; holds: boolean | null }[] }) => v.checks.filter((c) => c.holds !== true).map((c) => c.what);

    it("open --preview-only --from-alert prints the plan for the alert's pod and leaves the stack's config as it was", async () => {
        const before = await config();
        const r = await quarantine(["open", "42", "--preview-only", "--from-alert", ALERT, "--no-policy-pack"], 240_000);
        expect(r.code, r.text).toBe(0);
        expect(r.stdout).toMatch(/^Alert "quarantine: exec, attach or port-forward into a pod" \(open, started 2026-11-25T11:58:00.000Z/);
        expect(r.stdout).toContain(`pod default/${POD}, by dev-laptop@acme-prod.iam.gserviceaccount.com`);
        expect(r.stdout).toContain("Cut off (pod, then node):");
        expect(r.stdout).toContain(`Preview only: nothing was changed. To apply: quarantine open 42 --pod default/${POD} --level isolate`);
        expect(await config()).toEqual(before);
        expect(await project.resources()).toEqual([]);
        expect((await getJson(cp, ["pod", "-n", "default", POD])).metadata.labels).toEqual({ app: "web", "pod-template-hash": "5d9f" });
    });

    it("open --preview-only of a new incident removes the stack it made for the preview", async () => {
        const r = await quarantine(["open", "43", "--preview-only", "--from-alert", ALERT, "--no-policy-pack"], 240_000);
        expect(r.code, r.text).toBe(0);
        // The alert's project and cluster became --project and --context: the new stack had none.
        expect(r.stdout).toContain(`--project acme-prod --context ${CONTEXT}`);
        const stacks = JSON.parse((await project.cli.ok(["stack", "ls", "--json"])).stdout) as { name: string }[];
        expect(stacks.map((x) => x.name)).toEqual(["incident-42"]);
        expect(existsSync(path.join(project.dir, "Pulumi.incident-43.yaml"))).toBe(false);
    });

    it("open --level observe takes the evidence; verify then says the level declares no quarantine (exit 3)", async () => {
        const r = await quarantine(["open", "42", "--pod", `default/${POD}`, "--level", "observe", "--yes", "--no-policy-pack"]);
        expect(r.code, r.text).toBe(0);
        expect((await getJson(cp, ["pod", "-n", "default", POD])).metadata.labels).toEqual({ app: "web", "pod-template-hash": "5d9f" });
        const v = await verifyJson();
        expect(v.code, v.text).toBe(EXIT.notHeld);
        expect(failing(v.report)).toEqual(["level declares the quarantine (isolate or above)"]);
    });

    it("escalate to isolate cuts the pod and the node off; verify then holds (exit 0)", async () => {
        const r = await quarantine(["escalate", "42", "isolate", "--yes", "--no-policy-pack"]);
        expect(r.code, r.text).toBe(0);
        expect((await getJson(cp, ["pod", "-n", "default", POD])).metadata.labels).toEqual({ quarantine: "true", "quarantine/incident": "42" });
        expect((await getJson(cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBe(true);
        const v = await verifyJson();
        expect(v.code, v.text).toBe(EXIT.ok);
        expect(v.report.holds).toBe(true);
    });

    it("status --json reports it isolated, by this responder, with its one-way actions", async () => {
        const r = await quarantine(["status", "--json"], 120_000);
        expect(r.code, r.text).toBe(0);
        const [s] = JSON.parse(r.stdout);
        expect(s).toMatchObject({ stack: "incident-42", level: "isolate", pods: [`default/${POD}`], nodes: [SAMPLE_NODE], podsCutOff: true, nodesCutOff: true, closed: false });
        expect(s.lastUpdate).toMatchObject({ kind: "update", result: "succeeded", by: expect.stringMatching(/@/) });
        expect(s.oneWayActions.some((a: string) => a.startsWith(`abandoned ${SAMPLE_NODE}`))).toBe(true);
    });

    it("verify fails (exit 3) once the pod's quarantine labels are removed by hand, naming the drift", async () => {
        // What a stolen credential does to escape the deny-all.
        await cp.kubectlOk(["label", "pod", "-n", "default", POD, "quarantine-", "quarantine/incident-"]);
        const v = await verifyJson();
        expect(v.code, v.text).toBe(EXIT.notHeld);
        expect(failing(v.report)).toEqual([`pod default/${POD} labelled quarantine=true, quarantine/incident=42`, `pod default/${POD} selected by the deny-all`]);
        expect(v.report.checks.find((c) => c.what.endsWith("quarantine/incident=42"))!.detail).toBe("labels now {}");
    });

    it("close --yes destroys the quarantine and writes the report, the custody manifest checked against the bucket", async () => {
        const out = (await project.outputs()).values as { evidenceBucket: string; custodyManifest: { artifacts: { object: string }[] } };
        const artifacts = out.custodyManifest.artifacts;
        expect(artifacts.length).toBeGreaterThan(0);
        // Someone with write access to the bucket alters one artifact (the fake ignores the retention policy here).
        const altered = artifacts[0].object;
        gcp.storage.state.objects[altered.slice("gs://".length)].data += "altered\n";
        const report = path.join(path.dirname(project.dir), "incident-42.md");
        const r = await quarantine(["close", "42", "--yes", "--report", report]);
        expect(r.code, r.text).toBe(0);
        expect(r.stdout).toMatch(/What stays:\n {2}snapshot q-42-/);
        expect((await getJson(cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBeUndefined();
        const md = readFileSync(report, "utf8");
        expect(md).toMatch(/^# Incident 42: quarantine report/);
        expect(md).toMatch(/\| destroy \| isolate \| succeeded \|/);
        expect(md).toContain(`Checked against gs://${out.evidenceBucket}: 1 mismatch, ${artifacts.length} verified of ${artifacts.length + 1} objects.`);
        const row = (o: string) => md.split("\n").find((l) => l.includes(`\`${o}\``))!;
        expect(row(altered)).toMatch(/\| mismatch: the object's sha256 is [0-9a-f]{64}, the manifest recorded [0-9a-f]{64} \|$/);
        for (const a of artifacts.slice(1)) expect(row(a.object).endsWith("| verified |")).toBe(true);
        expect(md).toContain("Manifest object: verified.");
        expect(gcp.violations()).toEqual([]);
    });

    it("report --json after close has the whole timeline; status says closed", async () => {
        const r = await quarantine(["report", "42", "--json"], 120_000);
        expect(r.code, r.text).toBe(0);
        const m = JSON.parse(r.stdout) as { timeline: { kind: string; level?: string; result: string }[]; state: string };
        expect(m.timeline.filter((e) => e.kind !== "refresh").map((e) => [e.kind, e.level, e.result])).toEqual([
            ["update", "observe", "succeeded"],
            ["update", "isolate", "succeeded"],
            ["destroy", "isolate", "succeeded"],
        ]);
        expect(m.state).toMatch(/^closed \(destroy #\d+ by .+@/);
        const [s] = JSON.parse((await quarantine(["status", "--json"], 120_000)).stdout);
        expect(s).toMatchObject({ closed: true, podsCutOff: false, lastUpdate: { kind: "destroy" } });
    });
});
