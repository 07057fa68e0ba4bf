import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
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

/** A stack config file as `pulumi.runtime.allConfig()` hands it over: structured values as JSON text. */
function allConfigOf(file: string): Record<string, string> {
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

describe("parseReadinessConfig", () => {
    it("fills every default for the smallest config", () => {
        expect(parseReadinessConfig(BASE)).toEqual({
            project: "acme-prod",
            emails: ["secops@acme.com"],
            pubsubTopics: [],
            trustedCidrs: [],
            clusters: [],
            notificationRateLimitSeconds: 300,
            cpu: { threshold: 0.9, durationSeconds: 900 },
            evidence: { project: "acme-prod", bucket: "acme-prod-quarantine-evidence", location: "us-central1", retentionDays: 90, lockRetention: false },
            containmentNetworks: [],
        });
    });

    it("accepts the example stack config as written", () => {
        expect(parseReadinessConfig(allConfigOf(path.join(__dirname, "../../../stacks/readiness/Pulumi.readiness-prod.example.yaml")))).toEqual({
            project: "acme-prod",
            emails: ["secops@acme.com"],
            pubsubTopics: ["projects/acme-secops/topics/gke-alerts"],
            trustedCidrs: ["203.0.113.0/24", "10.0.0.0/8", "2001:db8:1::/48"],
            clusters: ["prod"],
            notificationRateLimitSeconds: 300,
            cpu: { threshold: 0.9, durationSeconds: 900 },
            responder: { roleId: "quarantineResponder", kubeContext: "gke_acme-prod_us-central1_prod", clusterRole: "quarantine-responder", group: "gke-responders@acme.com" },
            evidence: { project: "acme-forensics", bucket: "acme-forensics-quarantine-evidence", location: "us-central1", retentionDays: 90, lockRetention: false },
            containmentNetworks: ["default"],
        });
    });

    it("reads hours and a CPU share given as text", () => {
        const cfg = parseReadinessConfig({ ...BASE, "quarantine-readiness:notificationRateLimit": "1h", "quarantine-readiness:cpu": JSON.stringify({ threshold: "0.75", duration: "2h" }) });
        expect([cfg.notificationRateLimitSeconds, cfg.cpu]).toEqual([3600, { threshold: 0.75, durationSeconds: 7200 }]);
    });

    it.each([
        [{ "quarantine-readiness:notifications": JSON.stringify({ emails: ["secops"] }) }, 'quarantine-readiness:notifications.emails[0] "secops" is not an email address, e.g. secops@acme.com'],
        [
            { "quarantine-readiness:notifications": JSON.stringify({ pubsubTopics: ["gke-alerts"] }) },
            'quarantine-readiness:notifications.pubsubTopics[0] "gke-alerts" is not a Pub/Sub topic as projects/<project>/topics/<topic>, e.g. projects/acme-secops/topics/gke-alerts',
        ],
        [
            { "quarantine-readiness:notifications": JSON.stringify({}) },
            "quarantine-readiness:notifications {} must name at least one email or Pub/Sub topic, e.g. pulumi config set --path 'quarantine-readiness:notifications.emails[0]' secops@acme.com",
        ],
        [{ "quarantine-readiness:trustedCidrs": '["10.0.0.0/33"]' }, 'quarantine-readiness:trustedCidrs[0] "10.0.0.0/33" is not a CIDR range (IPv4 or IPv6), e.g. 203.0.113.0/24'],
        [{ "quarantine-readiness:trustedCidrs": "10.0.0.0/8" }, "quarantine-readiness:trustedCidrs \"10.0.0.0/8\" must be a list of CIDR ranges, e.g. pulumi config set --path 'quarantine-readiness:trustedCidrs[0]' 203.0.113.0/24"],
        [{ "quarantine-readiness:trustedCidrs": '["10.0.0.0/8","10.0.0.0/8"]' }, 'quarantine-readiness:trustedCidrs[1] "10.0.0.0/8" is listed twice; list each once'],
        [{ "quarantine-readiness:clusters": '["Prod"]' }, 'quarantine-readiness:clusters[0] "Prod" is not a GKE cluster name (lowercase letter first, then letters, digits, \'-\'; ≤ 63), e.g. prod'],
        [{ "quarantine-readiness:notificationRateLimit": "1m" }, "quarantine-readiness:notificationRateLimit \"1m\" is shorter than Cloud Monitoring's minimum for log-based alerts (5m), e.g. 5m"],
        [{ "quarantine-readiness:notificationRateLimit": "300s" }, 'quarantine-readiness:notificationRateLimit "300s" is not minutes or hours, e.g. 5m'],
        [{ "quarantine-readiness:cpu": JSON.stringify({ threshold: 1.5 }) }, "quarantine-readiness:cpu.threshold 1.5 is not a fraction of allocatable CPU above 0 and at most 1, e.g. 0.9"],
        [{ "quarantine-readiness:cpu": JSON.stringify({ threshold: 0 }) }, "quarantine-readiness:cpu.threshold 0 is not a fraction of allocatable CPU above 0 and at most 1, e.g. 0.9"],
        [{ "quarantine-readiness:cpu": JSON.stringify({ treshold: 0.8 }) }, "quarantine-readiness:cpu.treshold is not a known setting; known: threshold, duration"],
        [{ "quarantine-readiness:trustedCidr": '["10.0.0.0/8"]' }, "quarantine-readiness:trustedCidr is not a known setting; known: notifications, trustedCidrs, clusters, notificationRateLimit, cpu, responder, evidenceProject, evidenceBucket, containment"],
        [{ "gcp:project": "Acme" }, 'gcp:project "Acme" is not a GCP project id, e.g. acme-prod'],
        [{ "gcp:project": "" }, "gcp:project (unset) is required: the project whose audit logs and alerts this stack declares, e.g. pulumi config set gcp:project acme-prod"],
    ])("refuses %j", (bad, problem) => {
        expect(problemsOf({ ...BASE, ...bad })).toEqual([problem]);
    });

    it("lists every problem at once", () => {
        // The bad cluster, the unknown key, gcp:project and the evidence bucket's location.
        expect(problemsOf({ "quarantine-readiness:clusters": '["Prod"]', "quarantine-readiness:typo": "x" })).toHaveLength(4);
    });

    it("ignores the incident program's keys and other providers'", () => {
        expect(() => parseReadinessConfig({ ...BASE, "quarantine:pods": '["default/web-1"]', "gcp:region": "us-central1" })).not.toThrow();
    });
});
