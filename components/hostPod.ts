import { LABELS } from "../core/labels";

/**
 * A privileged pod on a node's host, what `kubectl debug node/…` creates: host PID and network,
 * the host's `/` mounted at /host, pinned to the node, tolerating every taint, and labelled
 * `quarantine=true` so the drain that runs beside it skips it instead of failing on an unmanaged
 * pod. Built as data: the values a step passes reach the container as environment variables,
 * never spliced into its command.
 */
export interface HostPodSpec {
    /** The incident id, as the pod's `quarantine/<role>` label value. */
    readonly incident: string;
    /** What the pod is for; its label key (`quarantine/capture`, `quarantine/guard`). */
    readonly role: "capture" | "guard";
    /** The node it runs on. */
    readonly node: string;
    /** Its image (`quarantine:capture.debugImage`, already checked as an image reference). */
    readonly image: string;
    /** The container's command: a constant script. */
    readonly script: string;
    /** Run the script on the host (chroot /host), or in the image with the host at /host. Default true. */
    readonly onHost?: boolean;
    /** Values the script reads, as container environment variables. Default: none. */
    readonly env?: Readonly<Record<string, string>>;
}

/** The `kubectl run --overrides` JSON of a host pod. */
export function hostPodOverrides(p: HostPodSpec): string {
    const env = Object.entries(p.env ?? {}).map(([name, value]) => ({ name, value }));
    return JSON.stringify({
        apiVersion: "v1",
        // `quarantine/host` is what the e2e suite's kwok stage completes (kwok-capture-stage.yaml).
        metadata: { labels: { [LABELS.quarantine]: "true", "quarantine/host": p.incident, [`quarantine/${p.role}`]: p.incident } },
        spec: {
            nodeName: p.node,
            hostPID: true,
            hostNetwork: true,
            restartPolicy: "Never",
            tolerations: [{ operator: "Exists" }],
            volumes: [{ name: "host", hostPath: { path: "/" } }],
            containers: [
                {
                    name: p.role,
                    image: p.image,
                    command: [...(p.onHost === false ? [] : ["chroot", "/host"]), "/bin/sh", "-c", p.script],
                    ...(env.length > 0 ? { env } : {}),
                    securityContext: { privileged: true },
                    volumeMounts: [{ name: "host", mountPath: "/host" }],
                },
            ],
        },
    });
}
