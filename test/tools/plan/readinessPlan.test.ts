import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { runIncident } from "../../../tools/mockEngine/engine";
import { flattenStackConfig, planOptions, readinessOptions, withReadiness } from "../../../tools/plan/plan";
import { renderPlan } from "../../../tools/plan/render";
import { renderReadinessPlan } from "../../../tools/plan/readinessRender";
import { runReadiness } from "../../../tools/plan/readinessRun";

const EXAMPLE = "stacks/readiness/Pulumi.readiness-prod.example.yaml";

describe("offline readiness plan", () => {
    it("reads the stack name from the file name, as for an incident config", () => {
        const opts = readinessOptions(EXAMPLE);
        expect(opts.stack).toBe("readiness-prod");
        expect(opts.config["quarantine-readiness:evidenceProject"]).toBe("acme-forensics");
    });

    it("lists every resource the example declares in a section, none left unexplained", async () => {
        const { config, stack } = readinessOptions(EXAMPLE);
        const run = await runReadiness(config, stack);
        const text = renderReadinessPlan(run);
        expect(text).not.toContain("Other resources:");
        const custom = run.resources.filter((r) => !r.type.startsWith("quarantine:"));
        expect(text.split("\n")[0]).toBe(`Readiness plan for stack readiness-prod: project acme-prod, ${custom.length} resources`);
        expect(text.split("\n").filter((l) => l.startsWith("  - ")).length).toBeGreaterThanOrEqual(custom.length);
    });

    it("shows the evidence bucket's project, retention, lock and that destroy keeps it", async () => {
        const { config, stack } = readinessOptions(EXAMPLE);
        const text = renderReadinessPlan(await runReadiness(config, stack));
        expect(text).toContain("  - gs://acme-forensics-quarantine-evidence in project acme-forensics, us-central1: retention 90 days, unlocked\n");
        expect(text).toContain("public access prevention enforced, no Object Versioning (refused beside a retention policy); kept on destroy (evidence)");
    });

    it("shows each pre-staged rule on the generic tag, and what an incident stack then does", async () => {
        const { config, stack } = readinessOptions(EXAMPLE);
        const text = renderReadinessPlan(await runReadiness(config, stack));
        expect(text).toMatch(/ {2}- prestaged-quarantine-egress-deny-[0-9a-f]{6} in default: EGRESS deny all to 0\.0\.0\.0\/0, priority 0, targets tag quarantined-vm; removed on destroy: a VM still tagged is released/);
        expect(text).toMatch(/ {2}- prestaged-quarantine-ingress-deny-v6-[0-9a-f]{6} in default: INGRESS deny all from ::\/0, priority 1, targets tag quarantined-vm/);
        expect(text).toContain("tags each VM quarantined-vm beside its own tag, its bastions quarantined-vm-bastion, and declares no firewall rule in default.");
    });

    it("says what it assumed in place of the cloud's answers, and warns when nothing is pre-staged", async () => {
        const config = flattenStackConfig("config:\n  gcp:project: acme-prod\n  quarantine-readiness:notifications:\n    emails: [secops@acme.com]\n  quarantine-readiness:evidenceBucket:\n    location: EU\n");
        const text = renderReadinessPlan(await runReadiness(config, "readiness-eu"));
        expect(text).toContain("  - the project has no audit config yet (preview reads the real one and warns about what it replaces)");
        expect(text).toContain("no quarantine firewall is pre-staged: incident stacks declare their own rules");
        expect(text).not.toContain("Pre-staged containment");
    });

    it("runs as `npm run plan -- --readiness FILE` and fails with the key to fix", () => {
        const dir = mkdtempSync(join(tmpdir(), "quarantine-readiness-plan-"));
        const bad = join(dir, "Pulumi.readiness-x.yaml");
        writeFileSync(bad, "config:\n  gcp:project: acme-prod\n  quarantine-readiness:notifications:\n    emails: [secops@acme.com]\n");
        const ok = execFileSync("npm", ["run", "--silent", "plan", "--", "--readiness", EXAMPLE], { encoding: "utf8", timeout: 120_000 });
        expect(ok.split("\n")[0]).toMatch(/^Readiness plan for stack readiness-prod: project acme-prod, \d+ resources$/);
        let failure = "";
        try {
            execFileSync("npm", ["run", "--silent", "plan", "--", "--readiness", bad], { encoding: "utf8", timeout: 120_000, stdio: "pipe" });
        } catch (e) {
            failure = String((e as { stderr: string }).stderr);
        }
        expect(failure).toContain("quarantine-readiness:evidenceBucket.location (unset) is required");
    });
});

describe("the incident plan beside a readiness stack (issue #13.7)", () => {
    const INCIDENT = "stacks/Pulumi.incident-42.example.yaml";
    const planned = async () => {
        const { config, stack } = readinessOptions(EXAMPLE);
        const readiness = await runReadiness(config, stack);
        return runIncident({ ...withReadiness(planOptions(INCIDENT), stack, readiness.outputs), preview: true });
    };

    it("declares no firewall rule of the incident's own where the readiness stack pre-stages them", async () => {
        const result = await planned();
        expect(result.resources.filter((r) => r.type === "gcp:compute/firewall:Firewall" && !r.read)).toEqual([]);
    });

    it("shows a cut-off that waits for no firewall rule, where the plan without it waits for two", async () => {
        const alone = renderPlan(await runIncident({ ...planOptions(INCIDENT), preview: true }));
        const beside = renderPlan(await planned());
        const rules = (text: string) => (text.match(/Firewall rule quarantine-42-(egress|ingress)-deny/g) ?? []).length;
        expect([rules(alone) > 0, rules(beside)]).toEqual([true, 0]);
    });
});
