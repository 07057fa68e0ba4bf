import { fingerprint, type ComputeState } from "./computeState";
import { ApiError, Violation, strictFields, strictQuery, type Req, type Route } from "./http";

/**
 * The Compute Engine calls only the stand-in gcp provider (test/e2e/standIns/gcp) makes, added
 * beside the ones gcloud makes (compute.ts): firewalls insert / get / patch / delete / list,
 * snapshots insert / get / setLabels / delete / list, disks get / delete / createSnapshot, and
 * instances insert (the bastion). They work only on a state made by `withResources`; each
 * constraint cites the documentation it comes from.
 */

export interface ComputeContext {
    readonly state: ComputeState;
    url(path: string): string;
    operation(type: string, scope: string, target: string): unknown;
    effect(op: string, target: string, change: string): void;
}

/** Name format of every Compute resource: https://cloud.google.com/compute/docs/naming-resources#resource-name-format */
const NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
export const LIST_QUERY = ["alt", "filter", "maxResults", "pageToken", "orderBy", "returnPartialSuccess"];
const now = () => new Date().toISOString();

export function checkName(name: unknown, field = "resource.name"): string {
    // "The name must be 1-63 characters long, and comply with RFC1035" (firewalls.insert, snapshots.insert).
    if (typeof name !== "string" || !NAME.test(name)) {
        throw new ApiError(400, `Invalid value for field '${field}': '${String(name)}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`, "invalid");
    }
    return name;
}

export function notFound(resource: string): never {
    throw new ApiError(404, `The resource '${resource}' was not found`, "notFound");
}

const exists = (resource: string): never => {
    // Names are unique per project and kind: "already exists" is 409 (https://cloud.google.com/compute/docs/naming-resources).
    throw new ApiError(409, `The resource '${resource}' already exists`, "alreadyExists");
};

function col<T>(c: Record<string, T> | undefined): Record<string, T> {
    if (!c) throw new Violation("this call needs a state made by withResources (computeState.ts)", 500);
    return c;
}

/** `projects/P/global/networks/N`, a full URL of it, or `global/networks/N` → N, if it is in this project. */
function networkName(ctx: ComputeContext, ref: unknown): string {
    const m = /(?:^|\/)(?:projects\/([^/]+)\/)?global\/networks\/([^/]+)$/.exec(String(ref ?? ""));
    const name = m ? m[2] : String(ref ?? "");
    if ((m?.[1] && m[1] !== ctx.state.project) || !(ctx.state.networks ?? []).includes(name)) {
        notFound(`projects/${m?.[1] ?? ctx.state.project}/global/networks/${name}`);
    }
    return name;
}

const FIREWALL_FIELDS = ["kind", "name", "description", "network", "priority", "sourceRanges", "destinationRanges", "sourceTags", "targetTags",
    "sourceServiceAccounts", "targetServiceAccounts", "allowed", "denied", "direction", "logConfig", "disabled"];
const PATCHABLE = FIREWALL_FIELDS.filter((f) => !["kind", "name", "network", "direction"].includes(f));

/** The rule constraints of https://cloud.google.com/compute/docs/reference/rest/v1/firewalls. */
function validateFirewall(f: Record<string, any>): void {
    // "priority: ... an integer between 0 and 65535, both inclusive."
    if (!Number.isInteger(f.priority) || f.priority < 0 || f.priority > 65535) {
        throw new ApiError(400, `Invalid value for field 'resource.priority': '${f.priority}'. Must be between 0 and 65535.`, "invalid");
    }
    if (!["INGRESS", "EGRESS"].includes(f.direction)) throw new ApiError(400, `Invalid value for field 'resource.direction': '${f.direction}'.`, "invalid");
    // "allowed[] / denied[]": a rule is either an allow or a deny rule, never both, never neither.
    if (!!f.allowed?.length === !!f.denied?.length) throw new ApiError(400, "Exactly one of 'allowed' or 'denied' must be specified.", "invalid");
    for (const field of ["sourceRanges", "destinationRanges"]) {
        const ranges: string[] = f[field] ?? [];
        // "A firewall rule can contain either IPv4 or IPv6 ranges, but not both."
        // (https://cloud.google.com/firewall/docs/using-firewalls#creating_firewall_rules)
        if (ranges.some((r) => r.includes(":")) && ranges.some((r) => !r.includes(":"))) {
            throw new ApiError(400, `Invalid value for field 'resource.${field}': IPv4 and IPv6 ranges can't be mixed in one firewall rule.`, "invalid");
        }
    }
    // "sourceTags ... only for INGRESS": an EGRESS rule has no sources but ranges.
    if (f.direction === "EGRESS" && (f.sourceTags?.length || f.sourceServiceAccounts?.length)) {
        throw new ApiError(400, "Invalid value for field 'resource.sourceTags': source tags are not supported for EGRESS rules.", "invalid");
    }
}

export function firewallRoute(ctx: ComputeContext, req: Req, name?: string): Route {
    const rules = () => col(ctx.state.firewalls);
    const resource = (n: string) => `projects/${ctx.state.project}/global/firewalls/${n}`;
    const get = (n: string) => rules()[n] ?? notFound(resource(n));
    const op = (type: string, n: string) => ctx.operation(type, "global", `global/firewalls/${n}`);
    if (name === undefined && req.method === "GET") {
        strictQuery(req.query, LIST_QUERY, "firewalls.list");
        // Server-side filters are not faked: gcloud filters `--filter` on the client side.
        if (req.query.get("filter")) throw new Violation(`firewalls.list: filter ${req.query.get("filter")} is not faked`);
        return { op: "firewalls.list", handle: () => ({ kind: "compute#firewallList", items: Object.values(rules()), selfLink: ctx.url("global/firewalls") }) };
    }
    strictQuery(req.query, ["alt", "requestId"], `firewalls ${req.method}`);
    if (name === undefined && req.method === "POST") {
        return {
            op: "firewalls.insert",
            handle: () => {
                const b = strictFields(req.body, FIREWALL_FIELDS, "firewalls.insert body");
                const n = checkName(b.name);
                if (rules()[n]) exists(resource(n));
                const network = networkName(ctx, b.network);
                const direction = b.direction ?? "INGRESS";
                const sources = b.sourceRanges ?? b.sourceTags ?? b.sourceServiceAccounts;
                // Defaults (firewalls reference): priority 1000, INGRESS; with no source, an ingress
                // rule applies to 0.0.0.0/0, and with no destination, an egress rule does.
                const rule = {
                    kind: "compute#firewall",
                    id: String(9_000_000 + ctx.state.counter++),
                    creationTimestamp: now(),
                    ...b,
                    name: n,
                    network: ctx.url(`global/networks/${network}`),
                    priority: b.priority ?? 1000,
                    direction,
                    disabled: b.disabled ?? false,
                    ...(direction === "INGRESS" && !sources ? { sourceRanges: ["0.0.0.0/0"] } : {}),
                    ...(direction === "EGRESS" && !b.destinationRanges ? { destinationRanges: ["0.0.0.0/0"] } : {}),
                    logConfig: { enable: b.logConfig?.enable ?? false, ...(b.logConfig?.metadata ? { metadata: b.logConfig.metadata } : {}) },
                    selfLink: ctx.url(`global/firewalls/${n}`),
                };
                validateFirewall(rule);
                rules()[n] = rule;
                ctx.effect("firewalls.insert", n, "created");
                return op("insert", n);
            },
        };
    }
    if (name === undefined) throw new Violation(`unknown firewalls call ${req.method}`, 404);
    if (req.method === "GET") return { op: "firewalls.get", handle: () => get(name) };
    if (req.method === "DELETE") {
        return {
            op: "firewalls.delete",
            handle: () => {
                get(name);
                delete rules()[name];
                ctx.effect("firewalls.delete", name, "deleted");
                return op("delete", name);
            },
        };
    }
    if (req.method === "PATCH") {
        return {
            op: "firewalls.patch",
            handle: () => {
                const b = strictFields(req.body, [...PATCHABLE, "name", "network", "direction"], "firewalls.patch body");
                const old = get(name);
                // name, network and direction can't change (the reference marks them immutable).
                if ((b.name && b.name !== name) || (b.direction && b.direction !== old.direction)) {
                    throw new ApiError(400, "Invalid value for field 'resource': name and direction of a firewall rule can't be changed.", "invalid");
                }
                if (b.network && networkName(ctx, b.network) !== String(old.network).split("/").pop()) {
                    throw new ApiError(400, "Invalid value for field 'resource.network': the network of a firewall rule can't be changed.", "invalid");
                }
                const next = { ...old, ...Object.fromEntries(Object.entries(b).filter(([k]) => PATCHABLE.includes(k))), network: old.network };
                validateFirewall(next);
                rules()[name] = next;
                ctx.effect("firewalls.patch", name, "patched");
                return op("patch", name);
            },
        };
    }
    throw new Violation(`unknown firewalls call ${req.method}`, 404);
}

const SNAPSHOT_FIELDS = ["kind", "name", "description", "labels", "storageLocations", "snapshotType", "chainName", "sourceDisk"];

/** Takes a snapshot of the disk `zone/disk`: snapshots.insert with sourceDisk, or disks.createSnapshot. */
export function createSnapshot(ctx: ComputeContext, body: unknown, diskKey?: string): unknown {
    const snaps = col(ctx.state.snapshots);
    const b = strictFields(body, SNAPSHOT_FIELDS, "snapshot body");
    const n = checkName(b.name);
    let key = diskKey;
    if (!key) {
        const m = /(?:^|\/)projects\/([^/]+)\/zones\/([^/]+)\/disks\/([^/]+)$/.exec(String(b.sourceDisk ?? ""));
        if (!m || m[1] !== ctx.state.project) throw new ApiError(400, `Invalid value for field 'resource.sourceDisk': '${b.sourceDisk}'.`, "invalid");
        key = `${m[2]}/${m[3]}`;
    } else if (b.sourceDisk !== undefined) {
        throw new Violation("disks.createSnapshot: sourceDisk is the path, not a body field");
    }
    const [zone, disk] = key.split("/");
    const d = col(ctx.state.disks)[key] ?? notFound(`projects/${ctx.state.project}/zones/${zone}/disks/${disk}`);
    if (snaps[n]) exists(`projects/${ctx.state.project}/global/snapshots/${n}`);
    const labels = b.labels ?? {};
    snaps[n] = {
        kind: "compute#snapshot",
        id: String(8_000_000 + ctx.state.counter++),
        creationTimestamp: now(),
        name: n,
        ...(b.description !== undefined ? { description: b.description } : {}),
        status: "READY",
        sourceDisk: ctx.url(`zones/${zone}/disks/${disk}`),
        sourceDiskId: d.id,
        diskSizeGb: d.sizeGb,
        storageBytes: "1048576",
        storageLocations: b.storageLocations ?? [ zone.replace(/-[^-]+-[a-z]$/, "") ],
        labels,
        labelFingerprint: fingerprint(labels),
        selfLink: ctx.url(`global/snapshots/${n}`),
    };
    ctx.effect("snapshots.insert", n, `of ${key}`);
    return ctx.operation(diskKey ? "createSnapshot" : "insert", diskKey ? `zones/${zone}` : "global", diskKey ? `zones/${zone}/disks/${disk}` : `global/snapshots/${n}`);
}

export function snapshotRoute(ctx: ComputeContext, req: Req, name?: string, verb?: string): Route {
    const snaps = () => col(ctx.state.snapshots);
    const get = (n: string) => snaps()[n] ?? notFound(`projects/${ctx.state.project}/global/snapshots/${n}`);
    if (name === undefined && req.method === "GET") {
        strictQuery(req.query, LIST_QUERY, "snapshots.list");
        if (req.query.get("filter")) throw new Violation(`snapshots.list: filter ${req.query.get("filter")} is not faked`);
        return { op: "snapshots.list", handle: () => ({ kind: "compute#snapshotList", items: Object.values(snaps()) }) };
    }
    strictQuery(req.query, ["alt", "requestId"], `snapshots ${req.method}`);
    if (name === undefined && req.method === "POST") return { op: "snapshots.insert", handle: () => createSnapshot(ctx, req.body) };
    if (name !== undefined && req.method === "GET" && !verb) return { op: "snapshots.get", handle: () => get(name) };
    if (name !== undefined && req.method === "DELETE" && !verb) {
        return {
            op: "snapshots.delete",
            handle: () => {
                get(name);
                delete snaps()[name];
                ctx.effect("snapshots.delete", name, "deleted");
                return ctx.operation("delete", "global", `global/snapshots/${name}`);
            },
        };
    }
    if (name !== undefined && req.method === "POST" && verb === "setLabels") {
        return {
            op: "snapshots.setLabels",
            handle: () => {
                const b = strictFields(req.body, ["labels", "labelFingerprint"], "setLabels body");
                const s = get(name);
                // setLabels is optimistic: a stale labelFingerprint is 412 (snapshots.setLabels reference).
                if (b.labelFingerprint !== s.labelFingerprint) throw new ApiError(412, "Labels fingerprint either invalid or resource labels have changed", "conditionNotMet");
                s.labels = b.labels ?? {};
                s.labelFingerprint = fingerprint([s.labels, ctx.state.counter++]);
                ctx.effect("snapshots.setLabels", name, JSON.stringify(s.labels));
                return ctx.operation("setLabels", "global", `global/snapshots/${name}`);
            },
        };
    }
    throw new Violation(`unknown snapshots call ${req.method} ${verb ?? ""}`, 404);
}
