import { describe, expect, it } from "vitest";
import { colors } from "../../tools/cli/color";
import { renderStatus, statusOf } from "../../tools/cli/status";
import { renderVerify, selects, verifyReport, type DeployedResource } from "../../tools/cli/verify";
import { normalizeHistory } from "../../tools/cli/record";
import { live, outputs, rawHistory, record, resources } from "./fixtures";

/** The ANSI escape character that starts every colour code. */
const ESC = String.fromCharCode(27);

// `status --json` and `verify --json` are what scripts read: their shapes are pinned here, and
// verify must fail on each way a stolen credential can undo the quarantine.

const NODE = "gke-cluster-pool-1-abcdeffff-zgt8";

describe("status", () => {
    it("reports an isolated incident: level, pods, nodes, cut off, last update by whom, one-way actions", () => {
        expect(statusOf(record(3))).toEqual({
            stack: "incident-42",
            incident: "42",
            level: "isolate",
            pods: ["default/compromised-pod"],
            nodes: [NODE],
            podsCutOff: true,
            nodesCutOff: true,
            closed: false,
            updateInProgress: false,
            // The refresh (#3, verify) changes nothing the stack declares: the last change is #2.
            lastUpdate: { kind: "update", result: "succeeded", by: "alice@ir-laptop-1", at: "2026-11-25T12:05:31.000Z", version: 2 },
            oneWayActions: outputs().oneWayActions,
            openFindings: [],
        });
    });

    it("shows a closed incident as closed, no longer cut off, its one-way actions kept", () => {
        const s = statusOf(record(4));
        expect(s).toMatchObject({ level: null, closed: true, podsCutOff: false, nodesCutOff: false, lastUpdate: { kind: "destroy", by: "bob@ir-laptop-2", version: 4 } });
        expect(s.oneWayActions).toHaveLength(3);
    });

    it("orders a history listed newest first whose entries share one version (as a file:// backend lists it)", () => {
        const raw = rawHistory().map((u) => ({ ...u, version: 0 }));
        const s = statusOf({ stack: "incident-42", incidentId: "42", outputs: outputs(), history: normalizeHistory(raw) });
        expect(s).toMatchObject({ closed: true, lastUpdate: { kind: "destroy", by: "bob@ir-laptop-2" } });
    });

    it("does not call an observe-level incident cut off", () => {
        expect(statusOf(record(1, { ...outputs(), level: "observe" }))).toMatchObject({ level: "observe", podsCutOff: false, nodesCutOff: false });
    });

    it("does not call the pods cut off while a policy defeats the deny-all", () => {
        const open = "open: NetworkPolicy default/allow-all can select the quarantined pods and allows ingress from anywhere";
        const s = statusOf(record(2, { ...outputs(), isolationFindings: [open] }));
        expect(s).toMatchObject({ podsCutOff: false, nodesCutOff: true, openFindings: [open] });
    });

    it("renders without colour codes when colours are off", () => {
        const text = renderStatus([statusOf(record(2))], colors(false));
        expect(text).not.toContain(ESC);
        expect(text).toContain("cut off: pods yes, nodes yes");
        expect(text).toContain("last update #2: succeeded by alice@ir-laptop-1 at 2026-11-25T12:05:31.000Z");
        expect(renderStatus([statusOf(record(2))], colors(true))).toContain(`${ESC}[32myes${ESC}[39m`);
    });
});

/** The fixture's resources with one resource's outputs changed, as a refresh would record it. */
function drifted(type: string, change: (outputs: Record<string, any>) => Record<string, any> | undefined): DeployedResource[] {
    let done = false;
    return resources().flatMap((r) => {
        if (done || r.type !== type) return [r];
        done = true;
        const out = change(structuredClone(r.outputs ?? {}));
        return out === undefined ? [] : [{ ...r, outputs: out }];
    });
}

describe("verify", () => {
    const holding = () => verifyReport(record(2), resources(), resources(), live());

    it("holds for the recorded quarantine and the live reads, every check true; its JSON shape is stable", () => {
        const v = holding();
        expect(v.holds).toBe(true);
        expect(Object.keys(v)).toEqual(["stack", "incident", "holds", "checks"]);
        for (const c of v.checks) expect(Object.keys(c)).toEqual(["what", "holds", "detail"]);
        expect(v.checks.map((c) => c.what)).toEqual([
            "last update succeeded",
            "level declares the quarantine (isolate or above)",
            "pod default/compromised-pod labelled quarantine=true, quarantine/incident=42",
            "pod default/compromised-pod selected by the deny-all",
            "no new NetworkPolicy allows traffic to or from pod default/compromised-pod",
            `node ${NODE} cordoned`,
            `VM ${NODE} tagged quarantine-42`,
            `VM ${NODE} has no external IP on nic0`,
            "firewall rule quarantine-42-egress-deny-37a8ee unchanged",
            "firewall rule quarantine-42-ingress-deny-37a8ee unchanged",
            "firewall rule quarantine-42-ssh-bastion-37a8ee unchanged",
            "firewall rule quarantine-42-iap-bastion-37a8ee unchanged",
        ]);
        expect(renderVerify(v, colors(false))).toMatch(/The quarantine of incident 42 holds\.$/);
    });

    it.each([
        ["the pod's quarantine label removed", drifted("kubernetes:core/v1:PodPatch", (o) => ({ ...o, metadata: { ...o.metadata, labels: { "quarantine/incident": "42" } } })), ["labelled quarantine=true"]],
        ["the pod gone", drifted("kubernetes:core/v1:PodPatch", () => undefined), ["labelled quarantine=true", "selected by the deny-all"]],
        ["the deny-all deleted", drifted("kubernetes:networking.k8s.io/v1:NetworkPolicy", (o) => ({ ...o, spec: undefined })), ["selected by the deny-all"]],
        ["an allow rule added to the deny-all", drifted("kubernetes:networking.k8s.io/v1:NetworkPolicy", (o) => ({ ...o, spec: { ...o.spec, egress: [{}] } })), ["selected by the deny-all"]],
        ["the node uncordoned", drifted("kubernetes:core/v1:NodePatch", (o) => ({ ...o, spec: {} })), ["cordoned"]],
        ["a deny rule's priority lowered", drifted("gcp:compute/firewall:Firewall", (o) => ({ ...o, priority: 65534 })), ["egress-deny-37a8ee unchanged"]],
        ["a deny rule disabled", drifted("gcp:compute/firewall:Firewall", (o) => ({ ...o, disabled: true })), ["egress-deny-37a8ee unchanged"]],
        ["a deny rule deleted", drifted("gcp:compute/firewall:Firewall", () => undefined), ["egress-deny-37a8ee unchanged"]],
    ])("fails with %s", (_what, rs, failing) => {
        const v = verifyReport(record(2), resources(), rs, live());
        expect(v.holds).toBe(false);
        expect(v.checks.filter((c) => c.holds !== true).map((c) => c.what)).toEqual(failing.map((f) => expect.stringContaining(f)));
    });

    it("fails when the VM lost its tag or got an external IP back (live gcloud read)", () => {
        const l = live();
        l.vms[NODE].instance.tags.items = ["gke-prod-node"];
        l.vms[NODE].instance.networkInterfaces[0].accessConfigs = [{ natIP: "198.51.100.9" }];
        const failing = verifyReport(record(2), resources(), resources(), l).checks.filter((c) => c.holds === false);
        expect(failing.map((c) => c.detail)).toEqual(["tags gke-prod-node", "external IP 198.51.100.9"]);
    });

    it("fails on a new NetworkPolicy that selects the pod and allows traffic, but not on the dns: one the update reported", () => {
        const l = live();
        l.policies.default.items!.push({ metadata: { name: "debug-all" }, spec: { podSelector: { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, ingress: [{}] } });
        const c = verifyReport(record(2), resources(), resources(), l).checks.find((x) => x.what.startsWith("no new NetworkPolicy"))!;
        expect(c).toMatchObject({ holds: false, detail: "allowing: debug-all" });
    });

    it("does not pass what it could not read: a failed gcloud call is unchecked, and unchecked fails", () => {
        const l = live();
        l.vms[NODE] = { error: "gcloud: not on the PATH" };
        const v = verifyReport(record(2), resources(), resources(), l);
        expect(v.holds).toBe(false);
        expect(v.checks.filter((c) => c.holds === null).map((c) => c.detail)).toEqual(["unchecked: gcloud: not on the PATH", "unchecked: gcloud: not on the PATH"]);
    });

    it("fails a closed incident and an observe-level one: no quarantine holds", () => {
        expect(verifyReport(record(4), resources(), resources(), live()).holds).toBe(false);
        expect(verifyReport(record(1, { ...outputs(), level: "observe" }), resources(), resources(), live()).checks.filter((c) => c.holds === false).map((c) => c.what)).toEqual([
            "level declares the quarantine (isolate or above)",
        ]);
    });

    it.each([
        [{}, { a: "1" }, true],
        [{ matchLabels: { app: "web" } }, { app: "web", x: "y" }, true],
        [{ matchLabels: { app: "web" } }, { quarantine: "true" }, false],
        [{ matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }] }, { quarantine: "true" }, true],
        [{ matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] }, { quarantine: "true" }, false],
        [{ matchExpressions: [{ key: "quarantine", operator: "Exists" }] }, { quarantine: "true" }, true],
    ])("selector %j selects %j: %s", (selector, labels, expected) => {
        expect(selects(selector, labels)).toBe(expected);
    });
});
