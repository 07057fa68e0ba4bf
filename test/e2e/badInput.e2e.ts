import { readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE } from "../../tools/mockEngine/sampleCluster";
import { CLUSTER_BINARIES, KUBERNETES_PROVIDER, PULUMI_BINARIES, ROOT, skipReason } from "./harness/bin";
import { startControlPlane, type ControlPlane } from "./harness/controlPlane";
import { waitFor, type RunResult } from "./harness/proc";
import { sampleObjects } from "./harness/sampleObjects";
import { newProject, type Project } from "./harness/stack";

// Scenario 7 of issue 12: a config error is a refusal from `pulumi preview` that names the key and
// the bad value, without a stack trace, and nothing is created, not even by `pulumi up`. The
// program validates every key (stacks/config.ts) before it reads anything, so this needs no gcp
// provider: none is installed here, and the run shows the engine never asks for one.

const EXAMPLE = load(readFileSync(path.join(ROOT, "stacks/Pulumi.incident-42.example.yaml"), "utf8")) as {
    config: Record<string, unknown>;
};
const CONTEXT = String(EXAMPLE.config["kubernetes:context"]);
const skip = skipReason("badInput.e2e", [...PULUMI_BINARIES, ...CLUSTER_BINARIES, KUBERNETES_PROVIDER]);

/** CLI output as one text: the engine prints the program's error to stdout, diagnostics to stderr. */
const text = (r: RunResult) => `${r.stdout}\n${r.stderr}`;
/** A JavaScript stack frame, as Node prints it ("    at fn (file:line:col)"). */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

describe.skipIf(skip !== undefined)("scenario 7: bad input is refused before anything is read or created", () => {
    let cp: ControlPlane;
    let project: Project;
    let podLabelsBefore = "";
    let nodeBefore = "";
    const state = () => project.resources();

    beforeAll(async () => {
        cp = await startControlPlane({ context: CONTEXT });
        await cp.seed(sampleObjects());
        await waitFor("sample pod Running", 60_000, async () =>
            (await cp.kubectlOk(["get", "pod", "compromised-pod", "-o", "jsonpath={.status.phase}"])) === "Running" ? true : undefined,
        );
        podLabelsBefore = await cp.kubectlOk(["get", "pods", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels}{'\\n'}{end}"]);
        nodeBefore = await cp.kubectlOk(["get", "node", SAMPLE_NODE, "-o", "jsonpath={.metadata.labels} {.spec.unschedulable} {.spec.taints}"]);

        project = await newProject({ kubeconfigPath: cp.kubeconfigPath });
        expect((await project.stackInit("incident-42")).code).toBe(0);
        // The example stack's good keys, as a responder sets them; the bad ones per test below.
        for (const [key, value] of [
            ["gcp:project", EXAMPLE.config["gcp:project"]],
            ["kubernetes:context", CONTEXT],
            ["quarantine:cluster.name", "prod"],
            ["quarantine:cluster.location", "us-central1"],
        ] as const) {
            expect((await project.configSet(key, String(value), { path: key.includes(".") })).code).toBe(0);
        }
    });

    afterAll(async () => {
        project?.cleanup();
        await cp?.stop();
    });

    it("an invalid pod name and an unknown level: preview exits non-zero naming each key and value, no stack trace", async () => {
        expect((await project.configSet("quarantine:pods[0]", "Default/Web", { path: true })).code).toBe(0);
        expect((await project.configSet("quarantine:level", "contain")).code).toBe(0);
        const t0 = Date.now();
        const r = await project.preview();
        console.info(`preview refused in ${Date.now() - t0} ms`);
        expect(r.code, text(r)).not.toBe(0);
        const out = text(r);
        // One line per problem, each with the key, the value and what to do.
        expect(out).toMatch(/^.*quarantine:pods\[0\] "Default\/Web" is not a valid pod name.*e\.g\. default\/web-5d9f$/m);
        expect(out).toMatch(/^.*quarantine:level "contain" must be one of observe \| isolate \| redeploy \| delete-workload \| delete-node.*$/m);
        expect(out).not.toMatch(STACK_FRAME);
        expect(out).not.toContain("ConfigError");
        // Not asserted: the SDK also prints "(node:N) PromiseRejectionHandledWarning: Promise
        // rejection was handled asynchronously" for any program whose exported promise rejects
        // (a two-line program shows it too, under SDK 3.248.0 with language host 3.68.0).
        // The refusal is the program's, not a missing plugin: nothing asked for gcp.
        expect(out).not.toMatch(/no resource plugin|plugin .*gcp|could not find/i);
    });

    it("pulumi up with the same config fails the same way and creates nothing", async () => {
        const r = await project.up();
        expect(r.code, text(r)).not.toBe(0);
        expect(text(r)).toContain('quarantine:pods[0] "Default/Web"');
        expect(text(r)).not.toMatch(STACK_FRAME);
        // Nothing besides the stack itself (a failed first update does not even record that): no
        // provider, no read, no component.
        expect((await state()).filter((x) => x.type !== "pulumi:pulumi:Stack")).toEqual([]);
    });

    it("a mistyped key is refused by name, with the known keys", async () => {
        expect((await project.configSet("quarantine:pods[0]", "default/compromised-pod", { path: true })).code).toBe(0);
        expect((await project.cli.run(["config", "rm", "quarantine:level"])).code).toBe(0);
        expect((await project.configSet("quarantine:leve", "observe")).code).toBe(0);
        const r = await project.preview();
        expect(r.code, text(r)).not.toBe(0);
        expect(text(r)).toMatch(/quarantine:leve is not a known setting; known: .*\blevel\b/);
        expect(text(r)).not.toMatch(STACK_FRAME);
    });

    it("the cluster is untouched: no NetworkPolicy, same pod and node labels, node schedulable", async () => {
        expect(await cp.kubectlOk(["get", "networkpolicies", "-A", "-o", "name"])).toBe("");
        expect(await cp.kubectlOk(["get", "pods", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels}{'\\n'}{end}"])).toBe(
            podLabelsBefore,
        );
        expect(await cp.kubectlOk(["get", "node", SAMPLE_NODE, "-o", "jsonpath={.metadata.labels} {.spec.unschedulable} {.spec.taints}"])).toBe(nodeBefore);
    });
});
