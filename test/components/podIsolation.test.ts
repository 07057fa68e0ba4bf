import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { stillSelecting } from "../../components/podIsolation";

/**
 * The policy check's go-template, evaluated by the real kubectl (offline, `--local`) against
 * policies that can and cannot still select a pod the quarantine detached from its labels: it
 * keeps only `quarantine=true` and `quarantine/incident=42`.
 */
const POLICIES = [
    ["allow-all", { podSelector: {}, ingress: [{}] }, true],
    ["by-label", { podSelector: { matchLabels: { app: "web" } }, ingress: [{}] }, false],
    ["not-in", { podSelector: { matchExpressions: [{ key: "app", operator: "NotIn", values: ["db"] }] }, egress: [{}] }, true],
    ["absent", { podSelector: { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, ingress: [{}] }, true],
    ["in", { podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["db"] }] }, egress: [{}] }, false],
    ["deny-only", { podSelector: {}, policyTypes: ["Ingress"] }, false],
    ["our-label-exists", { podSelector: { matchExpressions: [{ key: "quarantine", operator: "Exists" }] }, egress: [{}] }, true],
    ["our-label-value", { podSelector: { matchLabels: { quarantine: "true" } }, egress: [{}] }, true],
    ["our-incident", { podSelector: { matchLabels: { "quarantine/incident": "42" } }, ingress: [{}] }, true],
    ["other-incident", { podSelector: { matchLabels: { "quarantine/incident": "7" } }, egress: [{}] }, false],
    ["our-label-and-app", { podSelector: { matchLabels: { quarantine: "true", app: "web" } }, egress: [{}] }, false],
    ["our-label-in", { podSelector: { matchExpressions: [{ key: "quarantine/incident", operator: "In", values: ["7", "42"] }] }, egress: [{}] }, true],
    ["our-label-not-in", { podSelector: { matchExpressions: [{ key: "quarantine", operator: "NotIn", values: ["true"] }] }, egress: [{}] }, false],
    ["own-deny-all", { podSelector: { matchLabels: { "quarantine/incident": "42" } }, policyTypes: ["Ingress", "Egress"] }, false],
] as const;

describe("the NetworkPolicy check", () => {
    it("names exactly the allowing policies that can still select a detached pod, our own labels included", () => {
        const dir = mkdtempSync(join(tmpdir(), "quarantine-np-"));
        const file = join(dir, "list.json");
        const items = POLICIES.map(([name, spec]) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name }, spec }));
        writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
        // `--local` renders each item on its own: strip the template's outer range over .items.
        const perItem = stillSelecting("42").replace(/^\{\{range \.items\}\}/, "").replace(/\{\{end\}\}$/, "");
        const out = execFileSync("kubectl", ["label", "--local", "-f", file, "checked=1", "-o", `go-template=${perItem}`], {
            encoding: "utf8",
            env: { ...process.env, KUBECONFIG: join(dir, "none") },
            timeout: 20_000,
        });
        const want = POLICIES.filter(([, , open]) => open).map(([name]) => name);
        expect(out.trim().split("\n").map((l) => l.split(" ")[0])).toEqual(want);
    });
});
