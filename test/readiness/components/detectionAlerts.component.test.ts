import { describe, expect, it } from "vitest";
import { alertDocumentation } from "../../../components/readiness/alertDocumentation";
import { DetectionAlerts } from "../../../components/readiness/detectionAlerts";
import { SIGNALS, type SignalContext } from "../../../components/readiness/signals";
import { mockEngine, resolve } from "../../components/componentMocks";

const engine = mockEngine({ computed: (args) => (args.type === "gcp:monitoring/alertPolicy:AlertPolicy" ? { name: `projects/acme-prod/alertPolicies/${args.name.split("/").pop()}` } : {}) });

const context: SignalContext = { clusters: ["prod"], trustedCidrs: ["203.0.113.0/24"] };
const channels = ["projects/acme-prod/notificationChannels/111", "projects/acme-prod/notificationChannels/222"];
const alerts = new DetectionAlerts("t", { project: "acme-prod", signals: SIGNALS, context, notificationChannels: channels, notificationRateLimitSeconds: 600, cpu: { threshold: 0.85, durationSeconds: 1200 } });

const policies = async () => (await engine.children(alerts)).filter((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy");
const policy = async (id: string) => engine.child(alerts, `t/${id}`);
const logSignals = SIGNALS.filter((s) => s.kind === "log");

describe("DetectionAlerts", () => {
    it("declares one policy per signal, named for it", async () => {
        expect((await policies()).map((p) => p.name).sort()).toEqual(SIGNALS.map((s) => `t/${s.id}`).sort());
    });

    it.each(logSignals.map((s) => [s.id, s] as const))("%s: a log match is the policy's only condition, with its filter and label extractors", async (id, s) => {
        const p = await policy(id);
        expect(p.inputs.conditions).toHaveLength(1);
        expect(p.inputs.conditions[0]).toEqual({ displayName: s.title, conditionMatchedLog: { filter: s.filter(context), labelExtractors: s.kind === "log" ? s.labels : {} } });
        expect(p.inputs.combiner).toBe("OR");
    });

    it.each(logSignals.map((s) => [s.id]))("%s: notifies at most once per configured period", async (id) => {
        expect((await policy(id)).inputs.alertStrategy).toEqual({ notificationRateLimit: { period: "600s" }, autoClose: "604800s" });
    });

    it("watches node CPU with a metric threshold of the configured share and duration", async () => {
        const p = await policy("node-cpu");
        expect(p.inputs.conditions).toEqual([
            {
                displayName: SIGNALS.find((s) => s.id === "node-cpu")!.title,
                conditionThreshold: {
                    filter: 'resource.type="k8s_node" AND metric.type="kubernetes.io/node/cpu/allocatable_utilization" AND resource.label.cluster_name=("prod")',
                    comparison: "COMPARISON_GT",
                    thresholdValue: 0.85,
                    duration: "1200s",
                    aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
                    trigger: { count: 1 },
                },
            },
        ]);
        // A rate limit is for log-based policies only.
        expect(p.inputs.alertStrategy).toEqual({ autoClose: "86400s" });
    });

    it.each(SIGNALS.map((s) => [s.id, s] as const))("%s: notifies every channel, with the signal's severity, label and documentation", async (id, s) => {
        const p = await policy(id);
        const doc = alertDocumentation(s, "acme-prod");
        expect(p.inputs).toMatchObject({
            project: "acme-prod",
            displayName: `quarantine: ${s.title}`,
            notificationChannels: channels,
            severity: s.severity,
            userLabels: { "quarantine-signal": id },
            enabled: true,
            documentation: { subject: doc.subject, content: doc.content, mimeType: "text/markdown" },
        });
    });

    it("hands on each policy's resource name by signal", async () => {
        const names = await resolve(alerts.policyNames);
        expect(Object.keys(names)).toEqual(SIGNALS.map((s) => s.id));
        expect(names["pod-exec"]).toBe("projects/acme-prod/alertPolicies/pod-exec");
    });

    it("refuses a signal that has nothing to watch instead of declaring an empty filter", () => {
        const untrusted = SIGNALS.filter((s) => s.id === "untrusted-ip");
        expect(() => new DetectionAlerts("t-empty", { project: "acme-prod", signals: untrusted, context: { clusters: [], trustedCidrs: [] }, notificationChannels: [], notificationRateLimitSeconds: 300, cpu: { threshold: 0.9, durationSeconds: 900 } })).toThrow(
            "signal untrusted-ip has nothing to watch with this config; leave it out",
        );
    });
});
