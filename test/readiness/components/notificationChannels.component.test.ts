import { describe, expect, it } from "vitest";
import { NotificationChannels } from "../../../components/readiness/notificationChannels";
import { mockEngine, resolve, urns } from "../../components/componentMocks";

const engine = mockEngine({
    calls: { "gcp:organizations/getProject:getProject": (inputs) => ({ projectId: inputs.projectId, number: "123456789012", name: "acme-prod" }) },
    computed: (args) => (args.type === "gcp:monitoring/notificationChannel:NotificationChannel" ? { name: `projects/acme-prod/notificationChannels/${args.name.split("-").pop()}` } : {}),
});

const both = new NotificationChannels("t", { project: "acme-prod", emails: ["secops@acme.com", "oncall@acme.com"], pubsubTopics: ["projects/acme-secops/topics/gke-alerts"] });
const emailOnly = new NotificationChannels("t-email", { project: "acme-prod", emails: ["secops@acme.com"] });

const ofType = async (c: NotificationChannels, type: string) => (await engine.children(c)).filter((r) => r.type === type);

describe("NotificationChannels", () => {
    it("declares an email channel per address", async () => {
        const channels = (await ofType(both, "gcp:monitoring/notificationChannel:NotificationChannel")).filter((c) => c.inputs.type === "email");
        expect(channels.map((c) => c.inputs)).toEqual(
            ["secops@acme.com", "oncall@acme.com"].map((email) => ({
                project: "acme-prod",
                displayName: `quarantine alerts: ${email}`,
                type: "email",
                labels: { email_address: email },
                userLabels: { "quarantine-readiness": "alerts" },
                enabled: true,
            })),
        );
    });

    it("declares a Pub/Sub channel per topic, after granting Monitoring's service agent publisher on it", async () => {
        const [channel] = (await ofType(both, "gcp:monitoring/notificationChannel:NotificationChannel")).filter((c) => c.inputs.type === "pubsub");
        const [grant] = await ofType(both, "gcp:pubsub/topicIAMMember:TopicIAMMember");
        expect(channel.inputs.labels).toEqual({ topic: "projects/acme-secops/topics/gke-alerts" });
        expect(grant.inputs).toEqual({
            topic: "projects/acme-secops/topics/gke-alerts",
            role: "roles/pubsub.publisher",
            member: "serviceAccount:service-123456789012@gcp-sa-monitoring-notification.iam.gserviceaccount.com",
        });
        expect(channel.dependencies).toContain(grant.urn);
        expect(engine.invocations.filter((i) => i.token === "gcp:organizations/getProject:getProject").map((i) => i.inputs)).toEqual([{ projectId: "acme-prod" }]);
    });

    it("names channels by their address, so reordering the config replaces nothing", async () => {
        const [a, b] = await Promise.all([ofType(both, "gcp:monitoring/notificationChannel:NotificationChannel"), ofType(emailOnly, "gcp:monitoring/notificationChannel:NotificationChannel")]);
        const secops = (cs: typeof a) => cs.find((c) => c.inputs.labels.email_address === "secops@acme.com")!.name;
        expect(secops(a).replace(/^t\//, "")).toBe(secops(b).replace(/^t-email\//, ""));
        expect(new Set(a.map((c) => c.name)).size).toBe(3);
    });

    it("grants nothing and reads nothing without a topic", async () => {
        expect(await ofType(emailOnly, "gcp:pubsub/topicIAMMember:TopicIAMMember")).toEqual([]);
    });

    it("hands on every channel's id for the alert policies", async () => {
        const ids = await resolve(both.ids);
        expect(ids).toHaveLength(3);
        expect(await urns(both.channels)).toHaveLength(3);
        expect(ids.every((id) => id.startsWith("projects/acme-prod/notificationChannels/"))).toBe(true);
    });
});
