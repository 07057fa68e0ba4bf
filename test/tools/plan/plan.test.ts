import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { runIncident } from "../../../tools/mockEngine/engine";
import { clusterFor, flattenStackConfig, planOptions } from "../../../tools/plan/plan";
import { planSteps, renderPlan } from "../../../tools/plan/render";

const EXAMPLE = "stacks/Pulumi.incident-42.example.yaml";

describe("offline plan of the sample incident", () => {
    it("lists every step after the steps it waits for, evidence first, each with what destroy does", async () => {
        const steps = planSteps(await runIncident({ ...planOptions(), preview: true }));
        for (const s of steps) {
            for (const a of s.after) expect(a, `[${s.index}] ${s.title}`).toBeLessThan(s.index);
            expect(s.destroy, s.title).toMatch(/^(kept|reversed|one-way|nothing to undo)/);
        }
        const at = (t: string) => steps.findIndex((s) => s.title.startsWith(t));
        expect(steps[0].title).toMatch(/^Label pod default\/compromised-pod/);
        // A snapshot waits for the run's name part only, and comes before anything that cuts off the node.
        const snapshot = steps[at("Snapshot disk gke-cluster-pool-1-abcdeffff-zgt8")];
        expect(snapshot.after).toEqual([steps[at("Pick this quarantine run's random name part")].index]);
        expect(at("Snapshot disk")).toBeLessThan(at("Add the incident's isolation tag"));
        expect(at("Drain every pod")).toBeGreaterThan(at("Cordon node"));
        expect(at("Add the incident's isolation tag")).toBeGreaterThan(at("Drain every pod"));
        expect(steps[at("Drain every pod")].detail[0]).toContain(`--pod-selector='!quarantine'`);
    });

    it("prints the one-way actions and the bastion command", async () => {
        const text = renderPlan(await runIncident({ ...planOptions(), preview: true }));
        expect(text).toContain("One-way actions (pulumi destroy does not undo them):");
        expect(text).toContain("  - abandoned gke-cluster-pool-1-abcdeffff-zgt8 from managed instance group");
        expect(text).toContain("gcloud compute ssh quarantine-42-bastion-");
    });
});

describe("offline plan of a responder's stack config", () => {
    it("reads the example stack config as the CLI would pass it to the program", () => {
        const opts = planOptions(EXAMPLE);
        expect(opts.stack).toBe("incident-42");
        expect(opts.config).toMatchObject({
            "gcp:project": "acme-prod",
            "quarantine:pods": '["default/compromised-pod"]',
            "quarantine:cluster": '{"name":"prod","location":"us-central1"}',
            "quarantine:level": "isolate",
        });
    });

    it("places the config's own pods on the sample node", async () => {
        const config = flattenStackConfig(
            "config:\n  gcp:project: acme-prod\n  kubernetes:context: ctx\n  quarantine:pods:\n    - payments/api-7c9\n",
        );
        const result = await runIncident({ cluster: clusterFor(config), config, stack: "incident-9", preview: true });
        expect(result.outputs.nodes[0].pods).toEqual(["payments/api-7c9"]);
        expect(renderPlan(result)).toContain("Label pod payments/api-7c9 quarantine=true,quarantine/incident=9");
    });

    it("refuses secrets it can't decrypt, naming the key", () => {
        expect(() => flattenStackConfig("config:\n  quarantine:token:\n    secure: AAABAx==\n")).toThrow(
            "quarantine:token is a secret; the offline plan can't decrypt it",
        );
    });

    it("runs as `npm run plan -- FILE` and fails with the key to fix", () => {
        const dir = mkdtempSync(join(tmpdir(), "quarantine-plan-"));
        const bad = join(dir, "Pulumi.incident-5.yaml");
        writeFileSync(bad, "config:\n  gcp:project: acme-prod\n  kubernetes:context: ctx\n  quarantine:pods:\n    - default/Bad_Name\n");
        const ok = execFileSync("npm", ["run", "--silent", "plan", "--", EXAMPLE], { encoding: "utf8", timeout: 120_000 });
        expect(ok.split("\n")[0]).toBe("Containment plan for incident 42: level isolate, node isolation after-drain");
        let failure = "";
        try {
            execFileSync("npm", ["run", "--silent", "plan", "--", bad], { encoding: "utf8", timeout: 120_000, stdio: "pipe" });
        } catch (e) {
            failure = String((e as { stderr: string }).stderr);
        }
        expect(failure).toContain('quarantine:pods[0] "default/Bad_Name" is not a valid pod name');
    });
});
