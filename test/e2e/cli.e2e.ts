import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { CLUSTER_BINARIES, KUBERNETES_PROVIDER, PULUMI_BINARIES, ROOT, skipReason } from "./harness/bin";
import { startControlPlane, type ControlPlane } from "./harness/controlPlane";
import { startGoogleFakes, type GoogleFakes } from "./harness/googleFakes";
import { CONTEXT, getJson, MANAGED_POD, pods, scenarioObjects, setExampleConfig } from "./harness/isolateScenario";
import { run, waitFor } from "./harness/proc";
import { COMMAND_STAND_IN, GCP_STAND_IN, KUBERNETES, RANDOM_STAND_IN } from "./harness/pulumiCli";
import { newProject, type Project } from "./harness/stack";

// The quarantine CLI (bin/quarantine, what `npx quarantine` runs) on the Automation API, driving
// the real Pulumi CLI against the isolate scenario's control plane and Google fakes: open --yes,
// status --json, close --yes. The assertions are on the cluster and on the CLI's exit codes and
// JSON, not on its wording. Run: npx vitest run --config vitest.e2e.config.mts test/e2e/cli.e2e.ts

const POD = "compromised-pod";
const skip = skipReason("cli.e2e", [...PULUMI_BINARIES, ...CLUSTER_BINARIES, KUBERNETES_PROVIDER]);

describe.skipIf(skip !== undefined)("the quarantine CLI: open, status, close", () => {
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

    it("open --yes previews, then isolates the pod and the node (exit 0)", async () => {
        // The harness's language host can't start the policy pack ("could not read plugin
        // [policies]: not supported", see isolate.e2e.ts), so this runs without it.
        const r = await quarantine(["open", "42", "--pod", `default/${POD}`, "--yes", "--no-policy-pack"]);
        expect(r.code, r.text).toBe(0);
        expect(r.stdout).toContain("Cut off (pod, then node):");
        expect(r.stdout.indexOf("Cut off")).toBeLessThan(r.stdout.indexOf("Evidence (kept after destroy):"));
        const pod = await getJson(cp, ["pod", "-n", "default", POD]);
        expect(pod.metadata.labels).toEqual({ quarantine: "true", "quarantine/incident": "42" });
        expect((await getJson(cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBe(true);
    });

    it("status --json reports it isolated, by this responder, with its one-way actions", async () => {
        const r = await quarantine(["status", "--json"], 120_000);
        expect(r.code, r.text).toBe(0);
        const [s] = JSON.parse(r.stdout);
        expect(s).toMatchObject({ stack: "incident-42", level: "isolate", pods: [`default/${POD}`], nodes: [SAMPLE_NODE], podsCutOff: true, nodesCutOff: true, closed: false });
        expect(s.lastUpdate).toMatchObject({ kind: "update", result: "succeeded", by: expect.stringMatching(/@/) });
        expect(s.oneWayActions.some((a: string) => a.startsWith(`abandoned ${SAMPLE_NODE}`))).toBe(true);
    });

    it("close --yes destroys the quarantine and writes the report; status then says closed", async () => {
        const report = path.join(path.dirname(project.dir), "incident-42.md");
        const r = await quarantine(["close", "42", "--yes", "--report", report]);
        expect(r.code, r.text).toBe(0);
        expect(r.stdout).toMatch(/What stays:\n {2}snapshot q-42-/);
        expect((await getJson(cp, ["node", SAMPLE_NODE])).spec.unschedulable).toBeUndefined();
        const md = readFileSync(report, "utf8");
        expect(md).toMatch(/^# Incident 42: quarantine report/);
        expect(md).toMatch(/\| destroy \| isolate \| succeeded \|/);
        const [s] = JSON.parse((await quarantine(["status", "--json"], 120_000)).stdout);
        expect(s).toMatchObject({ closed: true, podsCutOff: false, lastUpdate: { kind: "destroy" } });
    });
});
