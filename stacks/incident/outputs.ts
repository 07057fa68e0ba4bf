import type * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "../../components/chainOfCustody";
import type { Level } from "../../core/levels";
import type { NodeIsolationMode } from "../config";
import type { Memory } from "./memory";

/** What the stack found on one node, as its outputs (and the offline plan) show it. */
export interface NodeSummary {
    readonly node: string;
    readonly zone: string;
    readonly instanceGroup: string | null;
    readonly externalIp: string | null;
    readonly disks: string[];
    readonly pods: string[];
}

/**
 * The stack's outputs: computed once by the program, read by the offline plan (`render.ts`), by
 * the stack's own memory on the next update (`memory.ts`), and by a responder
 * (`pulumi stack output …`).
 */
export interface QuarantineOutputs {
    readonly incidentId: string;
    readonly level: Level;
    readonly snapshotNames: pulumi.Input<string[]>;
    readonly evidenceBucket: pulumi.Input<string>;
    readonly custodyManifest: pulumi.Input<Manifest>;
    readonly custodyManifestObject: pulumi.Input<string>;
    readonly nodes: NodeSummary[];
    /** From `isolate` up. */
    readonly nodeIsolation?: NodeIsolationMode;
    readonly isolationTag?: string;
    readonly bastionSshCommand?: pulumi.Input<string>;
    readonly bastionSshCommands?: pulumi.Input<string>[];
    /** Per node, what its cut-off's steps reported (`tagged; external IP removed`): the node is off the network. From `isolate` up. */
    readonly nodesCutOff?: Record<string, pulumi.Input<string>>;
    /**
     * Per node with a host guard, one line per host firewall rule and conntrack flush, as done or
     * not done and why (`metadata: blocked for 169.254.169.254/32 in raw OUTPUT`). From `isolate` up.
     */
    readonly hostGuard?: Record<string, pulumi.Input<string>>;
    /** Per node, what its drain reported: drained, or what it left on the (cut-off) node and why. From `isolate` up. */
    readonly drains?: Record<string, pulumi.Input<string>>;
    /**
     * What the NetworkPolicy checks found: `open:` (a policy defeats the deny-all; the update fails
     * at its end), `dns:` (DNS still reachable), `clear:`, `unchecked:`. From `isolate` up.
     */
    readonly isolationFindings?: pulumi.Input<string[]>;
    /** Whether preview could verify that the cluster enforces NetworkPolicy. From `isolate` up. */
    readonly networkPolicyEnforcement?: string;
    /** Per node, every pod quarantined because it runs a blocked image (`quarantine:images`), and the images it matched. */
    readonly imagePods?: Record<string, { pod: string; images: string[] }[]>;
    /** The blocked images, normalised; the admission policy denies them from `isolate` up. */
    readonly blockedImages?: string[];
    /**
     * `quarantine:credentials`: the principals, whether this level revokes them, what admission
     * can't block (reads), and per principal the bindings naming it and its project IAM roles
     * (which the quarantine does not revoke), as read at this run (stacks/incident/credentialPreview.ts).
     */
    readonly credentials?: {
        principals: string[];
        contained: boolean;
        notBlocked?: string;
        holdings?: pulumi.Input<Record<string, { bindings: string[]; projectRoles: string[]; removeProjectRoles: string[]; couldNot: string[] }>>;
    };
    /**
     * `quarantine:secrets`, per `namespace/name`: whether this level rotated it, what the rotation
     * reported (keys replaced, with the sha256 of each old value; workloads restarted), and that the
     * upstream credential it held must be rotated at its issuer too.
     */
    readonly secrets?: Record<string, { rotated: boolean; atTheIssuer: string; rotation?: pulumi.Input<string> }>;
    /** Pods that can reach past NetworkPolicy or their sandbox, and why: their node is the boundary. */
    readonly hostLevelPods: string[];
    /**
     * What each node keeps or loses whatever the cut-off does: its service account (the metadata
     * server can't be firewalled), local SSDs that can't be snapshotted. Each is also a warning.
     */
    readonly nodeFindings: string[];
    /** What `pulumi destroy` will not undo, for this update's level. */
    readonly oneWayActions: string[];
    /** One-way actions of earlier updates that a lower level does not bring back. */
    readonly stillGone: string[];
    /** What was deliberately not captured, and why. */
    readonly evidenceNotes: string[];
    readonly memory: Memory;
}

/** The outputs as the next update and the offline plan read them: every value resolved. */
export type ResolvedOutputs = pulumi.Unwrap<QuarantineOutputs>;
