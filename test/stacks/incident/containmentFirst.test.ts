import { beforeAll, describe, expect, it } from "vitest";
import { LEVELS, reaches } from "../../../core/levels";
import { stepKind, scriptHeader } from "../../../core/stepHeader";
import type { Recorded } from "../../../tools/mockEngine/engine";
import { sampleScenario } from "../../../tools/mockEngine/scenario";
import { Plan, run } from "../../harness";

/**
 * Containment first: the node's cut-off (its tag and the removal of its external IP) waits only
 * for what containment needs — the abandon, the deny rules, the pods' label and deny-all, and in
 * after-drain mode the drain having ended (and the node's volatile capture, which can't fail, and
 * the run's random name part it uploads under, which the random provider makes locally).
 * Never for a snapshot, the bucket, the manifest, the bastion, an SSH allow rule, a check or
 * another capture: when any of those fails, the engine starts no new step, and the node would
 * stay on the network.
 */

const CONTAINMENT_TYPES = new Set(["kubernetes:core/v1:PodPatch", "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:core/v1:NodePatch"]);

const RUN_NAME = "random:index/randomId:RandomId";

/** Why `r` may not hold up the cut-off, or undefined when containment needs it. */
function notContainment(r: Recorded): string | undefined {
    if (CONTAINMENT_TYPES.has(r.type) || r.type === RUN_NAME) return undefined;
    if (r.type === "gcp:compute/firewall:Firewall") return Array.isArray(r.inputs.denies) ? undefined : "an allow rule";
    if (r.type === "command:local:Command") {
        const kind = stepKind(r.inputs.create);
        if (kind === "isolation") return undefined;
        if (kind === "capture" && scriptHeader(r.inputs.create).script === "capture-volatile") return undefined;
        return `a ${kind ?? "undeclared"} step`;
    }
    return r.type;
}

const cases = LEVELS.filter((l) => reaches(l, "isolate")).flatMap((level) => (["after-drain", "immediate"] as const).map((mode) => [level, mode] as const));

describe.each(cases)("at the %s level, %s", (level, mode) => {
    let plan: Plan;
    beforeAll(async () => {
        const s = sampleScenario({ level, config: { "quarantine:nodeIsolation": mode } });
        plan = await run({ rawConfig: s.config });
    });

    const cutOff = () => [...plan.all("/tag"), ...plan.all("/remove-external-ip")].filter((r) => r.custom);

    it("the node's cut-off waits for nothing containment does not need", () => {
        expect(cutOff()).toHaveLength(2);
        const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
        for (const step of cutOff()) {
            const holding = [...plan.waitsFor(step)]
                .map((u) => byUrn.get(u))
                .filter((r): r is Recorded => r !== undefined && r.custom && !r.read)
                .map((r) => [r.name, notContainment(r)])
                .filter(([, why]) => why !== undefined);
            expect(holding, step.name).toEqual([]);
        }
    });

    it("the node's volatile capture, which the cut-off may wait for, waits only for the run's random name part", () => {
        const [run] = plan.ofType(RUN_NAME);
        for (const c of plan.all("").filter((r) => r.name.includes("/capture/volatile/"))) expect(c.dependencies, c.name).toEqual([run.urn]);
    });

    it(mode === "after-drain" ? "the cut-off waits for the drain to end" : "the cut-off does not wait for the drain", () => {
        const drain = plan.one("/drain");
        for (const step of cutOff()) expect(plan.waits(step, drain), step.name).toBe(mode === "after-drain");
    });
});
