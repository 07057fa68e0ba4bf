import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { alertDocumentation } from "./alertDocumentation";
import type { LogSignal, MetricSignal, Signal, SignalContext } from "./signals";

export interface DetectionAlertsArgs {
    /** Project the alert policies belong to (and whose logs they watch). */
    readonly project: string;
    /** The signals to declare, one policy each. */
    readonly signals: readonly Signal[];
    /** What the signals' filters are built from. */
    readonly context: SignalContext;
    /** Notification channel ids (`projects/<p>/notificationChannels/<n>`) every policy notifies. */
    readonly notificationChannels: pulumi.Input<pulumi.Input<string>[]>;
    /** At most one notification per this many seconds per log-based policy; at least 300. */
    readonly notificationRateLimitSeconds: number;
    /** The CPU fallback: share of allocatable CPU (0–1] and how long it must last, in seconds. */
    readonly cpu: { readonly threshold: number; readonly durationSeconds: number };
}

/**
 * One `gcp.monitoring.AlertPolicy` per signal. A log-based policy has exactly one condition, its
 * `conditionMatchedLog` (Cloud Monitoring refuses a log match beside other conditions), and a
 * required `notificationRateLimit`: a burst of matching entries is one notification per period,
 * one incident per label set. The CPU fallback is a metric-threshold policy.
 */
export class DetectionAlerts extends pulumi.ComponentResource {
    /** Each policy by signal id. */
    public readonly policies: ReadonlyMap<string, gcp.monitoring.AlertPolicy>;
    /** Each policy's resource name (`projects/<p>/alertPolicies/<n>`) by signal id. */
    public readonly policyNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: DetectionAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:readiness:DetectionAlerts", name, {}, opts);
        const policies = new Map<string, gcp.monitoring.AlertPolicy>();
        for (const signal of args.signals) {
            if (policies.has(signal.id)) throw new pulumi.ResourceError(`signal ${signal.id} is listed twice`, this);
            const doc = alertDocumentation(signal, args.project);
            const condition = signal.kind === "log" ? logCondition(signal, args.context, this) : metricCondition(signal, args);
            policies.set(
                signal.id,
                new gcp.monitoring.AlertPolicy(
                    `${name}/${signal.id}`,
                    {
                        project: args.project,
                        displayName: `quarantine: ${signal.title}`,
                        combiner: "OR",
                        conditions: [condition],
                        alertStrategy:
                            signal.kind === "log"
                                ? { notificationRateLimit: { period: `${args.notificationRateLimitSeconds}s` }, autoClose: "604800s" }
                                : { autoClose: "86400s" },
                        documentation: { subject: doc.subject, content: doc.content, mimeType: "text/markdown" },
                        notificationChannels: args.notificationChannels,
                        severity: signal.severity,
                        userLabels: { "quarantine-signal": signal.id },
                        enabled: true,
                    },
                    { parent: this },
                ),
            );
        }
        this.policies = policies;
        const named = [...policies].map(([id, p]) => p.name.apply((n): [string, string] => [id, n]));
        this.policyNames = pulumi.all(named).apply((pairs): Record<string, string> => Object.fromEntries(pairs));
        this.registerOutputs({ policyNames: this.policyNames });
    }
}

function logCondition(signal: LogSignal, ctx: SignalContext, parent: pulumi.Resource): gcp.types.input.monitoring.AlertPolicyCondition {
    const filter = signal.filter(ctx);
    if (filter === undefined) throw new pulumi.ResourceError(`signal ${signal.id} has nothing to watch with this config; leave it out`, parent);
    return { displayName: signal.title, conditionMatchedLog: { filter, labelExtractors: { ...signal.labels } } };
}

function metricCondition(signal: MetricSignal, args: DetectionAlertsArgs): gcp.types.input.monitoring.AlertPolicyCondition {
    return {
        displayName: signal.title,
        conditionThreshold: {
            filter: signal.filter(args.context),
            comparison: "COMPARISON_GT",
            thresholdValue: args.cpu.threshold,
            duration: `${args.cpu.durationSeconds}s`,
            aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
            trigger: { count: 1 },
        },
    };
}
