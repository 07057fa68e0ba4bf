import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { STILL_SELECTING } from "../../components/podIsolation";

/**
 * The policy check's go-template, evaluated by the real kubectl (offline, `--local`) against
 * policies that can and cannot still select a pod the quarantine detached from its labels.
 */
const POLICIES = [
    ["allow-all", { podSelector: {}, ingress: [{}] }, true],
    ["by-label", { podSelector: { matchLabels: { app: "web" } }, ingress: [{}] }, false],
    ["not-in", { podSelector: { matchExpressions: [{ key: "app", operator: "NotIn", values: ["db"] }] }, egress: [{}] }, true],
    ["absent", { podSelector: { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, ingress: [{}] }, true],
    ["in", { podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["db"] }] }, egress: [{}] }, false],
    ["deny-only", { podSelector: {}, policyTypes: ["Ingress"] }, false],
] as const;

describe("the NetworkPolicy check", () => {
    it("names exactly the allowing policies that can still select a pod without labels", () => {
        const dir = mkdtempSync(join(tmpdir(), "quarantine-np-"));
        const file = join(dir, "list.json");
        const items = POLICIES.map(([name, spec]) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name }, spec }));
        writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
        // `--local` renders each item on its own: strip the template's outer range over .items.
        const perItem = STILL_SELECTING.replace(/^\{\{range \.items\}\}/, "").replace(/\{\{end\}\}$/, "");
        const out = execFileSync("kubectl", ["label", "--local", "-f", file, "checked=1", "-o", `go-template=${perItem}`], {
            encoding: "utf8",
            env: { ...process.env, KUBECONFIG: join(dir, "none") },
            timeout: 20_000,
        });
        const want = POLICIES.filter(([, , open]) => open).map(([name]) => name);
        expect(out.trim().split("\n").map((l) => l.split(" ")[0])).toEqual(want);
    });
});
