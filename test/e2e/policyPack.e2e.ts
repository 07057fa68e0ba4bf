import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_NODE } from "../../tools/mockEngine/sampleCluster";
import { skipE2e, startIncident, text, UP_TIMEOUT_MS, type IncidentWorld } from "./harness/incident";
import { getJson } from "./harness/isolateScenario";
import { launchPackWithoutHost, POLICY_LAUNCHER } from "./harness/policyPack";

// Issue 12, scenario 6: the policy pack blocks a mutated program in preview through the real CLI
// (`pulumi preview --diff --policy-pack policies`), and lets the program as it is through. The
// pack is started by the harness's launcher, not by language host v3.68.0 (harness/policyPack.ts).
// Run: npx vitest run --config vitest.e2e.config.mts test/e2e/policyPack.e2e.ts

const skip = skipE2e("policyPack.e2e");
// What `preview --diff` prints once the pack ran (violations, if any, are inline in the diff).
const PACK_RAN = /Policy Packs run:\s*\n\s*Name\s+Version\s*\n\s*quarantine-guardrails\|local\|policies\s+0\.1\.0/;
const violations = (out: string) => out.match(/quarantine-guardrails@v0\.1\.0 \[(mandatory|advisory)\].*/g) ?? [];
const FORCED = `sets pulumi.com/patchForce ("true"): a forced apply takes fields from their other managers (another incident's cordon, the cluster's controllers); remove it`;

describe.skipIf(skip !== undefined)("scenario 6: the policy pack in preview", () => {
    let w: IncidentWorld;

    beforeAll(async () => {
        w = await startIncident();
        await w.project.cli.installPlugin(POLICY_LAUNCHER);
        launchPackWithoutHost(w.project.dir);
    });
    afterAll(async () => w?.close());

    it("passes the program as it is: preview exits 0 and the pack reports no violation", async () => {
        const r = w.keep("preview", await w.project.preview({ policyPack: true, timeoutMs: UP_TIMEOUT_MS }));
        expect(r.code, text(r)).toBe(0);
        expect(text(r)).toMatch(PACK_RAN);
        expect(violations(text(r))).toEqual([]);
    });

    it("blocks a cordon mutated to force its apply: preview fails on the mandatory patch-no-force, and nothing is created", async () => {
        const file = path.join(w.project.dir, "components", "cordonDrain.ts");
        const source = readFileSync(file, "utf8");
        const anchor = `labels: { [LABELS.investigation]: "true" },`;
        expect(source, "the mutation's anchor").toContain(anchor);
        writeFileSync(file, source.replace(anchor, `${anchor} annotations: { "pulumi.com/patchForce": "true" },`));
        const r = w.keep("preview-mutated", await w.project.preview({ policyPack: true, timeoutMs: UP_TIMEOUT_MS }));
        expect(r.code, text(r)).not.toBe(0);
        expect(text(r)).toMatch(PACK_RAN);
        expect(violations(text(r))).toEqual([
            `quarantine-guardrails@v0.1.0 [mandatory]  patch-no-force  (kubernetes:core/v1:NodePatch: 42/node/${SAMPLE_NODE}/cordon)Patch resources never set the pulumi.com/patchForce annotation.`,
        ]);
        expect(text(r)).toContain(`annotation.\n${FORCED}\n`);
        expect(text(r)).toContain("error: preview failed");
        expect(await w.project.resources()).toEqual([]);
        expect((await getJson(w.cp, ["node", SAMPLE_NODE])).spec.unschedulable ?? false).toBe(false);
    });
});
