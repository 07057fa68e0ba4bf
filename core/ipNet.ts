/** Addresses and CIDR ranges, IPv4 and IPv6: readiness config checks its trusted ranges with them, and the query evaluator's `ip_in_net` reads them the same way. */

export interface Net {
    readonly version: 4 | 6;
    readonly base: bigint;
    readonly prefix: number;
}

const V4 = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;

/** The address as a number and its family, or undefined when `text` is not an IP address. */
export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
    if (V4.test(text)) return { version: 4, value: text.split(".").reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
    return parseV6(text);
}

function parseV6(text: string): { version: 6; value: bigint } | undefined {
    if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split("::").length > 2) return undefined;
    let groups: string[];
    const [left, right] = text.split("::");
    const tail = (s: string) => (s === "" ? [] : s.split(":"));
    // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
    const expand = (parts: string[]): string[] | undefined => {
        const last = parts[parts.length - 1];
        if (last !== undefined && last.includes(".")) {
            const v4 = parseIp(last);
            if (!v4 || v4.version !== 4) return undefined;
            return [...parts.slice(0, -1), (v4.value >> 16n).toString(16), (v4.value & 0xffffn).toString(16)];
        }
        return parts;
    };
    if (right === undefined) {
        const all = expand(tail(left));
        if (!all || all.length !== 8) return undefined;
        groups = all;
    } else {
        const l = tail(left);
        const r = expand(tail(right));
        if (!r || l.length + r.length > 7) return undefined;
        groups = [...l, ...Array(8 - l.length - r.length).fill("0"), ...r];
    }
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return { version: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** A CIDR range, or undefined when `text` is not one (host bits set are allowed, as in gcloud). */
export function parseNet(text: string): Net | undefined {
    const [addr, bits, extra] = text.split("/");
    if (extra !== undefined || bits === undefined || !/^[0-9]{1,3}$/.test(bits)) return undefined;
    const ip = parseIp(addr);
    if (!ip) return undefined;
    const width = ip.version === 4 ? 32 : 128;
    const prefix = Number(bits);
    if (prefix > width) return undefined;
    return { version: ip.version, base: ip.value >> BigInt(width - prefix), prefix };
}

export function inNet(address: string, net: Net): boolean {
    const ip = parseIp(address);
    if (!ip || ip.version !== net.version) return false;
    const width = ip.version === 4 ? 32 : 128;
    return ip.value >> BigInt(width - net.prefix) === net.base;
}
