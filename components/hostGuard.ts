import { readFileSync } from "fs";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { IncidentNames } from "../core/incidentNames";
import { POD_STATE_TEMPLATE } from "./evidenceCapture";
import { hostPodOverrides } from "./hostPod";
import { shortHash } from "./naming";
import { SCRIPTS_DIR, shellCommand } from "./shell";

export interface HostGuardArgs {
    /** The incident's names (the rules' mark and the pods' names derive from them). */
    readonly names: IncidentNames;
    /** kubectl context the guard pods are created through. */
    readonly kubeContext: string;
    /** The node to guard. */
    readonly node: string;
    /** Image of the guard pods (`quarantine:capture.debugImage`; checked by EvidenceCapture). */
    readonly image: string;
    /** Namespace of the guard pods (`quarantine:capture.namespace`). */
    readonly namespace: string;
    /** Drop the host's traffic to the metadata server (`quarantine:node.blockMetadata`). */
    readonly blockMetadata: boolean;
    /** Addresses of the quarantined pods on the node whose conntrack entries to delete; empty: no flush. */
    readonly flushIps: readonly string[];
    /**
     * What the flush waits for: the pods' deny-all, without which flushed flows would be let
     * through again, and the node's volatile capture, which lists the table the flush changes.
     */
    readonly flushAfter: pulumi.Resource[];
}

/** How long the node's cut-off waits, at most, for each guard pod. */
export const HOST_POD_WAIT = "60s";

function hostScript(name: string): string {
    return readFileSync(join(SCRIPTS_DIR, "host", name), "utf8");
}

/**
 * What closes the node's host-level ways out that no VPC firewall rule reaches (issue #11, points
 * 2 and 3), done through privileged pods on the node before the cut-off, since once cut off the
 * node no longer reaches the API server:
 * - the metadata server: "always allowed" traffic no firewall rule filters
 *   (https://cloud.google.com/firewall/docs/firewalls#alwaysallowed), from which a process on the
 *   node keeps minting the node's service account tokens. A raw-table DROP on the host takes
 *   that away from whoever is not root there; a root attacker can delete the rule, which is why
 *   the node's service account is reported in preview and revoking it is the real fix;
 * - established flows: with Calico a flow already in conntrack outlives the deny-all, so the
 *   pods' entries are deleted once the deny-all exists.
 * Each step never fails and waits a bounded time: what it did, or why not, is its stdout.
 */
export class HostGuard extends pulumi.ComponentResource {
    /** The guard's steps, for the node's cut-off to wait on. */
    public readonly steps: command.local.Command[] = [];
    /** One line per rule or flush, as the steps reported them. */
    public readonly outcome: pulumi.Output<string>;

    constructor(name: string, args: HostGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:node:HostGuard", name, {}, opts);
        const mark = `quarantine-${args.names.id}`;
        const pod = (script: string, env: Record<string, string>, onHost = true) =>
            hostPodOverrides({ incident: args.names.id, role: "guard", node: args.node, image: args.image, script: hostScript(script), env, onHost });
        const base = {
            CONTEXT: args.kubeContext,
            NODE: args.node,
            IMAGE: args.image,
            POD_NAMESPACE: args.namespace,
            HOST_POD_WAIT,
            POD_STATE_TEMPLATE,
        };
        const prefix = `quarantine-guard-${args.names.id}-${shortHash(args.node)}`;

        if (args.blockMetadata) {
            this.steps.push(
                shellCommand(
                    `${name}/metadata-block`,
                    {
                        step: "Drop the node's traffic to the metadata server with a host firewall rule, so a process on it can't get the node's tokens",
                        destroy: "reversed: the host rules this incident added are removed (nothing to do once the node is gone)",
                        kind: "isolation",
                        script: "metadata-block",
                        recordsInState: true,
                        environment: {
                            ...base,
                            MARK: mark,
                            GUARD_POD_PREFIX: `${prefix}-md`,
                            OVERRIDES: pod("metadata-block.sh", { MARK: mark }),
                            UNDO_OVERRIDES: pod("metadata-unblock.sh", { MARK: mark }),
                        },
                    },
                    { parent: this },
                ),
            );
        }
        if (args.flushIps.length > 0) {
            const ips = args.flushIps.join(" ");
            this.steps.push(
                shellCommand(
                    `${name}/conntrack-flush`,
                    {
                        step: "Delete the node's connection-tracking entries of the pods' addresses, so flows established before the deny-all are dropped too",
                        destroy: "nothing to undo: deleted connection-tracking entries are not restored; new flows follow the policies in force",
                        kind: "isolation",
                        script: "conntrack-flush",
                        environment: { ...base, IPS: ips, GUARD_POD_PREFIX: `${prefix}-ct`, OVERRIDES: pod("conntrack-flush.sh", { IPS: ips }, false) },
                    },
                    { parent: this, dependsOn: args.flushAfter },
                ),
            );
        }
        this.outcome = pulumi.all(this.steps.map((s) => s.stdout)).apply((o) => o.map((x) => x.trim()).filter(Boolean).join("\n"));
        this.registerOutputs({ outcome: this.outcome });
    }
}
