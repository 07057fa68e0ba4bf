import { DiscoveryError } from "./facts";

/**
 * What a node's VM keeps, or loses, whatever the network cut-off does (issue #11: points 2, 7 and
 * 9), read from the instance. Pure, so each finding and refusal is tested with a table.
 */

export interface NodeExposure {
    /** The GKE cluster the VM belongs to, from the `cluster-name`/`cluster-location` metadata GKE writes. */
    readonly cluster?: { readonly name: string; readonly location: string };
    /** The VM's service account and OAuth scopes: what a process on the node can still call. */
    readonly serviceAccount?: { readonly email: string; readonly scopes: readonly string[] };
    /** Local SSD (scratch) disks, by device name: Compute Engine can't snapshot them. */
    readonly localSsds: readonly string[];
}

export interface RawExposure {
    readonly metadata: Record<string, string>;
    readonly serviceAccounts?: readonly { readonly email: string; readonly scopes: readonly string[] }[];
    readonly scratchDisks?: readonly { readonly deviceName: string }[];
}

export function exposureOf(raw: RawExposure): NodeExposure {
    const name = raw.metadata["cluster-name"];
    const location = raw.metadata["cluster-location"];
    const sa = raw.serviceAccounts?.[0];
    return {
        ...(name && location ? { cluster: { name, location } } : {}),
        ...(sa ? { serviceAccount: { email: sa.email, scopes: [...sa.scopes] } } : {}),
        localSsds: (raw.scratchDisks ?? []).map((d, i) => d.deviceName || `local-ssd-${i}`),
    };
}

/**
 * `kubernetes:context` and `quarantine:cluster` name the cluster twice. When they disagree the
 * enforcement check read one cluster while the quarantine acts on another, and the plan would
 * still say "verified": refuse, naming both.
 */
export function refuseOtherCluster(named: { readonly name: string; readonly location: string } | undefined, node: string, exposure: NodeExposure): void {
    const c = exposure.cluster;
    if (!named || !c || (c.name === named.name && c.location === named.location)) return;
    throw new DiscoveryError(
        `node ${node} belongs to GKE cluster ${c.name} in ${c.location} (its VM's cluster-name metadata), but quarantine:cluster names ${named.name} in ${named.location}: ` +
            `kubernetes:context and quarantine:cluster point at different clusters; fix the one that is wrong, e.g. pulumi config set --path quarantine:cluster.name ${c.name}`,
    );
}

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
const DEFAULT_COMPUTE_SA = /-compute@developer\.gserviceaccount\.com$/;

/**
 * One line per thing the cut-off does not take away from the node. VPC firewall rules never
 * apply to traffic between a VM and its metadata server (169.254.169.254: "always allowed",
 * https://cloud.google.com/firewall/docs/firewalls#alwaysallowed), so a process on the node keeps
 * minting the node's service account tokens after the cut-off; with the default Compute Engine
 * account and the `cloud-platform` scope that is the project's Editor role. An ordinary pod's
 * deny-all does cover it: Dataplane V2 drops a pod's packets to 169.254.169.254 under an egress
 * policy (which is why such a policy breaks DNS on GKE with Cloud DNS,
 * https://github.com/tektoncd/operator/issues/4000), and Calico applies a workload's egress policy
 * to its traffic to the host too ("after the endpoint's egress policy is applied",
 * DefaultEndpointToHostAction, https://docs.tigera.io/calico/latest/reference/felix/configuration).
 */
export function exposureFindings(node: string, exposure: NodeExposure, blockMetadata = false): string[] {
    const out: string[] = [];
    const sa = exposure.serviceAccount;
    if (sa) {
        const broad = sa.scopes.includes(CLOUD_PLATFORM);
        const danger = DEFAULT_COMPUTE_SA.test(sa.email) && broad;
        out.push(
            `${node}: service account ${sa.email}${broad ? " with the cloud-platform scope" : ` with scopes ${sa.scopes.join(", ") || "none"}`}: ` +
                `a process on the node can still get its tokens from the metadata server, which no firewall rule blocks` +
                (danger ? " (the default Compute Engine account, often Editor on the project: disable its key access or the account itself)" : "") +
                (blockMetadata ? "; quarantine:node.blockMetadata drops the host's traffic to it before the cut-off (root on the node can undo that)" : "; quarantine:node.blockMetadata: true drops the host's traffic to it"),
        );
    }
    for (const d of exposure.localSsds) {
        out.push(`${node}: local SSD ${d} can't be snapshotted; its contents are lost when the VM is deleted (the volatile capture lists its files)`);
    }
    return out;
}

/** What `delete-node` loses for good on this node that no snapshot keeps. */
export function lostWithVm(node: string, exposure: NodeExposure): string[] {
    return exposure.localSsds.map((d) => `lost local SSD ${d} of ${node} with its VM (local SSDs can't be snapshotted)`);
}

/**
 * A node without an external IP has nothing for the cut-off to remove: it reaches the internet,
 * if at all, through Cloud NAT, and firewall rules do not break connections already established
 * (removing an external IP does). New connections stop at the deny rules; the host's existing
 * ones stay until they end.
 */
export function privateNodeFinding(vm: { readonly name: string; readonly externalIp?: string }): string[] {
    if (vm.externalIp) return [];
    return [
        `${vm.name}: no external IP to remove (a private node egresses through Cloud NAT, if its network has one): ` +
            `the deny rules stop new connections, but connections the host already has stay open until they end; the pods' flows end at their deny-all (and conntrack flush); only quarantine:level delete-node ends the host's for certain`,
    ];
}
