import { describe, expect, it } from "vitest";
import { ConfigError, parseReadinessConfig } from "../../../stacks/readiness/config";

const BASE: Record<string, string> = {
    "gcp:project": "acme-prod",
    "quarantine-readiness:notifications": JSON.stringify({ emails: ["secops@acme.com"] }),
    "quarantine-readiness:evidenceBucket": JSON.stringify({ location: "us-central1" }),
};

function problemsOf(all: Record<string, string>): string[] {
    try {
        parseReadinessConfig(all);
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    throw new Error("parseReadinessConfig accepted the config");
}

const bucket = (v: unknown) => ({ "quarantine-readiness:evidenceBucket": JSON.stringify(v) });

describe("the evidence bucket's config", () => {
    it("puts the bucket in the forensics project, named after it, when evidenceProject is set", () => {
        expect(parseReadinessConfig({ ...BASE, "quarantine-readiness:evidenceProject": "acme-forensics" }).evidence).toEqual({
            project: "acme-forensics",
            bucket: "acme-forensics-quarantine-evidence",
            location: "us-central1",
            retentionDays: 90,
            lockRetention: false,
        });
    });

    it("takes the name, retention and lock as given", () => {
        expect(parseReadinessConfig({ ...BASE, ...bucket({ name: "acme-ir-evidence", location: "EU", retentionDays: "365", lockRetention: true }) }).evidence).toEqual({
            project: "acme-prod",
            bucket: "acme-ir-evidence",
            location: "EU",
            retentionDays: 365,
            lockRetention: true,
        });
    });

    it.each([
        [{ "quarantine-readiness:evidenceBucket": undefined }, "quarantine-readiness:evidenceBucket.location (unset) is required: where the evidence bucket stores objects, e.g. pulumi config set --path 'quarantine-readiness:evidenceBucket.location' us-central1"],
        [bucket({ location: "us central1" }), 'quarantine-readiness:evidenceBucket.location "us central1" is not a Cloud Storage location (a region, dual-region or multi-region), e.g. pulumi config set --path \'quarantine-readiness:evidenceBucket.location\' us-central1'],
        [bucket({ location: "US", name: "google-evidence" }), 'quarantine-readiness:evidenceBucket.name "google-evidence" is not a Cloud Storage bucket name (3-63 lowercase letters, digits, \'-\', \'_\', \'.\'; no "goog" prefix, no "google"), e.g. acme-forensics-quarantine-evidence'],
        [bucket({ location: "US", retentionDays: 0 }), "quarantine-readiness:evidenceBucket.retentionDays 0 is not a number of days from 1 to 3650, e.g. 90"],
        [bucket({ location: "US", lockRetention: "yes" }), 'quarantine-readiness:evidenceBucket.lockRetention "yes" must be true or false, e.g. false'],
        [bucket({ location: "US", versioning: true }), "quarantine-readiness:evidenceBucket.versioning is not a known setting; known: name, location, retentionDays, lockRetention"],
        [{ "quarantine-readiness:evidenceProject": "Acme_Forensics" }, 'quarantine-readiness:evidenceProject "Acme_Forensics" is not a GCP project id, e.g. acme-forensics'],
    ])("refuses %j", (bad, problem) => {
        const all = Object.fromEntries(Object.entries({ ...BASE, ...bad }).filter(([, v]) => v !== undefined)) as Record<string, string>;
        expect(problemsOf(all)).toEqual([problem]);
    });
});

describe("the pre-staged containment's config", () => {
    it("pre-stages nothing unless networks are named", () => {
        expect(parseReadinessConfig(BASE).containmentNetworks).toEqual([]);
    });

    it("reads the networks to pre-stage the firewall in", () => {
        expect(parseReadinessConfig({ ...BASE, "quarantine-readiness:containment": JSON.stringify({ networks: ["default", "prod-vpc"] }) }).containmentNetworks).toEqual(["default", "prod-vpc"]);
    });

    it.each([
        [{ networks: ["Prod_VPC"] }, 'quarantine-readiness:containment.networks[0] "Prod_VPC" is not a VPC network name (lowercase letter first, then letters, digits, \'-\'; ≤ 63), e.g. default'],
        [{ networks: ["default", "default"] }, 'quarantine-readiness:containment.networks[1] "default" is listed twice; list each once'],
        [{ network: ["default"] }, "quarantine-readiness:containment.network is not a known setting; known: networks"],
    ])("refuses %j", (bad, problem) => {
        expect(problemsOf({ ...BASE, "quarantine-readiness:containment": JSON.stringify(bad) })).toEqual([problem]);
    });
});
