import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../stacks/config";

/** quarantine:secrets: refused before anything is registered, each refusal naming key, value and example. */
const BASE = { "gcp:project": "acme-prod", "kubernetes:context": "gke_acme-prod_us-central1_prod", "quarantine:pods": '["default/web-1"]' };
const EXAMPLE = "e.g. pulumi config set --path 'quarantine:secrets[0]' default/db-credentials";

function problemsOf(all: Record<string, string>): string[] {
    try {
        parseConfig(all, "incident-42");
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    throw new Error("parseConfig accepted the config");
}
const secrets = (...v: unknown[]) => ({ ...BASE, "quarantine:secrets": JSON.stringify(v), "quarantine:confirm": "incident-42" });

describe("quarantine:secrets", () => {
    it("parses namespace/name, with the acknowledgement rotation needs", () => {
        expect(parseConfig(secrets("default/db-credentials", "payments/stripe.api"), "incident-42").secrets).toEqual([
            { namespace: "default", name: "db-credentials" },
            { namespace: "payments", name: "stripe.api" },
        ]);
    });

    it.each([
        ["no namespace", "db-credentials", `quarantine:secrets[0] "db-credentials" is not namespace/name, ${EXAMPLE}`],
        ["a bad namespace", "Default/db", `quarantine:secrets[0] "Default/db" is not a valid secret: namespace "Default" is not a Kubernetes namespace name (lowercase letters, digits, '-'; ≤ 63), ${EXAMPLE}`],
        ["a bad name", "default/db_creds", `quarantine:secrets[0] "default/db_creds" is not a valid secret: name "db_creds" is not a Kubernetes object name (lowercase letters, digits, '-', '.'; ≤ 253), ${EXAMPLE}`],
        ["a shell word", "default/$(id)", `quarantine:secrets[0] "default/$(id)" is not a valid secret: name "$(id)" is not a Kubernetes object name (lowercase letters, digits, '-', '.'; ≤ 253), ${EXAMPLE}`],
        ["not a string", 7, `quarantine:secrets[0] 7 must be a string namespace/name, ${EXAMPLE}`],
    ])("refuses %s, naming key, value and example", (_, value, message) => {
        expect(problemsOf(secrets(value))).toEqual([message]);
    });

    it("refuses a secret listed twice", () => {
        expect(problemsOf(secrets("default/db", "default/db"))).toEqual([`quarantine:secrets[1] "default/db" is quarantine:secrets[0] again; list each secret once`]);
    });

    it("refuses rotation at isolate without quarantine:confirm: it is one-way", () => {
        expect(problemsOf({ ...BASE, "quarantine:secrets": '["default/db"]' })).toEqual([
            `quarantine:confirm (unset) is required: quarantine:secrets ["default/db"] replaces every value of each secret (one-way: destroy never puts a compromised value back) and restarts the workloads that use it, and needs an acknowledgement naming this incident; e.g. pulumi config set quarantine:confirm incident-42, or quarantine:level observe to only record them`,
        ]);
        expect(problemsOf({ ...BASE, "quarantine:secrets": '["default/db"]', "quarantine:confirm": "incident-41" })[0]).toMatch(/^quarantine:confirm "incident-41" does not match incident 42: quarantine:secrets/);
    });

    it("needs no acknowledgement at observe, which only records", () => {
        expect(parseConfig({ ...BASE, "quarantine:secrets": '["default/db"]', "quarantine:level": "observe" }, "incident-42").secrets).toEqual([{ namespace: "default", name: "db" }]);
    });

    it("is an incident on its own: a leaked Secret names no pod, node or principal", () => {
        const noPods: Record<string, string> = secrets("default/db");
        delete noPods["quarantine:pods"];
        expect(parseConfig(noPods, "incident-42").pods).toEqual([]);
    });
});
