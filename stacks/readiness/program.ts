import * as pulumi from "@pulumi/pulumi";
import { AUDITED_SERVICES, AuditLogs } from "../../components/readiness/auditLogs";
import { DetectionAlerts } from "../../components/readiness/detectionAlerts";
import { NotificationChannels } from "../../components/readiness/notificationChannels";
import type { PrestagedContainmentOutput } from "../../components/readiness/prestagedChoice";
import { PrestagedContainment } from "../../components/readiness/prestagedContainment";
import { ResponderRole } from "../../components/readiness/responderRole";
import { SIGNALS, type SignalContext } from "../../components/readiness/signals";
import { SharedEvidenceBucket } from "../../components/readiness/sharedEvidenceBucket";
import { ConfigError, parseReadinessConfig, type ReadinessConfig } from "./config";

export interface ReadinessOutputs {
    /** Services whose Data Access logs this stack turned on. */
    readonly auditedServices: readonly string[];
    /** What the audit configs replaced of another owner's, as warned in preview. */
    readonly auditConfigsReplaced: pulumi.Output<string[]>;
    /** Notification channel ids every policy notifies. */
    readonly notificationChannels: pulumi.Output<string[]>;
    /** Alert policy resource names by signal id. */
    readonly alertPolicies: pulumi.Output<Record<string, string>>;
    /** Signals left out by this config, and why. */
    readonly signalsNotDeclared: readonly string[];
    /** The responder custom role (`projects/<project>/roles/<id>`), when `responder` is set. */
    readonly responderRole?: pulumi.Output<string>;
    /** Its permissions, as granted. */
    readonly responderPermissions?: readonly string[];
    /** The evidence bucket incident stacks write to (`quarantine:evidenceBucket`). */
    readonly evidenceBucket: pulumi.Output<string>;
    /** Its project: `quarantine-readiness:evidenceProject`, or `gcp:project`. */
    readonly evidenceProject: string;
    /** The pre-staged quarantine firewall, as an incident stack reads it; with `containment.networks` set. */
    readonly prestagedContainment?: pulumi.Output<PrestagedContainmentOutput>;
}

/**
 * The readiness program, run once per project before anything happens (issue #13): Data Access
 * logs the signals need, the notification channels, one alert policy per signal, the evidence
 * bucket, (with `containment.networks`) the quarantine firewall on a tag no VM carries, and (with
 * `responder`) the least-privilege responder role. Config is
 * validated in full before anything is registered.
 */
export function readiness(): ReadinessOutputs {
    let cfg: ReadinessConfig;
    try {
        cfg = parseReadinessConfig(pulumi.runtime.allConfig());
    } catch (e) {
        // Refusals are for the operator, not bug reports: no stack trace around them.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    return declareReadiness(cfg);
}

export function declareReadiness(cfg: ReadinessConfig): ReadinessOutputs {
    const audit = new AuditLogs("readiness/audit", { project: cfg.project });
    const channels = new NotificationChannels("readiness/notify", { project: cfg.project, emails: cfg.emails, pubsubTopics: cfg.pubsubTopics });

    const context: SignalContext = { clusters: cfg.clusters, trustedCidrs: cfg.trustedCidrs };
    const declared = SIGNALS.filter((s) => s.kind === "metric" || s.filter(context) !== undefined);
    const notDeclared = SIGNALS.filter((s) => !declared.includes(s)).map(
        (s) => `${s.id}: nothing to watch; set quarantine-readiness:trustedCidrs, e.g. pulumi config set --path 'quarantine-readiness:trustedCidrs[0]' 203.0.113.0/24`,
    );
    for (const n of notDeclared) void pulumi.log.warn(`signal ${n}`);

    const alerts = new DetectionAlerts(
        "readiness/alerts",
        {
            project: cfg.project,
            signals: declared,
            context,
            notificationChannels: channels.ids,
            notificationRateLimitSeconds: cfg.notificationRateLimitSeconds,
            cpu: cfg.cpu,
        },
        // A policy over Data Access entries matches nothing until they are logged.
        { dependsOn: audit.configs },
    );
    // What an incident stack needs and nothing more (issue #13.6), for the responders to be granted.
    const responder = cfg.responder
        ? new ResponderRole("readiness/responder", {
              project: cfg.project,
              roleId: cfg.responder.roleId,
              kubeContext: cfg.responder.kubeContext,
              clusterRoleName: cfg.responder.clusterRole,
              group: cfg.responder.group,
          })
        : undefined;
    // Once, here, so no incident's first minute is spent creating one (issue #13.5).
    const evidence = new SharedEvidenceBucket("readiness/evidence", {
        name: cfg.evidence.bucket,
        project: cfg.evidence.project,
        location: cfg.evidence.location,
        retentionDays: cfg.evidence.retentionDays,
        lockRetention: cfg.evidence.lockRetention,
    });
    if (cfg.containmentNetworks.length === 0) {
        void pulumi.log.warn(
            "no quarantine firewall is pre-staged: incident stacks declare their own rules, and each node's cut-off waits for them; set quarantine-readiness:containment.networks, e.g. pulumi config set --path 'quarantine-readiness:containment.networks[0]' default",
        );
    }
    const containment = cfg.containmentNetworks.length > 0 ? new PrestagedContainment("readiness/containment", { project: cfg.project, networks: cfg.containmentNetworks }) : undefined;
    return {
        auditedServices: AUDITED_SERVICES,
        auditConfigsReplaced: audit.replaced,
        notificationChannels: channels.ids,
        alertPolicies: alerts.policyNames,
        signalsNotDeclared: notDeclared,
        evidenceBucket: evidence.bucketName,
        evidenceProject: cfg.evidence.project,
        ...(containment ? { prestagedContainment: containment.output } : {}),
        ...(responder ? { responderRole: responder.roleName, responderPermissions: responder.permissions } : {}),
    };
}
