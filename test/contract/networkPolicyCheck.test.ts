import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { Fakes } from "../fakes/tools";
import { Quarantine, StepFailed, type StepRun } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * The NetworkPolicy check through the real kubectl (its go-template) against the fake cluster:
 * it reports and never holds containment up; the verdict, the update's last step, fails only
 * where a policy defeats the deny-all, after the node is cut off.
 */

let plan: RunResult;
beforeAll(async () => {
    plan = await planFor("isolate");
});
const open: Fakes[] = [];
afterAll(async () => Promise.all(open.map((f) => f.close())));

/** `pulumi up` of the isolate level with `policy` in the pod's namespace; the verdict sees what the checks printed. */
async function upWith(policy: Record<string, unknown>): Promise<{ f: Fakes; check: StepRun; verdict: StepRun | StepFailed }> {
    const f = await Fakes.start(sampleCluster(), CONTEXT);
    open.push(f);
    f.kube.put("networkpolicies", { metadata: { name: "cluster-default", namespace: "default" }, spec: policy });
    const q = new Quarantine(plan, f);
    let check: StepRun | undefined;
    let verdict: StepRun | StepFailed | undefined;
    for (const s of q.steps) {
        if (s.resource.name.endsWith("/verdict")) {
            verdict = await q.run(s, "create", { FINDINGS: check!.stdout }).catch((e: unknown) => {
                if (e instanceof StepFailed) return e;
                throw e;
            });
        } else {
            const run = await q.run(s, "create");
            if (s.resource.name.endsWith("/policy-check")) check = run;
        }
    }
    return { f, check: check!, verdict: verdict! };
}

function cutOff(f: Fakes): void {
    const vm = f.compute.instance("us-central1-a", SAMPLE_NODE)!;
    expect(vm.tags.items, "the VM is tagged").toContain("quarantine-42");
    expect(vm.nic.accessConfigs, "the VM has no external IP").toEqual([]);
}

describe("the NetworkPolicy check", () => {
    it("names a DNS-only policy as the DNS channel it leaves open, and the update still succeeds with the node cut off", async () => {
        const { f, check, verdict } = await upWith({
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }],
        });
        expect(check.code).toBe(0);
        expect(check.stdout.trim()).toBe(
            "dns: the quarantined pods in default can still reach DNS on UDP/53, TCP/53 through NetworkPolicy cluster-default (DNS is an exfiltration channel): narrow its podSelector so it does not select pods without labels, or accept the channel",
        );
        expect(verdict).not.toBeInstanceOf(StepFailed);
        expect((verdict as StepRun).stdout.trim()).toBe("pods isolated but for DNS (see isolationFindings)");
        cutOff(f);
    }, 90_000);

    it("names a policy that allows all egress, and fails the update at its end, after the node's cut-off", async () => {
        const { f, check, verdict } = await upWith({ podSelector: {}, policyTypes: ["Egress"], egress: [{}] });
        expect(check.code, "the check itself never fails").toBe(0);
        expect(check.stdout.trim()).toBe(
            "open: NetworkPolicy default/cluster-default can select the quarantined pods and allows egress to any: NetworkPolicies are additive, so the deny-all does not hold against it; narrow its podSelector or delete it, then run pulumi up again",
        );
        expect(verdict).toBeInstanceOf(StepFailed);
        expect((verdict as StepFailed).run.stderr).toContain("the quarantine does not hold where the open: lines above say");
        cutOff(f);
    }, 90_000);

    it("says all clear when only label-selecting policies exist", async () => {
        const { check, verdict } = await upWith({ podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress"], ingress: [{}] });
        expect(check.stdout.trim()).toBe("clear: no allowing NetworkPolicy in default can select the quarantined pods");
        expect((verdict as StepRun).stdout.trim()).toBe("pods isolated");
    }, 90_000);
});
