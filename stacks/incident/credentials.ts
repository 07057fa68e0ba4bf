import * as pulumi from "@pulumi/pulumi";
import { ADMISSION_LIMIT, CredentialContainment } from "../../components/credentials/credentialContainment";
import { CredentialOneWay } from "../../components/credentials/credentialOneWay";
import { CredentialRecord } from "../../components/credentials/credentialRecord";
import { AT_THE_ISSUER, SecretRecord, SecretRotation } from "../../components/credentials/secrets";
import type { Artifact, NotCaptured } from "../../components/evidenceCapture";
import type { IncidentNames } from "../../core/incidentNames";
import { isDestructive, reaches } from "../../core/levels";
import type { QuarantineConfig } from "../config";
import type { QuarantineOutputs } from "./outputs";
import { credentialKey, type Credential } from "../credentialConfig";
import { secretKey } from "../secretConfig";
import { previewHoldings, type Holdings } from "./credentialPreview";

export interface CredentialSteps {
    /** Each principal's record: evidence, in the custody manifest; escalation waits for them. */
    readonly records: pulumi.Resource[];
    readonly artifacts: pulumi.Output<Artifact[]>;
    readonly notCaptured: pulumi.Output<NotCaptured[]>;
    /** Every reversible revocation (isolate and above). */
    readonly revoked: pulumi.Resource[];
    /** Per secret (`namespace/name`), its record of key names and hashes: its rotation waits for it. */
    readonly secretRecords: ReadonlyMap<string, pulumi.Resource>;
    /** The `credentials` output: the principals and what this update does about them. */
    readonly outputs: { credentials?: { principals: string[]; contained: boolean; notBlocked?: string; holdings: pulumi.Output<Record<string, Holdings>> } };
}

/** What `isolate` does to each kind of principal, and what the destructive levels add: said in preview. */
const REVOKES: Record<Credential["kind"], string> = {
    serviceaccount: "removed from every RoleBinding and ClusterRoleBinding naming it, and its writes, exec and attach denied by admission",
    user: "removed from every RoleBinding and ClusterRoleBinding naming it, and its writes, exec and attach denied by admission",
    gsa: "disabled, its Workload Identity bindings removed and its user-managed keys disabled",
    key: "disabled",
};
const ONE_WAY: Partial<Record<Credential["kind"], string>> = { serviceaccount: "deleted and recreated", key: "deleted" };

export interface CredentialInputs {
    readonly bucket: pulumi.Input<string>;
    readonly bucketReady?: pulumi.Resource;
}

/**
 * `quarantine:credentials` (seed 003, "Stolen credentials"): record first, then, from `isolate`
 * up, revoke reversibly (the one-way steps: `oneWayCredentials`). None of it takes anything from the pods' or nodes' isolation, and their cut-off waits
 * for none of it: the program declares it beside them, never in their `dependsOn`.
 */
export function quarantineCredentials(cfg: QuarantineConfig, names: IncidentNames, inputs: CredentialInputs): CredentialSteps {
    const principals = quarantinePrincipals(cfg, names, inputs);
    if (cfg.secrets.length === 0) return { ...principals, secretRecords: new Map() };
    const record = new SecretRecord(`${names.id}/secrets/record`, {
        names,
        project: cfg.project,
        kubeContext: cfg.kubeContext,
        bucket: inputs.bucket,
        bucketReady: inputs.bucketReady,
        secrets: cfg.secrets,
    });
    const join = <T>(a: pulumi.Output<T[]>, b: pulumi.Output<T[]>) => pulumi.all([a, b]).apply(([x, y]) => [...x, ...y]);
    return {
        ...principals,
        records: [...principals.records, ...record.records.values()],
        artifacts: join(principals.artifacts, record.artifacts),
        notCaptured: join(principals.notCaptured, record.notCaptured),
        secretRecords: record.records,
    };
}

function quarantinePrincipals(cfg: QuarantineConfig, names: IncidentNames, inputs: CredentialInputs): Omit<CredentialSteps, "secretRecords"> {
    const none = pulumi.output([]);
    if (cfg.credentials.length === 0) return { records: [], artifacts: none, notCaptured: none, revoked: [], outputs: {} };
    const id = names.id;
    const principals = cfg.credentials.map(credentialKey);
    const record = new CredentialRecord(`${id}/credentials/record`, {
        names,
        project: cfg.project,
        kubeContext: cfg.kubeContext,
        bucket: inputs.bucket,
        bucketReady: inputs.bucketReady,
        credentials: cfg.credentials,
    });
    const records = [...record.records.values()];
    // Read at preview too, so the preview says what isolation will unbind and what it leaves.
    const holdings = previewHoldings(cfg.credentials, cfg.project, cfg.kubeContext, reaches(cfg.level, "isolate"));
    const base = { records, artifacts: record.artifacts, notCaptured: record.notCaptured };
    if (!reaches(cfg.level, "isolate")) {
        void pulumi.log.warn(`quarantine:level observe records ${principals.join(", ")} and revokes nothing: the stolen credentials still work; quarantine:level isolate revokes them`);
        return { ...base, revoked: [], outputs: { credentials: { principals, contained: false, holdings } } };
    }
    const contain = new CredentialContainment(`${id}/credentials/contain`, {
        names,
        project: cfg.project,
        kubeContext: cfg.kubeContext,
        credentials: cfg.credentials,
        recordOf: (p) => {
            const r = record.records.get(p);
            if (!r) throw new Error(`no record of ${p}`);
            return r;
        },
    });
    cfg.credentials.forEach((c, i) => void pulumi.log.info(`quarantine:credentials[${i}] ${credentialKey(c)}: recorded, then ${REVOKES[c.kind]}${isDestructive(cfg.level) && ONE_WAY[c.kind] ? `; one-way: ${ONE_WAY[c.kind]}` : ""}`));
    const kube = cfg.credentials.filter((c) => c.kind === "serviceaccount" || c.kind === "user");
    const notBlocked = kube.length > 0 ? `${kube.map(credentialKey).join(", ")}: ${ADMISSION_LIMIT}` : undefined;
    if (notBlocked) void pulumi.log.warn(notBlocked);
    for (const c of cfg.credentials.filter((x) => x.kind === "serviceaccount")) {
        if (!isDestructive(cfg.level)) {
            void pulumi.log.warn(
                `${credentialKey(c)}: tokens bound to a pod die with the pod (quarantine:level redeploy); tokens bound to no pod (TokenRequest) stay valid until they expire unless the service account is deleted and recreated (quarantine:level redeploy, with quarantine:confirm)`,
            );
        }
    }
    return { ...base, revoked: contain.revoked, outputs: { credentials: { principals, contained: true, holdings, ...(notBlocked ? { notBlocked } : {}) } } };
}

/**
 * The one-way steps at the destructive levels (`quarantine:confirm` is checked with the level):
 * after every record and revocation of the credentials and after the incident's evidence, as
 * every escalation step.
 */
export function oneWayCredentials(cfg: QuarantineConfig, names: IncidentNames, steps: CredentialSteps, evidence: pulumi.Resource[]): { steps: pulumi.Resource[]; oneWay: string[]; outputs: SecretOutputs } {
    const secrets = rotateSecrets(cfg, names, steps, evidence);
    if (cfg.credentials.length === 0 || !isDestructive(cfg.level)) return secrets;
    const o = new CredentialOneWay(`${names.id}/credentials/one-way`, {
        names,
        project: cfg.project,
        kubeContext: cfg.kubeContext,
        credentials: cfg.credentials,
        after: [...steps.records, ...steps.revoked, ...evidence],
    });
    return { steps: [...secrets.steps, ...o.steps], oneWay: [...secrets.oneWay, ...o.oneWay], outputs: secrets.outputs };
}

type SecretOutputs = Pick<QuarantineOutputs, "secrets">;

/**
 * `quarantine:secrets`, from `isolate` up (behind `quarantine:confirm`, checked with the config):
 * each Secret's values replaced and its workloads restarted, after its record and the incident's
 * evidence. Declared beside the pods' and nodes' cut-off: neither waits for the other.
 */
function rotateSecrets(cfg: QuarantineConfig, names: IncidentNames, steps: CredentialSteps, evidence: pulumi.Resource[]): { steps: pulumi.Resource[]; oneWay: string[]; outputs: SecretOutputs } {
    if (cfg.secrets.length === 0) return { steps: [], oneWay: [], outputs: {} };
    const rotates = reaches(cfg.level, "isolate");
    const r = rotates
        ? new SecretRotation(`${names.id}/secrets/rotate`, {
              names,
              kubeContext: cfg.kubeContext,
              secrets: cfg.secrets,
              recordOf: (key) => {
                  const rec = steps.secretRecords.get(key);
                  if (!rec) throw new Error(`no record of secret ${key}`);
                  return rec;
              },
              after: [...steps.records, ...evidence],
          })
        : undefined;
    const secrets: NonNullable<QuarantineOutputs["secrets"]> = {};
    for (const [i, s] of cfg.secrets.entries()) {
        const key = secretKey(s);
        const done = rotates ? "recorded (key names and sha256 of each value), then every value replaced and its workloads restarted" : "recorded (key names and sha256 of each value) and not rotated: quarantine:level isolate rotates it";
        void pulumi.log.warn(`quarantine:secrets[${i}] ${key}: ${done}; ${AT_THE_ISSUER}`);
        secrets[key] = { rotated: rotates, atTheIssuer: AT_THE_ISSUER, ...(r ? { rotation: r.reports[key] } : {}) };
    }
    return { steps: r?.steps ?? [], oneWay: r?.oneWay ?? [], outputs: { secrets } };
}

/**
 * Where a created evidence bucket goes when the incident has no node to take the region from
 * (only `quarantine:credentials`): the cluster's region if configured, else the US multi-region.
 */
export function evidenceLocationWithoutNodes(cfg: QuarantineConfig): string {
    return cfg.cluster ? cfg.cluster.location.replace(/-[a-z]$/, "") : "US";
}
