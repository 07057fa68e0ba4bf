import { z } from "zod";
import { K8S_DNS_LABEL, isK8sSubdomain } from "../components/naming";
import { show } from "./configProblems";

/**
 * `quarantine:secrets` (seed 003, "Stolen credentials"): Kubernetes Secrets whose values are
 * stolen, as `namespace/name`. Each is recorded (key names and a sha256 of each value), then,
 * from `isolate` up and behind `quarantine:confirm`, every value is replaced with a fresh random
 * one and the workloads that use it are restarted (stacks/incident/credentials.ts).
 */
export interface SecretRef {
    readonly namespace: string;
    readonly name: string;
}

const EXAMPLE = "e.g. pulumi config set --path 'quarantine:secrets[0]' default/db-credentials";

export function parseSecretRef(v: string): SecretRef | { problem: string } {
    const parts = v.split("/");
    if (parts.length !== 2) return { problem: `is not namespace/name, ${EXAMPLE}` };
    const [namespace, name] = parts;
    if (!K8S_DNS_LABEL.test(namespace)) {
        return { problem: `is not a valid secret: namespace ${show(namespace)} is not a Kubernetes namespace name (lowercase letters, digits, '-'; ≤ 63), ${EXAMPLE}` };
    }
    // A Secret's name is a DNS subdomain (https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data).
    if (!isK8sSubdomain(name)) {
        return { problem: `is not a valid secret: name ${show(name)} is not a Kubernetes object name (lowercase letters, digits, '-', '.'; ≤ 253), ${EXAMPLE}` };
    }
    return { namespace, name };
}

export const secretList = z
    .array(
        z
            .string({ error: `must be a string namespace/name, ${EXAMPLE}` })
            .superRefine((v, ctx) => {
                const r = parseSecretRef(v);
                if ("problem" in r) ctx.addIssue({ code: "custom", message: r.problem });
            })
            .transform((v) => parseSecretRef(v) as SecretRef),
        { error: `must be a list of secrets as namespace/name, ${EXAMPLE}` },
    )
    .default([]);

export const secretKey = (s: SecretRef) => `${s.namespace}/${s.name}`;

/**
 * Cross-key checks: each secret once, and the acknowledgement that rotation needs. Rotating is
 * one-way (the compromised values are never put back) and disruptive (the workloads restart),
 * so from `isolate` up it is gated by `quarantine:confirm` like every one-way step.
 */
export function secretProblems(secrets: readonly SecretRef[], rotates: boolean, confirm: string | undefined, id: string | undefined): string[] {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    secrets.forEach((s, i) => {
        const k = secretKey(s);
        const first = seen.get(k);
        if (first !== undefined) problems.push(`quarantine:secrets[${i}] ${show(k)} is quarantine:secrets[${first}] again; list each secret once`);
        else seen.set(k, i);
    });
    if (secrets.length > 0 && rotates && id !== undefined && confirm !== `incident-${id}`) {
        const why = `quarantine:secrets ${show(secrets.map(secretKey))} replaces every value of each secret (one-way: destroy never puts a compromised value back) and restarts the workloads that use it, and needs an acknowledgement naming this incident`;
        problems.push(
            confirm === undefined
                ? `quarantine:confirm (unset) is required: ${why}; e.g. pulumi config set quarantine:confirm incident-${id}, or quarantine:level observe to only record them`
                : `quarantine:confirm ${show(confirm)} does not match incident ${id}: ${why}; e.g. pulumi config set quarantine:confirm incident-${id}`,
        );
    }
    return problems;
}
