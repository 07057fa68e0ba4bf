import { beforeAll, describe, expect, it } from "vitest";
import { GCLOUD_PERMISSIONS, responderPermissions, TYPE_PERMISSIONS } from "../../../components/readiness/permissions";
import { KUBECTL_RULES, KUBERNETES_TYPE_RULES } from "../../../components/readiness/rbacRules";
import { CASES, incidentNeeds, type IncidentNeeds, type Seen } from "../incidentNeeds";
import { scriptNeeds } from "../scriptNeeds";

/**
 * The responder tables against the incident program itself (issue #13.6): run under the mock
 * engine at every level and on every incident shape (../incidentNeeds.ts), every resource type,
 * invoke token, gcloud command path and kubectl verb/resource it declares or its scripts (create
 * and destroy) run must have an entry, and every entry must be used by something, so the role
 * grows with the program and never past it.
 */

let needs: IncidentNeeds;
beforeAll(async () => {
    needs = await incidentNeeds();
}, 180_000);

/** `key (first seen at …)` for each key of `seen` the table lacks. */
const uncovered = (seen: Seen, table: Readonly<Record<string, unknown>>) =>
    [...seen].filter(([k]) => !(k in table)).map(([k, where]) => `${k} (first seen at ${[...where][0]})`);
const unused = (seen: Seen, table: Readonly<Record<string, unknown>>) => Object.keys(table).filter((k) => !seen.has(k));

describe("the responder tables cover the incident program", () => {
    it("runs every level on every shape", () => {
        expect(CASES.length).toBe(45);
        expect(needs.types.size).toBeGreaterThan(15);
    });

    it("has IAM permissions for every resource type and invoke token", () => {
        expect(uncovered(needs.types, TYPE_PERMISSIONS)).toEqual([]);
    });

    it("has RBAC rules for every Kubernetes type", () => {
        const k8s = new Map([...needs.types].filter(([t]) => t.startsWith("kubernetes:")));
        expect(uncovered(k8s, KUBERNETES_TYPE_RULES)).toEqual([]);
    });

    it("has IAM permissions for every gcloud command path the scripts run", () => {
        expect(uncovered(needs.gcloud, GCLOUD_PERMISSIONS)).toEqual([]);
    });

    it("has RBAC rules for every kubectl verb and resource the scripts use", () => {
        expect(uncovered(needs.kubectl, KUBECTL_RULES)).toEqual([]);
    });
});

describe("the responder tables are least-privilege", () => {
    it.each([
        ["resource types and invoke tokens", () => unused(needs.types, TYPE_PERMISSIONS)],
        ["Kubernetes types", () => unused(needs.types, KUBERNETES_TYPE_RULES)],
        ["gcloud command paths", () => unused(needs.gcloud, GCLOUD_PERMISSIONS)],
        ["kubectl verbs and resources", () => unused(needs.kubectl, KUBECTL_RULES)],
    ])("has no entry for %s the program never uses", (_what, entries) => {
        expect(entries()).toEqual([]);
    });

    it("never lets evidence be deleted, overwritten or its retention unlocked", () => {
        const perms = responderPermissions();
        for (const p of ["storage.objects.delete", "storage.objects.update", "storage.buckets.delete", "compute.snapshots.delete", "storage.buckets.setIamPolicy"]) {
            expect(perms, p).not.toContain(p);
        }
        expect(perms).toEqual(expect.arrayContaining(["storage.objects.create", "compute.snapshots.create", "compute.instances.setTags", "container.clusters.get"]));
    });

    it("reads delete scripts too: restoring the external IP needs addAccessConfig", () => {
        const seen = [...(needs.gcloud.get("compute instances add-access-config") ?? [])];
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.every((w) => w.endsWith("(delete)"))).toBe(true);
    });
});

describe("scriptNeeds", () => {
    it("names a call through a wrapper, a runner, a function's parameters and the environment", () => {
        const script = [
            // Multi-line and first, as prelude.sh defines it: runnerNames reads a body up to a `}` alone.
            "attempt() {",
            '  "$@"',
            "}",
            'k() { kubectl --context "$CONTEXT" "$@"; }',
            "find() {",
            '  local what="$1" res="$2"',
            '  k get --ignore-not-found -o name "$res"',
            "}",
            'find "a workload" "$KIND/$NAME"',
            'attempt "scale it" k -n "$NAMESPACE" scale "$KIND/$NAME" --replicas=0',
            "gone_ok() {",
            '  "$@"',
            "}",
            'gone_ok "untag" gcloud compute instances remove-tags --tags "$TAG" --zone "$ZONE" -- "$INSTANCE"',
        ].join("\n");
        expect(scriptNeeds(script, { KIND: "statefulset" })).toEqual({ gcloud: ["compute instances remove-tags"], kubectl: ["get statefulsets", "scale statefulsets"] });
    });

    it("leaves what it can't name as is, so the coverage test fails on it", () => {
        expect(scriptNeeds('kubectl --context "$CONTEXT" get "$WHAT" -o name').kubectl).toEqual(["list $WHAT"]);
        expect(scriptNeeds('kubectl --context "$CONTEXT" certificate approve "$CSR"').kubectl).toEqual(["certificate approve"]);
    });
});
