import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { IncidentNames } from "../../core/incidentNames";
import type { Credential } from "../../stacks/credentialConfig";
import { credentialKey } from "../../stacks/credentialConfig";
import { shellCommand } from "../shell";
import { credentialPath } from "./principals";

export interface CredentialOneWayArgs {
    /** The incident's names. */
    readonly names: IncidentNames;
    /** Project of the Google service accounts. */
    readonly project: string;
    /** kubectl context of the cluster. */
    readonly kubeContext: string;
    /** The principals whose credentials are stolen. */
    readonly credentials: readonly Credential[];
    /** What every one-way step waits for: the credentials' records and revocations, and the incident's evidence. */
    readonly after: pulumi.Input<pulumi.Resource>[];
}

/**
 * Seed 003's one-way answers to stolen credentials, at the destructive levels (so behind
 * `quarantine:confirm`), after every record and revocation: a Kubernetes service account is
 * deleted and recreated under its name (the only way to invalidate TokenRequest tokens that are
 * bound to no pod before they expire), and a stolen key is deleted. Neither can be undone;
 * `oneWay` says so for the `oneWayActions` output.
 */
export class CredentialOneWay extends pulumi.ComponentResource {
    public readonly steps: command.local.Command[] = [];
    public readonly oneWay: string[] = [];

    constructor(name: string, args: CredentialOneWayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:credentials:CredentialOneWay", name, {}, opts);
        const base = { CONTEXT: args.kubeContext, PROJECT: args.project, INCIDENT: args.names.id };
        for (const c of args.credentials) {
            if (c.kind === "serviceaccount") {
                const what = `service account ${c.namespace}/${c.name} deleted and recreated: every token issued for it is invalid; the new one keeps no annotations, labels or imagePullSecrets of the old (its YAML is in the evidence)`;
                this.add(`${name}/${credentialPath(c)}/recreate`, args, {
                    step: `Delete and recreate Kubernetes service account ${credentialKey(c)} (invalidates every token issued for it)`,
                    destroy: `one-way: ${what}`,
                    script: "cred-sa-recreate",
                    environment: { ...base, NAMESPACE: c.namespace, NAME: c.name },
                });
                this.oneWay.push(what);
            }
            if (c.kind === "key") {
                const what = `key ${c.keyId} of ${c.email} deleted: a deleted key can't be restored`;
                this.add(`${name}/${credentialPath(c)}/delete`, args, {
                    step: `Delete key ${c.keyId} of Google service account ${c.email}`,
                    destroy: `one-way: ${what}`,
                    script: "cred-key-delete",
                    environment: { ...base, GSA: c.email, KEY_ID: c.keyId },
                });
                this.oneWay.push(what);
            }
        }
        this.registerOutputs({});
    }

    private add(logical: string, args: CredentialOneWayArgs, s: { step: string; destroy: string; script: string; environment: Record<string, string> }): void {
        this.steps.push(shellCommand(logical, { ...s, kind: "destructive" }, { parent: this, dependsOn: args.after }));
    }
}
