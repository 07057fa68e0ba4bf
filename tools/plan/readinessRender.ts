import type { ReadinessRecord, ReadinessRun } from "./readinessRun";

/**
 * The readiness plan a team reads before `pulumi up` of `stacks/readiness/`: what it declares,
 * section by section, and what `pulumi destroy` does about each. Every resource the program
 * registers is listed: a type without a section of its own is listed under "Other resources".
 */

const last = (s: string) => s.split("/").pop() ?? s;
const kept = (r: ReadinessRecord, why: string) => (r.retainOnDelete ? `kept on destroy (${why})` : "DELETED on destroy");

function firewall(i: Record<string, any>): string {
    const action = i.denies ? "deny" : "allow";
    const what = ((i.denies ?? i.allows) as { protocol: string; ports?: string[] }[]).map((x) => (x.ports ? `${x.protocol}:${x.ports.join(",")}` : x.protocol)).join(" ");
    const peer = i.direction === "EGRESS" ? `to ${i.destinationRanges.join(",")}` : `from ${i.sourceTags ? `tag ${i.sourceTags.join(",")}` : i.sourceRanges.join(",")}`;
    return `${i.direction} ${action} ${what} ${peer}, priority ${i.priority}, targets tag ${i.targetTags.join(",")}`;
}

/** Each section: the types it shows, and one line (or more) per resource. */
const SECTIONS: { title: string; types: string[]; lines(r: ReadinessRecord): string[] }[] = [
    {
        title: "Data Access audit logs (billed beyond Cloud Logging's free allotment; Admin Activity logs are free and always on)",
        types: ["gcp:projects/iAMAuditConfig:IAMAuditConfig"],
        lines: (r) => [`${r.inputs.service} in ${r.inputs.project}: ${r.inputs.auditLogConfigs.map((c: { logType: string }) => c.logType).join(", ")}; ${kept(r, "turning audit logs off is never a side effect")}`],
    },
    {
        title: "Notification channels",
        types: ["gcp:monitoring/notificationChannel:NotificationChannel", "gcp:pubsub/topicIAMMember:TopicIAMMember"],
        lines: (r) =>
            r.type === "gcp:pubsub/topicIAMMember:TopicIAMMember"
                ? [`${r.inputs.role} on ${r.inputs.topic} for ${r.inputs.member}`]
                : [`${r.inputs.type} ${r.inputs.labels.email_address ?? r.inputs.labels.topic}`],
    },
    {
        title: "Alert policies, one per detection signal",
        types: ["gcp:monitoring/alertPolicy:AlertPolicy"],
        lines: (r) => {
            const c = r.inputs.conditions[0];
            const how = c.conditionMatchedLog ? `log match, at most one notification per ${r.inputs.alertStrategy.notificationRateLimit.period}` : "metric threshold";
            return [`${last(r.name)}: ${r.inputs.displayName} (${how})`];
        },
    },
    {
        title: "Evidence bucket, the one every incident stack writes to",
        types: ["gcp:storage/bucket:Bucket"],
        lines: (r) => {
            const i = r.inputs;
            const days = Number(i.retentionPolicy.retentionPeriod) / 86400;
            const lock = i.retentionPolicy.isLocked ? "LOCKED (irreversible: the bucket can't be deleted until every object has met its retention)" : "unlocked";
            return [
                `gs://${i.name} in project ${i.project}, ${i.location}: retention ${days} days, ${lock}`,
                `  uniform bucket-level access ${i.uniformBucketLevelAccess ? "on" : "OFF"}, public access prevention ${i.publicAccessPrevention}, ${i.versioning?.enabled ? "Object Versioning ON" : "no Object Versioning (refused beside a retention policy)"}; ${kept(r, "evidence")}`,
            ];
        },
    },
    {
        title: "Pre-staged containment: inert until a quarantine tags a VM",
        types: ["gcp:compute/firewall:Firewall"],
        lines: (r) => [`${r.inputs.name} in ${r.inputs.network}: ${firewall(r.inputs)}; ${r.retainOnDelete ? "kept on destroy" : r.inputs.denies ? "removed on destroy: a VM still tagged is released" : "removed on destroy"}`],
    },
    {
        title: "Responder role",
        types: ["gcp:projects/iAMCustomRole:IAMCustomRole", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "pulumi:providers:kubernetes"],
        lines: (r) => {
            const i = r.inputs;
            if (r.type === "gcp:projects/iAMCustomRole:IAMCustomRole") return [`IAM custom role projects/${i.project}/roles/${i.roleId}: ${i.permissions.length} permissions, stage ${i.stage}`];
            if (r.type === "pulumi:providers:kubernetes") return [`through kubeconfig context ${i.context}`];
            if (r.type.endsWith(":ClusterRole")) return [`ClusterRole ${i.metadata.name}: ${i.rules.length} rules`];
            return [`ClusterRoleBinding ${i.metadata.name}: ${i.subjects.map((s: { kind: string; name: string }) => `${s.kind} ${s.name}`).join(", ")}`];
        },
    },
];

export function renderReadinessPlan(run: ReadinessRun): string {
    const custom = run.resources.filter((r) => !r.type.startsWith("quarantine:"));
    const project = custom.find((r) => r.type === "gcp:projects/iAMAuditConfig:IAMAuditConfig")?.inputs.project ?? "(unknown)";
    const out: string[] = [`Readiness plan for stack ${run.stack}: project ${project}, ${custom.length} resources`];
    const shown = new Set<ReadinessRecord>();
    for (const s of SECTIONS) {
        const rs = custom.filter((r) => s.types.includes(r.type));
        if (rs.length === 0) continue;
        out.push("", `${s.title}:`);
        for (const r of rs) {
            shown.add(r);
            const [first, ...rest] = s.lines(r);
            out.push(`  - ${first}`, ...rest.map((l) => `    ${l.trimStart()}`));
        }
    }
    const staged = run.outputs.prestagedContainment;
    if (staged) {
        out.push("", `An incident stack with quarantine:readinessStack organization/quarantine-readiness/${run.stack} tags each VM ${staged.isolationTag} beside its own tag, its bastions ${staged.bastionTag}, and declares no firewall rule in ${staged.networks.map((n: { network: string }) => n.network).join(", ")}.`);
    }
    const other = custom.filter((r) => !shown.has(r));
    if (other.length > 0) out.push("", "Other resources:", ...other.map((r) => `  - ${r.type} ${r.name}`));
    if (run.outputs.signalsNotDeclared?.length > 0) out.push("", "Signals not declared:", ...run.outputs.signalsNotDeclared.map((s: string) => `  - ${s}`));
    if (run.warnings.length > 0) out.push("", "Warnings:", ...run.warnings.map((w) => `  - ${w}`));
    out.push("", "Assumed offline (a real preview reads these):", ...run.assumed.map((a) => `  - ${a}`));
    return out.join("\n");
}
