import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

/**
 * The services whose Data Access logs the signals read: GKE's Kubernetes API (reads, and the
 * `get` of a kubectl ≥ 1.30 exec), IAP's TCP forwarding and OS Login (their SSH events).
 */
export const AUDITED_SERVICES = ["container.googleapis.com", "iap.googleapis.com", "oslogin.googleapis.com"] as const;
export const LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] as const;

export interface AuditLogsArgs {
    /** Project whose audit config is set. */
    readonly project: string;
    /** Services to turn Data Access logs on for. Default `AUDITED_SERVICES`. */
    readonly services?: readonly string[];
}

/** An entry of an IAM policy's `auditConfigs`, as `getIamPolicy`'s `policyData` JSON spells it. */
interface AuditConfig {
    readonly service?: string;
    readonly auditLogConfigs?: readonly { readonly logType?: string; readonly exemptedMembers?: readonly string[] }[];
}

/**
 * What declaring our audit config for `services` would replace in the project's current one
 * (`policyData` of `gcp.projects.getIamPolicy`): `IAMAuditConfig` is authoritative per service,
 * so another team's exemptions (or log types) for it are lost. One sentence per service; none
 * when the current config is already ours.
 */
export function replacedAuditConfigs(policyData: string, services: readonly string[]): string[] {
    let configs: readonly AuditConfig[];
    try {
        configs = (JSON.parse(policyData || "{}") as { auditConfigs?: AuditConfig[] }).auditConfigs ?? [];
    } catch {
        return [`the project's IAM policy could not be read as JSON, so its current audit config for ${services.join(", ")} was not checked`];
    }
    const out: string[] = [];
    for (const service of services) {
        const current = configs.filter((c) => c.service === service).flatMap((c) => c.auditLogConfigs ?? []);
        const lost: string[] = [];
        for (const c of current) {
            const exempted = c.exemptedMembers ?? [];
            if (exempted.length > 0) lost.push(`${c.logType ?? "?"} exempts ${exempted.join(", ")}`);
            if (c.logType && !(LOG_TYPES as readonly string[]).includes(c.logType)) lost.push(`log type ${c.logType}`);
        }
        if (lost.length > 0) {
            out.push(
                `gcp.projects.IAMAuditConfig for ${service} is authoritative and replaces the project's current audit config for it: ${lost.join("; ")} will be lost. ` +
                    "Agree with its owner first; the exempted members' reads will then be logged (and billed).",
            );
        }
    }
    return out;
}

/**
 * Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for the services the signals read.
 * Admin Activity logs are always on and free; Data Access logs are off by default and billed, and
 * without them a kubectl ≥ 1.30 exec, a secret read or an IAP SSH leaves no trace. Preview reads
 * the project's current audit config and warns about what this would replace. Kept on destroy
 * (`retainOnDelete`): turning audit logs off must never be the side effect of a destroy.
 */
export class AuditLogs extends pulumi.ComponentResource {
    public readonly configs: gcp.projects.IAMAuditConfig[];
    /** What the declared configs replace of another owner's (see `replacedAuditConfigs`). */
    public readonly replaced: pulumi.Output<string[]>;

    constructor(name: string, args: AuditLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:readiness:AuditLogs", name, {}, opts);
        const services = args.services ?? AUDITED_SERVICES;
        const policy = gcp.projects.getIamPolicyOutput({ project: args.project }, { parent: this });
        this.replaced = policy.policyData.apply((data) => {
            const findings = replacedAuditConfigs(data, services);
            for (const f of findings) void pulumi.log.warn(f, this);
            return findings;
        });
        this.configs = services.map(
            (service) =>
                new gcp.projects.IAMAuditConfig(
                    `${name}/${service}`,
                    { project: args.project, service, auditLogConfigs: LOG_TYPES.map((logType) => ({ logType })) },
                    { parent: this, retainOnDelete: true },
                ),
        );
        this.registerOutputs({ replaced: this.replaced });
    }
}
