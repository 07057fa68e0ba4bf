import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { IncidentNames } from "../core/incidentNames";
import { hostPodOverrides } from "./hostPod";
import { isK8sSubdomain, shortHash } from "./naming";
import { shellCommand } from "./shell";

export interface EvidenceCaptureArgs {
    /** The incident's names. */
    readonly names: IncidentNames;
    /** Project the uploads are billed to. */
    readonly project: string;
    /** kubectl context the captures read through. */
    readonly kubeContext: string;
    /** Name of the bucket the artifacts go to. */
    readonly bucket: pulumi.Input<string>;
    /**
     * What the captures wait for before uploading (the created bucket). Not the volatile capture:
     * it runs before the node's cut-off, which never waits for the bucket; if the bucket is not
     * there yet, it records the volatile state as not captured. Default: nothing.
     */
    readonly bucketReady?: pulumi.Resource;
    /** The quarantined pods. */
    readonly pods: readonly { readonly namespace: string; readonly name: string }[];
    /** Names of their nodes. */
    readonly nodes: readonly string[];
    /**
     * Capture each node's volatile state through a capture pod. False when the node is cut off
     * at once (`nodeIsolation: immediate`): it could not reach the API server to report back.
     */
    readonly volatile: boolean;
    /** Archive /etc and /proc from the live container (touches it). Default false. */
    readonly exec?: boolean;
    /** Image of the node capture pod (`quarantine:capture.debugImage`). */
    readonly debugImage: string;
    /** Namespace of the node capture pod (`quarantine:capture.namespace`). */
    readonly captureNamespace: string;
    /** Also list every image running in the cluster with its digest, to scan (`quarantine:images`). Default false. */
    readonly imageInventory?: boolean;
}

/** Every evidence capture's step starts so (the plan reads it as one group). */
const CAPTURE_STEP = "Capture evidence";

/** Runs on the node's host (chroot /host): processes, connections, mounts, recent runtime files. */
export const HOST_COMMANDS = [
    "echo '== processes'; ps -eo pid,ppid,user,lstart,args 2>/dev/null || ls -l /proc/[0-9]*/exe 2>/dev/null",
    "echo '== network connections'; ss -tanpu 2>/dev/null || cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6",
    // Before the conntrack flush (components/hostGuard.ts) deletes the pods' entries.
    "echo '== connection tracking'; conntrack -L 2>/dev/null || cat /proc/net/nf_conntrack 2>/dev/null | head -n 50000",
    "echo '== mounts'; cat /proc/mounts",
    // Local SSDs can't be snapshotted: the listing of what is on them is all that outlives delete-node.
    "echo '== files on local SSDs'; find /mnt/disks /mnt/stateful_partition/kube-ephemeral-ssd -xdev -maxdepth 6 -printf '%TY-%Tm-%Td %TH:%TM %s %p\\n' 2>/dev/null | head -n 20000",
    "echo '== files changed in the last 4 hours under the container runtime'; find /var/lib/containerd /var/lib/kubelet /home/kubernetes /etc -xdev -type f -mmin -240 2>/dev/null | head -n 20000",
].join("; ");

/** Image references the capture pod accepts (a registry path, a tag and/or a digest). */
export const IMAGE_REFERENCE = /^[a-z0-9][a-z0-9._/:@-]*$/;

/** The capture pod's overrides for `kubectl run`: a host pod (hostPod.ts) running HOST_COMMANDS. */
export function capturePodOverrides(incident: string, node: string, image: string): string {
    return hostPodOverrides({ incident, role: "capture", node, image, script: HOST_COMMANDS });
}

/** How long the node's cut-off waits, at most, for its volatile-state capture pod to finish. */
export const CAPTURE_WAIT = "120s";

/** A capture pod's phase and, for each container, why it waits (e.g. ErrImagePull) or how it ended. */
export const POD_STATE_TEMPLATE =
    "phase {{.status.phase}}{{range .status.containerStatuses}}{{with .state.waiting}}, {{.reason}}: {{.message}}{{end}}{{with .state.terminated}}, {{.reason}} (exit {{.exitCode}}){{end}}{{end}}";

/** Names of the containers of a pod, init containers first, one per line. */
export const CONTAINERS_TEMPLATE = "{{range .spec.initContainers}}{{.name}}\n{{end}}{{range .spec.containers}}{{.name}}\n{{end}}";

/** Per container of every pod: namespace, pod, node, container, image, imageID (its digest), tab-separated. */
export const IMAGES_TEMPLATE =
    '{{range .items}}{{$ns := .metadata.namespace}}{{$pod := .metadata.name}}{{$node := ""}}{{with .spec.nodeName}}{{$node = .}}{{end}}' +
    ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]
        .map((list) => `{{range .status.${list}}}{{$ns}}\t{{$pod}}\t{{$node}}\t{{.name}}\t{{.image}}\t{{.imageID}}\n{{end}}`)
        .join("") +
    "{{end}}";

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
    /** What a capture could not capture, and why. */
    public readonly notCaptured: pulumi.Output<NotCaptured[]>;

    constructor(name: string, args: EvidenceCaptureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:evidence:EvidenceCapture", name, {}, opts);
        // Refused before any capture is registered. The node name and the image go into the capture
        // pod's spec: accept only what a node name and an image reference can be.
        if (args.volatile && !IMAGE_REFERENCE.test(args.debugImage)) {
            throw new pulumi.ResourceError(`capture image "${args.debugImage}" is not an image reference, e.g. busybox:1.36`, this);
        }
        const badNode = args.nodes.find((n) => !isK8sSubdomain(n));
        if (badNode !== undefined) throw new pulumi.ResourceError(`"${badNode}" is not a Kubernetes node name`, this);
        const base = { CONTEXT: args.kubeContext, PROJECT: args.project, BUCKET: args.bucket, INCIDENT: args.names.id };
        const add = (logical: string, step: string, script: string, env: Record<string, pulumi.Input<string>>, waitForBucket = true) => {
            const c = shellCommand(
                `${name}/${logical}`,
                { step, destroy: KEPT, kind: "capture", script, environment: { ...base, ...env } },
                { parent: this, dependsOn: waitForBucket && args.bucketReady ? [args.bucketReady] : [] },
            );
            this.captures.push(c);
            return c;
        };

        for (const pod of args.pods) {
            const env = { NAMESPACE: pod.namespace, POD: pod.name, PREFIX: `incident-${args.names.id}/pods/${pod.namespace}/${pod.name}` };
            add(`pod/${pod.namespace}/${pod.name}`, `${CAPTURE_STEP} of the pod: object, describe, logs, events, service account rights`, "capture-pod", {
                ...env,
                CONTAINERS_TEMPLATE,
            });
            if (args.exec) {
                add(`exec/${pod.namespace}/${pod.name}`, `${CAPTURE_STEP} from inside the container: /etc and /proc (touches the live container)`, "capture-exec", env);
            }
        }
        for (const node of args.nodes) {
            const prefix = `incident-${args.names.id}/nodes/${node}`;
            add(`node/${node}`, `${CAPTURE_STEP} of the node: object and events`, "capture-node", { NODE: node, PREFIX: prefix });
            if (args.volatile) {
                this.volatileCaptures.set(
                    node,
                    add(`volatile/${node}`, `${CAPTURE_STEP} of the node's volatile state through a capture pod`, "capture-volatile", {
                        NODE: node,
                        PREFIX: prefix,
                        IMAGE: args.debugImage,
                        CAPTURE_NAMESPACE: args.captureNamespace,
                        // Per node, so the capture pods of one incident on two nodes never share a name.
                        CAPTURE_POD_PREFIX: `quarantine-capture-${args.names.id}-${shortHash(node)}`,
                        OVERRIDES: capturePodOverrides(args.names.id, node, args.debugImage),
                        CAPTURE_WAIT,
                        POD_STATE_TEMPLATE,
                    }, false),
                );
            }
        }
        if (args.imageInventory) {
            add("images", `${CAPTURE_STEP} of every image running in the cluster, with its digest (to scan)`, "capture-images", {
                PREFIX: `incident-${args.names.id}/cluster`,
                IMAGES_TEMPLATE,
            });
        }
        const outs = pulumi.all(this.captures.map((c) => c.stdout));
        this.artifacts = outs.apply((o) => o.flatMap(parseArtifacts));
        this.notCaptured = outs.apply((o) => o.flatMap(parseNotCaptured));
        this.registerOutputs({ artifacts: this.artifacts, notCaptured: this.notCaptured });
    }
}

/** An artifact a capture could not take (a refused capture pod, a failed upload), and why. */
export interface NotCaptured {
    readonly what: string;
    readonly notCaptured: string;
    readonly takenAt: string;
    readonly takenBy: string;
}

/** The JSON lines a capture printed; anything else on stdout is ignored. */
function jsonLines(stdout: string | undefined): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of (stdout ?? "").split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
            out.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
            // Not a manifest line.
        }
    }
    return out;
}

/** The artifacts a capture reports as uploaded. */
export function parseArtifacts(stdout: string | undefined): Artifact[] {
    return jsonLines(stdout).filter((a): a is Artifact & Record<string, unknown> => typeof a.object === "string" && typeof a.sha256 === "string");
}

/** The artifacts a capture reports as not captured. */
export function parseNotCaptured(stdout: string | undefined): NotCaptured[] {
    return jsonLines(stdout).filter((a): a is NotCaptured & Record<string, unknown> => typeof a.notCaptured === "string" && typeof a.what === "string");
}
