import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../tools/mockEngine/engine";
import { SAMPLE_NODE, sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { installCrd } from "../fakes/kubeCrds";
import { Fakes } from "../fakes/tools";
import { Quarantine, StepFailed, type StepRun } from "./runner";
import { CONTEXT, planFor } from "./scenario";

/**
 * The checks for what a NetworkPolicy deny-all and the VPC deny rules can't override, through the
 * real kubectl and gcloud against the fakes: cluster-wide policies (read only where their CRD
 * exists) and firewall policies (the VM's effective firewalls). They report and never hold
 * containment up; the verdict, the update's last step, fails on an `open:` finding.
 */

let plan: RunResult;
beforeAll(async () => {
    plan = await planFor("isolate");
});
const open: Fakes[] = [];
afterAll(async () => Promise.all(open.map((f) => f.close())));

interface Up {
    readonly f: Fakes;
    readonly cluster: StepRun;
    readonly firewall: StepRun;
    readonly verdict: StepRun | StepFailed;
}

/** `pulumi up` of the isolate level after `seed`; the verdict sees what every check printed. */
async function up(seed: (f: Fakes) => void = () => undefined): Promise<Up> {
    const f = await Fakes.start(sampleCluster(), CONTEXT);
    open.push(f);
    seed(f);
    const q = new Quarantine(plan, f);
    const checks: StepRun[] = [];
    let verdict: StepRun | StepFailed | undefined;
    for (const s of q.steps) {
        if (s.resource.name.endsWith("/verdict")) {
            verdict = await q.run(s, "create", { FINDINGS: checks.map((c) => c.stdout).join("\n") }).catch((e: unknown) => {
                if (e instanceof StepFailed) return e;
                throw e;
            });
        } else {
            const run = await q.run(s, "create");
            if (run && /\/(policy-check|cluster-policy-check|firewall-check)$/.test(s.resource.name)) checks.push(run);
        }
    }
    const one = (suffix: string) => checks.find((c) => c.step.endsWith(suffix))!;
    expect(f.violations(), "every call was one the fakes know").toEqual([]);
    return { f, cluster: one("/cluster-policy-check"), firewall: one("/firewall-check"), verdict: verdict! };
}

function vmKey(f: Fakes): string {
    return Object.keys(f.compute.state.instances).find((k) => k.endsWith(`/${SAMPLE_NODE}`))!;
}

function firewallPolicies(f: Fakes, firewallPolicys: Record<string, any>[]): void {
    f.compute.state.effectiveFirewalls = { [vmKey(f)]: { firewallPolicys } };
}

const DENY = { priority: 1000, action: "deny", direction: "EGRESS", match: { destIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "all" }] } };
const GOTO_NEXT = { priority: 2147483645, action: "goto_next", direction: "INGRESS", match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "all" }] } };

function cutOff(f: Fakes): void {
    const vm = f.compute.instance("us-central1-a", SAMPLE_NODE)!;
    expect(vm.tags.items, "the VM is tagged").toContain("quarantine-42");
    expect(vm.nic.accessConfigs, "the VM has no external IP").toEqual([]);
}

describe("the firewall policy check", () => {
    it("names a hierarchical allow rule as open, and the verdict fails the update after the cut-off", async () => {
        const { f, firewall, verdict } = await up((x) =>
            firewallPolicies(x, [
                {
                    name: "112233",
                    type: "HIERARCHY",
                    rules: [{ priority: 10, action: "allow", direction: "EGRESS", match: { destIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["443"] }] } }, GOTO_NEXT],
                },
            ]),
        );
        expect(firewall.code, "the check itself never fails").toBe(0);
        expect(firewall.stdout.trim().split("\n")).toEqual([
            expect.stringMatching(/^open: hierarchical firewall policy 112233 rule priority 10 allows egress to 0\.0\.0\.0\/0 for VM \S+ \(interface nic0\): hierarchical policies are evaluated before every VPC rule and an allow ends evaluation/),
        ]);
        expect(verdict).toBeInstanceOf(StepFailed);
        expect((verdict as StepFailed).run.stderr).toContain("open: hierarchical firewall policy 112233");
        cutOff(f);
    }, 90_000);

    it("says clear when the policies only deny or hand on (goto_next), and when there are none", async () => {
        const { firewall, verdict } = await up((x) => firewallPolicies(x, [{ name: "112233", type: "HIERARCHY", rules: [DENY, GOTO_NEXT] }, { name: "net-fw", type: "NETWORK", rules: [DENY] }]));
        expect(firewall.stdout.trim()).toMatch(/^clear: no hierarchical, network or system firewall policy rule allows traffic to or from VM \S+$/);
        expect((verdict as StepRun).stdout.trim()).toBe("pods isolated");
        const none = await up();
        expect(none.firewall.stdout.trim()).toMatch(/^clear: /);
    }, 90_000);

    it("skips an allow rule that targets another service account or network, and reports one for the VM's network", async () => {
        const { firewall } = await up((x) =>
            firewallPolicies(x, [
                {
                    name: "net-fw",
                    type: "NETWORK",
                    rules: [
                        { ...DENY, priority: 5, action: "allow", targetServiceAccounts: ["ci@acme-prod.iam.gserviceaccount.com"] },
                        { ...DENY, priority: 6, action: "allow", targetResources: ["https://www.googleapis.com/compute/v1/projects/acme-prod/global/networks/other"] },
                        { ...GOTO_NEXT, priority: 7, action: "allow", match: { srcIpRanges: ["35.235.240.0/20"], layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }] } },
                    ],
                },
            ]),
        );
        expect(firewall.stdout.trim().split("\n")).toEqual([
            expect.stringMatching(/^open: network firewall policy net-fw rule priority 7 allows ingress from 35\.235\.240\.0\/20 for VM \S+ \(interface nic0\): network policies are evaluated before the VPC rules when the network's enforcement order is BEFORE_CLASSIC_FIREWALL/),
        ]);
    }, 90_000);
});

describe("the cluster-wide policy check", () => {
    it("reports nothing for kinds whose CRD does not exist", async () => {
        const { cluster, verdict } = await up();
        expect(cluster.code).toBe(0);
        expect(cluster.stdout).toBe("");
        expect((verdict as StepRun).stdout.trim()).toBe("pods isolated");
    }, 90_000);

    it("names a Calico GlobalNetworkPolicy that allows egress for every pod, and the verdict fails", async () => {
        const { cluster, verdict } = await up((x) => {
            installCrd(x.kube, "GlobalNetworkPolicy");
            x.kube.put("globalnetworkpolicies", {
                metadata: { name: "allow-egress" },
                spec: { order: 100, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", protocol: "TCP", destination: { nets: ["0.0.0.0/0"], ports: [443] } }] },
            });
            x.kube.put("globalnetworkpolicies", { metadata: { name: "web-only" }, spec: { selector: "app == 'web'", egress: [{ action: "Allow" }] } });
            x.kube.put("globalnetworkpolicies", { metadata: { name: "deny-all" }, spec: { selector: "all()", egress: [{ action: "Deny" }] } });
        });
        expect(cluster.code, "the check itself never fails").toBe(0);
        expect(cluster.stdout.trim().split("\n")).toEqual([
            expect.stringMatching(
                /^open: GlobalNetworkPolicy allow-egress \(order 100\) allows egress Allow TCP to nets 0\.0\.0\.0\/0 ports 443 for pods selected by all\(\) in namespaces all\(\) \(here: default\/\S+\): a Calico Allow ends policy evaluation and a Pass skips the rest of its tier, so the deny-all does not hold against it/,
            ),
        ]);
        expect(verdict).toBeInstanceOf(StepFailed);
    }, 90_000);

    it("names an AdminNetworkPolicy that selects the incident's own label, ignores Pass and other subjects, and says clear for the rest", async () => {
        const { cluster } = await up((x) => {
            installCrd(x.kube, "AdminNetworkPolicy");
            installCrd(x.kube, "FQDNNetworkPolicy");
            const anp = (name: string, priority: number, subject: unknown, action: string) =>
                x.kube.put("adminnetworkpolicies", { metadata: { name }, spec: { priority, subject, egress: [{ name: "out", action, to: [{ networks: ["0.0.0.0/0"] }] }] } });
            anp("by-our-label", 10, { pods: { namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "quarantine", operator: "Exists" }] } } }, "Allow");
            anp("pass-all", 20, { namespaces: {} }, "Pass");
            anp("other-namespace", 30, { namespaces: { matchLabels: { "kubernetes.io/metadata.name": "payments" } } }, "Allow");
            x.kube.put("fqdnnetworkpolicies", {
                metadata: { name: "web-apis", namespace: "default" },
                spec: { podSelector: { matchLabels: { app: "web" } }, egress: [{ matches: [{ pattern: "*.example.com" }] }] },
            });
        });
        expect(cluster.stdout.trim().split("\n")).toEqual([
            expect.stringMatching(
                /^open: AdminNetworkPolicy by-our-label \(priority 10\) allows egress rule "out" to networks 0\.0\.0\.0\/0 for pods selected by \{quarantine\|Exists\|;\} in namespaces \{\} \(here: default\/\S+\): every AdminNetworkPolicy is evaluated before any NetworkPolicy/,
            ),
        ]);
        const clear = await up((x) => {
            installCrd(x.kube, "FQDNNetworkPolicy");
            installCrd(x.kube, "CiliumClusterwideNetworkPolicy");
            x.kube.put("ciliumclusterwidenetworkpolicies", { metadata: { name: "host-fw" }, spec: { nodeSelector: {}, ingress: [{ fromEntities: ["cluster"] }] } });
        });
        expect(clear.cluster.stdout.trim()).toBe("clear: no CiliumClusterwideNetworkPolicy FQDNNetworkPolicy lets the quarantined pods in default through");
    }, 90_000);
});
