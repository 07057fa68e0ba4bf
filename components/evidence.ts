import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { EXEC_CAPTURE, HOST_COMMANDS_JSON, NODE_CAPTURE, POD_CAPTURE, VOLATILE_CAPTURE } from "./evidenceScripts";
import { IncidentNames } from "./naming";
import { CAPTURE_STEP } from "./scriptHeader";
import { shellCommand } from "./shell";

export interface EvidenceCaptureArgs {
    readonly names: IncidentNames;
    readonly project: string;
    readonly kubeContext: string;
    readonly bucket: pulumi.Input<string>;
    readonly pods: readonly { readonly namespace: string; readonly name: string }[];
    readonly nodes: readonly string[];
    /**
     * Capture each node's volatile state through a capture pod. False when the node is cut off
     * at once (`nodeIsolation: immediate`): it could not reach the API server to report back.
     */
    readonly volatile: boolean;
    /** Archive /etc and /proc from the live container (touches it; default false). */
    readonly exec?: boolean;
    readonly debugImage: string;
    readonly captureNamespace: string;
}

/** An artifact as a capture script reports it: a chain-of-custody manifest entry. */
export interface Artifact {
    readonly what: string;
    readonly object: string;
    readonly sha256: string;
    readonly takenAt: string;
    readonly takenBy: string;
}

const KEPT = "kept: the uploaded artifacts stay in the evidence bucket";

/**
 * Captures what the runbooks say to keep before anything is destroyed: per pod its object,
 * description, logs of every container (and the previous ones), events and what its service
 * account may do; per node its object, events and volatile state. Nothing here waits for
 * isolation and isolation waits for none of it (labels do not change logs); escalation waits for
 * all of it. Seed 003 captures one thing after another; these run side by side.
 */
export class EvidenceCapture extends pulumi.ComponentResource {
    /** Every capture command, for escalation steps to wait on. */
    public readonly captures: command.local.Command[] = [];
    /**
     * Per node: its volatile-state capture, which needs the node to reach the API server, so the
     * node is cut off only after it. Nothing else here delays the isolation: a pod's logs come
     * through the kubelet, so once the node is cut off they are captured if still reachable and
     * reported as not captured otherwise.
     */
    public readonly volatileCaptures = new Map<string, command.local.Command>();
    public readonly artifacts: pulumi.Output<Artifact[]>;

    constructor(name: string, args: EvidenceCaptureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:evidence:EvidenceCapture", name, {}, opts);
        const base = { CONTEXT: args.kubeContext, PROJECT: args.project, BUCKET: args.bucket, INCIDENT: args.names.id };
        const add = (logical: string, step: string, create: string, env: Record<string, pulumi.Input<string>>) => {
            const c = shellCommand(
                `${name}/${logical}`,
                { step, destroy: KEPT, create, environment: { ...base, ...env } },
                { parent: this },
            );
            this.captures.push(c);
            return c;
        };

        for (const pod of args.pods) {
            const env = { NAMESPACE: pod.namespace, POD: pod.name, PREFIX: `incident-${args.names.id}/pods/${pod.namespace}/${pod.name}` };
            add(`pod/${pod.namespace}/${pod.name}`, `${CAPTURE_STEP} of the pod: object, describe, logs, events, service account rights`, POD_CAPTURE, env);
            if (args.exec) {
                add(`exec/${pod.namespace}/${pod.name}`, `${CAPTURE_STEP} from inside the container: /etc and /proc (touches the live container)`, EXEC_CAPTURE, env);
            }
        }
        for (const node of args.nodes) {
            const prefix = `incident-${args.names.id}/nodes/${node}`;
            add(`node/${node}`, `${CAPTURE_STEP} of the node: object and events`, NODE_CAPTURE, { NODE: node, PREFIX: prefix });
            if (args.volatile) {
                this.volatileCaptures.set(
                    node,
                    add(`volatile/${node}`, `${CAPTURE_STEP} of the node's volatile state through a capture pod`, VOLATILE_CAPTURE, {
                        NODE: node,
                        PREFIX: prefix,
                        IMAGE: args.debugImage,
                        CAPTURE_NAMESPACE: args.captureNamespace,
                        HOST_COMMANDS_JSON,
                    }),
                );
            }
        }
        this.artifacts = pulumi.all(this.captures.map((c) => c.stdout)).apply((outs) => outs.flatMap(parseArtifacts));
        this.registerOutputs({ artifacts: this.artifacts });
    }
}

/** The manifest lines a capture printed; anything else on stdout is ignored. */
export function parseArtifacts(stdout: string | undefined): Artifact[] {
    const out: Artifact[] = [];
    for (const line of (stdout ?? "").split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
            const a = JSON.parse(line) as Artifact;
            if (a.object && a.sha256) out.push(a);
        } catch {
            // Not a manifest line.
        }
    }
    return out;
}
