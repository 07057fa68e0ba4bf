import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { LABELS } from "../core/labels";
import type { IncidentNames } from "../core/incidentNames";
import { BLOCKED_OPERATIONS, BLOCKED_RESOURCES, imageBlockCel } from "./imageBlockCel";

export interface ImageBlockArgs {
    /** The incident's names (the policy's and binding's names derive from them). */
    readonly names: IncidentNames;
    /** The blocked images, normalised (`docker.io/library/nginx:1.25`); at least one. */
    readonly images: readonly string[];
}

/**
 * Seed 003's "Block the image": a ValidatingAdmissionPolicy and its binding that deny creating or
 * updating a Pod (and adding an ephemeral container), or a Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job or CronJob whose pod template, with a blocked image. `Deny` refuses the request
 * and `Audit` records it in the audit log. Admission acts on new objects only: the pods already
 * running the image are quarantined as named pods. Waits for nothing (it takes nothing from the
 * pods' isolation); `destroy` removes both.
 */
export class ImageBlock extends pulumi.ComponentResource {
    public readonly policy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy;
    public readonly binding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
    /** The resources that, once created, mean the images are blocked. */
    public readonly blocked: pulumi.Resource[];

    constructor(name: string, args: ImageBlockArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:images:ImageBlock", name, {}, opts);
        // Throws before anything is registered when an entry is not a strict, normalised reference.
        const cel = imageBlockCel(args.names.id, args.images);
        const policyName = `quarantine-${args.names.id}-block-images`;
        const labels = { [LABELS.incident]: args.names.id };

        this.policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            `${name}/policy`,
            {
                metadata: { name: policyName, labels },
                spec: {
                    // Fail: an API server that can't evaluate the policy must not let the image through.
                    failurePolicy: "Fail",
                    matchConstraints: {
                        resourceRules: BLOCKED_RESOURCES.map((r) => ({
                            apiGroups: [...r.apiGroups],
                            apiVersions: ["*"],
                            operations: [...BLOCKED_OPERATIONS],
                            resources: [...r.resources],
                        })),
                    },
                    variables: cel.variables,
                    validations: [cel.validation],
                },
            },
            { parent: this },
        );
        this.binding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            `${name}/binding`,
            {
                metadata: { name: policyName, labels },
                // No paramRef and no matchResources: the policy's own constraints, every namespace.
                spec: { policyName: this.policy.metadata.name, validationActions: ["Deny", "Audit"] },
            },
            { parent: this },
        );
        this.blocked = [this.policy, this.binding];
        this.registerOutputs({ policy: this.policy.metadata.name });
    }
}
