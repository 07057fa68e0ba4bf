import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { shortHash } from "../naming";

export interface NotificationChannelsArgs {
    /** Project the channels belong to: the alert policies' project. */
    readonly project: string;
    /** Email addresses, one channel each. Default none. */
    readonly emails?: readonly string[];
    /** Pub/Sub topics as `projects/<project>/topics/<topic>`, one channel each, for automation. Default none. */
    readonly pubsubTopics?: readonly string[];
}

/**
 * Where the alerts go. A Pub/Sub channel publishes as the project's Monitoring notification
 * service agent, which needs `roles/pubsub.publisher` on the topic
 * (https://cloud.google.com/monitoring/support/notification-options#pubsub), so each topic gets
 * that one binding, additive (a `TopicIAMMember`), never replacing the topic's other members.
 * Children are named by a hash of the address: reordering the config list replaces nothing.
 */
export class NotificationChannels extends pulumi.ComponentResource {
    public readonly channels: gcp.monitoring.NotificationChannel[];
    /** Channel ids, for `AlertPolicy.notificationChannels`. */
    public readonly ids: pulumi.Output<string[]>;

    constructor(name: string, args: NotificationChannelsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:readiness:NotificationChannels", name, {}, opts);
        const channel = (key: string, displayName: string, type: string, labels: Record<string, string>, dependsOn: pulumi.Resource[] = []) =>
            new gcp.monitoring.NotificationChannel(
                `${name}/${type}-${shortHash(key, 8)}`,
                { project: args.project, displayName, type, labels, userLabels: { "quarantine-readiness": "alerts" }, enabled: true },
                { parent: this, dependsOn },
            );
        this.channels = (args.emails ?? []).map((email) => channel(email, `quarantine alerts: ${email}`, "email", { email_address: email }));

        const topics = args.pubsubTopics ?? [];
        if (topics.length > 0) {
            const number = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this }).number;
            for (const topic of topics) {
                // The channel waits for the grant: its first notification must not be refused.
                const publisher = new gcp.pubsub.TopicIAMMember(
                    `${name}/publisher-${shortHash(topic, 8)}`,
                    { topic, role: "roles/pubsub.publisher", member: pulumi.interpolate`serviceAccount:service-${number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com` },
                    { parent: this },
                );
                this.channels.push(channel(topic, `quarantine alerts: ${topic}`, "pubsub", { topic }, [publisher]));
            }
        }
        this.ids = pulumi.all(this.channels.map((c) => c.name));
        this.registerOutputs({ ids: this.ids });
    }
}
