import type { LogSignal } from "./signal";

/** Metadata keys that open SSH or the serial console to a VM (`sshKeys` is the legacy spelling). */
const ACCESS_KEYS = ["ssh-keys", "sshKeys", "serial-port-enable"] as const;

/** An incident's bastion, `quarantine-<id>-bastion-<hash>` (components/naming.ts `bastionName`). */
export const BASTION = `protoPayload.resourceName=~"/instances/quarantine-[-a-z0-9]+-bastion-[a-z0-9]+$"`;

function metadataChange(): string {
    const keys = `(${ACCESS_KEYS.map((k) => `"${k}"`).join(" OR ")})`;
    const deltas = ["instanceMetadataDelta", "projectMetadataDelta"].flatMap((d) => ["addedMetadataKeys", "modifiedMetadataKeys"].map((k) => `protoPayload.metadata.${d}.${k}=${keys}`));
    return `(protoPayload.serviceName="compute.googleapis.com" AND protoPayload.methodName=~"[.](instances[.]setMetadata|projects[.]setCommonInstanceMetadata)$" AND (${deltas.join(" OR ")}))`;
}

export const nodeSsh: LogSignal = {
    kind: "log",
    id: "node-ssh",
    title: "SSH or serial console access to a VM",
    what: "Someone reached a VM's SSH through IAP, was checked by OS Login, added SSH keys or enabled the serial port in metadata, or connected to a serial console.",
    rationale:
        "Nobody needs a shell on a GKE node in normal operation; a node shell reaches every pod on it (seed 000, 'Reduce access before inspecting the live VM'; seed 003). IAP's and OS Login's entries are Data Access logs, so they need AuditLogs. An incident's own bastion is excluded wherever the entry names the VM.",
    falsePositives: [
        "IAP's entry names the VM by its numeric id only, so a responder's IAP SSH to an incident's bastion is not excluded: check the node label against `gcloud compute instances list --filter=labels.quarantine-role=bastion`.",
        "SSH to VMs in the project that are not GKE nodes.",
        "Adding project-wide SSH keys for other VMs (it opens the nodes too, unless they block project keys).",
    ],
    severity: "ERROR",
    target: "node",
    needsDataAccess: true,
    filter: () =>
        "(" +
        [
            `(protoPayload.serviceName="iap.googleapis.com" AND protoPayload.methodName="AuthorizeUser" AND protoPayload.requestMetadata.destinationAttributes.port="22")`,
            `(protoPayload.serviceName="oslogin.googleapis.com" AND protoPayload.methodName=~"[.]CheckPolicy$")`,
            metadataChange(),
            `log_id("serialconsole.googleapis.com/serial_port_connect")`,
        ].join(" OR ") +
        `) AND NOT ${BASTION}`,
    // No pod: SSH reaches the node, and so every pod on it; the quarantine names the node.
    labels: {
        principal: "EXTRACT(protoPayload.authenticationInfo.principalEmail)",
        node: `REGEXP_EXTRACT(protoPayload.resourceName, "/instances/([^/]+)")`,
        instanceId: "EXTRACT(resource.labels.instance_id)",
        zone: "EXTRACT(resource.labels.zone)",
    },
};
