import { beforeAll, describe, expect, it } from "vitest";
import { scriptHeader } from "../../../core/stepHeader";
import type { Level } from "../../../core/levels";
import type { Recorded } from "../../../tools/mockEngine/engine";
import { SAMPLE_NODE } from "../../../tools/mockEngine/sampleCluster";
import { SAMPLE_CONTEXT, sampleScenario } from "../../../tools/mockEngine/scenario";
import { Plan, run } from "../../harness";

/** quarantine:secrets (seed 003, "Stolen credentials"), beside the sample's compromised pod. */
const SECRETS = ["default/db-credentials", "payments/stripe"];
const config = (level: Level = "isolate") =>
    sampleScenario({ level, config: { "quarantine:secrets": JSON.stringify(SECRETS), "quarantine:confirm": "incident-42" } }).config;
const kind = (r: Recorded) => scriptHeader(r.inputs.create).kind;
const ours = (plan: Plan, part: string) => plan.commands().filter((r) => r.name.startsWith(`42/secrets/${part}/`));

describe("stolen secrets at isolate", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await run({ rawConfig: config() });
    });

    it("records each secret as evidence into the incident's bucket, in the custody manifest", () => {
        expect(ours(plan, "record").map((r) => [r.name, kind(r), r.inputs.environment.PREFIX])).toEqual([
            ["42/secrets/record/default/db-credentials", "capture", "incident-42/secrets/default/db-credentials"],
            ["42/secrets/record/payments/stripe", "capture", "incident-42/secrets/payments/stripe"],
        ]);
        const manifest = plan.outputs.custodyManifest as { artifacts: { what: string }[] };
        expect(manifest.artifacts.map((a) => a.what).filter((w) => w.includes("stolen secret")).length).toBe(2);
    });

    it("rotates each secret only after its record, every capture, the snapshots and the custody manifest", () => {
        const rotations = ours(plan, "rotate");
        expect(rotations.map((r) => [r.name, kind(r)])).toEqual([
            ["42/secrets/rotate/default/db-credentials", "destructive"],
            ["42/secrets/rotate/payments/stripe", "destructive"],
        ]);
        const before = [...plan.ofType("gcp:compute/snapshot:Snapshot"), ...plan.commands().filter((c) => kind(c) === "capture"), ...plan.ofType("gcp:storage/bucketObject:BucketObject")];
        expect(before.length).toBeGreaterThan(3);
        for (const r of rotations) {
            expect(plan.waits(r, plan.one(`42/secrets/record/${r.name.split("/").slice(3).join("/")}`))).toBe(true);
            for (const b of before) expect(plan.waits(r, b), `${r.name} after ${b.name}`).toBe(true);
        }
    });

    it("hands each rotation its new values only through environment, from a random password", () => {
        const seeds = plan.ofType("random:index/randomPassword:RandomPassword");
        expect(seeds.map((s) => [s.name, s.inputs.length, s.inputs.special])).toEqual([
            ["42/secrets/rotate/default/db-credentials/seed", 64, false],
            ["42/secrets/rotate/payments/stripe/seed", 64, false],
        ]);
        const r = plan.one("42/secrets/rotate/default/db-credentials");
        expect(r.inputs.environment.SEED).toBe("fake-password-of-42/secrets/rotate/default/db-credentials/seed");
        expect(r.inputs.create).not.toContain("fake-password");
        expect(r.dependencies).toContain(seeds[0].urn);
    });

    it("never puts a compromised value back: destroy says so and oneWayActions lists it", () => {
        for (const r of ours(plan, "rotate")) expect(r.inputs.delete).toMatch(/^# step: .*\n# destroy: one-way: every value of secret .* replaced .*destroy never puts a compromised value back/);
        expect(plan.outputs.oneWayActions).toEqual(expect.arrayContaining(SECRETS.map((s) => expect.stringMatching(new RegExp(`^every value of secret ${s} replaced`)))));
    });

    it("says in outputs, per secret, that the upstream credential must be rotated at its issuer", () => {
        expect(Object.keys(plan.outputs.secrets)).toEqual(SECRETS);
        for (const s of SECRETS) {
            expect(plan.outputs.secrets[s]).toMatchObject({ rotated: true, atTheIssuer: expect.stringContaining("still works wherever it was issued until it is rotated there too") });
        }
    });

    it("takes nothing from the pod's and node's isolation, and their cut-off waits for none of it", () => {
        const mine = [...ours(plan, "record"), ...ours(plan, "rotate")];
        const isolation = plan.resources.filter((r) => r.custom && !r.read && (r.name.includes("/pods/") || r.name.includes(`/node/${SAMPLE_NODE}/`) || r.name.includes(`/vm/${SAMPLE_NODE}/`)));
        expect(isolation.length).toBeGreaterThan(5);
        for (const step of isolation) for (const c of mine) expect(plan.waits(step, c), `${step.name} after ${c.name}`).toBe(false);
        for (const c of mine) for (const step of isolation) expect(plan.waits(c, step), `${c.name} after ${step.name}`).toBe(false);
    });
});

describe("stolen secrets at observe", () => {
    it("are recorded, not rotated, and preview says the values still work", async () => {
        const plan = await run({ rawConfig: { ...config(), "quarantine:level": "observe" } });
        expect(ours(plan, "record").length).toBe(2);
        expect(ours(plan, "rotate")).toEqual([]);
        expect(plan.outputs.secrets["default/db-credentials"].rotated).toBe(false);
        expect(plan.result.warnings.join("\n")).toContain("default/db-credentials: recorded (key names and sha256 of each value) and not rotated");
    });
});

describe("stolen secrets alone", () => {
    it("make an incident with no pod or node: recorded and rotated, nothing else isolated", async () => {
        const plan = await run({
            rawConfig: { "gcp:project": "acme-prod", "kubernetes:context": SAMPLE_CONTEXT, "quarantine:secrets": '["default/db-credentials"]', "quarantine:confirm": "incident-42" },
        });
        expect(plan.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")).toEqual([]);
        expect(plan.commands().filter((c) => kind(c) === "destructive").map((c) => c.name)).toEqual(["42/secrets/rotate/default/db-credentials"]);
    });
});
