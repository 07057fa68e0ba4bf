/** Google's range for IAP TCP forwarding: the only source allowed to reach the bastion. */
export { IAP_RANGE } from "../../core/labels";

export const FIREWALL_TYPE = "gcp:compute/firewall:Firewall";

/** What the firewall policies read of a `gcp.compute.Firewall`'s properties. */
export interface FirewallProps {
    readonly direction?: string;
    readonly priority?: number;
    readonly targetTags?: readonly string[];
    readonly sourceTags?: readonly string[];
    readonly sourceRanges?: readonly string[];
    readonly sourceServiceAccounts?: readonly string[];
    readonly destinationRanges?: readonly string[];
    readonly disabled?: boolean;
    readonly allows?: readonly FirewallEntry[];
    readonly denies?: readonly FirewallEntry[];
}

export interface FirewallEntry {
    readonly protocol?: string;
    readonly ports?: readonly string[];
}

/** `tcp:22`, `udp`, `all`. */
export function describeEntry(e: FirewallEntry): string {
    const ports = e.ports ?? [];
    return ports.length > 0 ? `${e.protocol}:${ports.join(",")}` : `${e.protocol}`;
}
