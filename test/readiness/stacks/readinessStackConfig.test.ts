import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../stacks/config";

// The incident program's key that names a readiness stack (issue #13.4).
const BASE: Record<string, string> = { "gcp:project": "acme-prod", "kubernetes:context": "gke_acme-prod_us-central1_prod", "quarantine:pods": '["default/web-1"]' };

function problemsOf(all: Record<string, string>): string[] {
    try {
        parseConfig(all, "incident-42");
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    throw new Error("parseConfig accepted the config");
}

describe("quarantine:readinessStack", () => {
    it("is unset unless given: the incident declares its own firewall, as before", () => {
        expect(parseConfig(BASE, "incident-42").readinessStack).toBeUndefined();
    });

    it.each(["organization/quarantine-readiness/readiness-prod", "acme-sec/quarantine-readiness/prod.eu_1"])("reads %s", (stack) => {
        expect(parseConfig({ ...BASE, "quarantine:readinessStack": stack }, "incident-42").readinessStack).toBe(stack);
    });

    it.each(["readiness-prod", "organization/quarantine/incident-7", "organization/quarantine-readiness/", "organization/quarantine-readiness/prod;rm"])("refuses %s, naming the key and an example", (stack) => {
        expect(problemsOf({ ...BASE, "quarantine:readinessStack": stack })).toEqual([
            `quarantine:readinessStack ${JSON.stringify(stack)} is not a readiness stack as <organization>/quarantine-readiness/<stack>, e.g. organization/quarantine-readiness/readiness-prod`,
        ]);
    });
});
