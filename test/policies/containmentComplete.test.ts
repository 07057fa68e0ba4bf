import { beforeAll, describe, expect, it } from "vitest";
import { containmentComplete } from "../../policies/rules/containmentComplete";
import { run } from "../harness";
import { stackArgs, stackViolations, UNKNOWN, urnOf } from "./args";
import { engineView, type EngineResource } from "./engineView";

/**
 * One mutation per test on the real program's recorded graph at isolate: the tag without its deny
 * rules, the pod label without its deny-all. The unmutated graph passes.
 */

let view: EngineResource[];
beforeAll(async () => {
    view = engineView((await run({ config: { "quarantine:level": "isolate" } })).result);
});

const check = (resources: readonly EngineResource[]) => stackViolations(containmentComplete, stackArgs(resources));
/** The graph without the resources `pred` selects, and without every dependency on them. */
function without(pred: (r: EngineResource) => boolean, from: readonly EngineResource[] = view): EngineResource[] {
    const gone = new Set(from.filter(pred).map((r) => r.urn));
    return from.filter((r) => !gone.has(r.urn)).map((r) => ({ ...r, dependsOn: r.dependsOn.filter((d) => !gone.has(d)) }));
}
const tagStep = () => view.find((r) => r.name.endsWith("/tag") && r.type === "command:local:Command")!;
const isRule = (suffix: string) => (r: EngineResource) => r.type === "gcp:compute/firewall:Firewall" && r.name.endsWith(`/${suffix}`);

describe("containment-complete", () => {
    it("passes the program's own graph", async () => {
        expect(await check(view)).toEqual([]);
    });

    it.each([
        ["egress-deny", "EGRESS"],
        ["ingress-deny", "INGRESS"],
    ])("refuses tagging a VM when the %s rule is missing", async (rule, direction) => {
        const t = tagStep();
        expect(await check(without(isRule(rule)))).toEqual([
            {
                urn: t.urn,
                message: `${t.name} tags a VM quarantine-42, but no ${direction} deny rule over 0.0.0.0/0 targets that tag: the VM would be marked quarantined and stay on the network`,
            },
        ]);
    });

    it("refuses tagging a VM when the deny rule is disabled", async () => {
        const mutated = view.map((r) => (isRule("egress-deny")(r) ? { ...r, props: { ...r.props, disabled: true } } : r));
        expect((await check(mutated)).map((v) => v.message)).toEqual([expect.stringContaining("no EGRESS deny rule over 0.0.0.0/0 targets that tag")]);
    });

    it("trusts deny rules pre-staged by a readiness stack the stack reads", async () => {
        const readiness: EngineResource = {
            type: "pulumi:pulumi:StackReference",
            name: "42/read/readiness",
            urn: urnOf("pulumi:pulumi:StackReference", "42/read/readiness"),
            props: { name: "organization/quarantine-readiness/prod" },
            read: true,
            dependsOn: [],
        };
        expect(await check([...without((r) => isRule("egress-deny")(r) || isRule("ingress-deny")(r)), readiness])).toEqual([]);
    });

    it("refuses labelling a pod when its namespace has no deny-all for the incident", async () => {
        const patch = view.find((r) => r.type === "kubernetes:core/v1:PodPatch")!;
        expect(await check(without((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy"))).toEqual([
            {
                urn: patch.urn,
                message: `${patch.name} labels pod default/compromised-pod for incident 42, but no deny-all NetworkPolicy in default selects quarantine/incident=42: the pod would be marked and still reachable`,
            },
        ]);
    });

    it("refuses labelling a pod when the namespace's policy allows traffic", async () => {
        const mutated = view.map((r) =>
            r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" ? { ...r, props: { ...r.props, spec: { ...r.props.spec, egress: [{}] } } } : r,
        );
        expect((await check(mutated)).map((v) => v.message)).toEqual([expect.stringContaining("labels pod default/compromised-pod for incident 42, but no deny-all")]);
    });

    it("fails closed on a tag unknown at preview", async () => {
        const mutated = view.map((r) => (r === tagStep() ? { ...r, props: { ...r.props, environment: { ...r.props.environment, TAG: UNKNOWN } } } : r));
        expect((await check(mutated)).length).toBeGreaterThan(0);
    });
});
