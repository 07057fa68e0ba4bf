import { createHash } from "crypto";
import type { IncidentNames } from "../core/incidentNames";

/** GCE resource names (instances, disks, snapshots, firewall rules, network tags): RFC 1035, ≤ 63. */
export const GCE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes namespaces and node-name labels: RFC 1123 label, ≤ 63. */
export const K8S_DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes pod and node names: RFC 1123 subdomain, ≤ 253. */
export const K8S_DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const GCE_NAME_MAX = 63;


export function isK8sSubdomain(s: string): boolean {
    return s.length <= 253 && K8S_DNS_SUBDOMAIN.test(s);
}

export function shortHash(s: string, length = 6): string {
    return createHash("sha256").update(s).digest("hex").slice(0, length);
}

/**
 * A GCE name `prefix-variable-suffix` that always fits in 63 characters. When it does not fit,
 * the variable part is truncated and a hash of it keeps two long names that share a prefix apart.
 */
export function fitGceName(prefix: string, variable: string, suffix = ""): string {
    const tail = suffix ? `-${suffix}` : "";
    const whole = `${prefix}-${variable}${tail}`;
    if (whole.length <= GCE_NAME_MAX) {
        return whole;
    }
    const hash = shortHash(variable, 8);
    const room = GCE_NAME_MAX - prefix.length - tail.length - hash.length - 2;
    if (room < 1) {
        throw new Error(`cannot fit a GCE name for "${variable}" with prefix "${prefix}" and suffix "${suffix}"`);
    }
    const cut = variable.slice(0, room).replace(/-+$/, "");
    return `${prefix}-${cut}-${hash}${tail}`;
}

/** Per-network firewall rule name, e.g. `quarantine-42-egress-deny-1a2b3c`. */
export function firewallRuleName(names: IncidentNames, network: string, rule: string): string {
    return fitGceName(`quarantine-${names.id}`, rule, shortHash(network));
}

/**
 * Snapshot name for one disk, e.g. `q-42-9f3c1a2b-gke-cluster-pool-1-abcdeffff-zgt8-1a2b3c`.
 * Snapshots are global while disk names are only unique per zone, so a hash of the disk's source
 * keeps two same-named disks in different zones apart. `run` is the quarantine run's random part:
 * snapshots outlive `pulumi destroy`, so the same incident quarantined again needs new names.
 */
export function snapshotName(names: IncidentNames, disk: string, source: string, run: string): string {
    return fitGceName(`q-${names.id}-${run}`, disk, shortHash(source));
}

/**
 * A created evidence bucket's name, e.g. `acme-prod-q-42-9f3c1a2b` (at most 30 + 3 + 20 + 1 + 8 =
 * 62 of Cloud Storage's 63). Bucket names are global: the random `run` part keeps anyone from
 * creating the incident's bucket first, and lets the incident be quarantined again after a
 * destroy left the first bucket behind.
 */
export function evidenceBucketName(names: IncidentNames, project: string, run: string): string {
    return `${project}-q-${names.id}-${run}`;
}

/** Bastion VM name; one bastion per subnetwork of the incident. */
export function bastionName(names: IncidentNames, subnetwork: string): string {
    return fitGceName(`quarantine-${names.id}`, "bastion", shortHash(subnetwork));
}

/** Last path segment of a GCE URL or the value itself: `.../subnetworks/default` → `default`. */
export function lastSegment(urlOrName: string): string {
    const parts = urlOrName.split("/").filter(Boolean);
    return parts[parts.length - 1] ?? urlOrName;
}
