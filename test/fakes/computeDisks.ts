import { fingerprint, type Instance } from "./computeState";
import { checkName, createSnapshot, notFound, type ComputeContext } from "./computeResources";
import { ApiError, Violation, strictFields, strictQuery, type Req, type Route } from "./http";

/**
 * Disks get / delete / createSnapshot and instances.insert, for the stand-in gcp provider
 * (test/e2e/standIns/gcp): the forensic snapshots and the bastion VM. Only on a state made by
 * `withResources` (computeState.ts).
 */

function disks(ctx: ComputeContext) {
    if (!ctx.state.disks) throw new Violation("this call needs a state made by withResources (computeState.ts)", 500);
    return ctx.state.disks;
}

export function diskRoute(ctx: ComputeContext, req: Req, zone: string, name: string, sub: string[]): Route {
    const key = `${zone}/${name}`;
    const resource = `projects/${ctx.state.project}/zones/${zone}/disks/${name}`;
    const get = () => disks(ctx)[key] ?? notFound(resource);
    const verb = `${req.method} ${sub.join("/")}`;
    if (verb === "GET ") {
        strictQuery(req.query, ["alt"], "disks.get");
        return {
            op: "disks.get",
            handle: () => {
                const d = get();
                return {
                    kind: "compute#disk",
                    id: d.id,
                    name: d.name,
                    zone: ctx.url(`zones/${zone}`),
                    sizeGb: d.sizeGb,
                    status: "READY",
                    users: d.users.map((u) => ctx.url(`zones/${u.split("/")[0]}/instances/${u.split("/")[1]}`)),
                    selfLink: ctx.url(`zones/${zone}/disks/${name}`),
                };
            },
        };
    }
    if (verb === "DELETE ") {
        strictQuery(req.query, ["alt", "requestId"], "disks.delete");
        return {
            op: "disks.delete",
            handle: () => {
                const d = get();
                // "You can only delete a disk that is not attached to any VM" (disks.delete,
                // https://cloud.google.com/compute/docs/disks/delete-persistent-disk).
                if (d.users.length > 0) {
                    const [z, vm] = d.users[0].split("/");
                    throw new ApiError(400, `The disk resource '${resource}' is already being used by 'projects/${ctx.state.project}/zones/${z}/instances/${vm}'`, "resourceInUseByAnotherResource");
                }
                delete disks(ctx)[key];
                ctx.effect("disks.delete", key, "deleted");
                return ctx.operation("delete", `zones/${zone}`, `zones/${zone}/disks/${name}`);
            },
        };
    }
    if (verb === "POST createSnapshot") {
        strictQuery(req.query, ["alt", "requestId", "guestFlush"], "disks.createSnapshot");
        return { op: "disks.createSnapshot", handle: () => (get(), createSnapshot(ctx, req.body, key)) };
    }
    throw new Violation(`unknown disks call ${verb}`, 404);
}

const INSTANCE_FIELDS = ["kind", "name", "description", "machineType", "tags", "labels", "disks", "networkInterfaces", "shieldedInstanceConfig",
    "metadata", "deletionProtection", "canIpForward", "scheduling", "serviceAccounts", "hostname"];

/** instances.insert: the bastion. Its boot disk is created with it, named after it, auto-deleted with it. */
export function insertInstanceRoute(ctx: ComputeContext, req: Req, zone: string): Route {
    if (req.method !== "POST") throw new Violation(`unknown instances call ${req.method} (instances.list is not faked)`, 404);
    strictQuery(req.query, ["alt", "requestId", "sourceInstanceTemplate"], "instances.insert");
    if (req.query.get("sourceInstanceTemplate")) throw new Violation("instances.insert: sourceInstanceTemplate is not faked");
    return {
        op: "instances.insert",
        handle: () => {
            const b = strictFields(req.body, INSTANCE_FIELDS, "instances.insert body");
            const name = checkName(b.name);
            const key = `${zone}/${name}`;
            if (ctx.state.instances[key]) throw new ApiError(409, `The resource 'projects/${ctx.state.project}/zones/${zone}/instances/${name}' already exists`, "alreadyExists");
            const bootDisks = (b.disks ?? []).filter((d: any) => d.boot);
            if (bootDisks.length !== 1 || !bootDisks[0].initializeParams?.sourceImage) {
                throw new ApiError(400, "Invalid value for field 'resource.disks': exactly one boot disk with initializeParams.sourceImage is faked.", "invalid");
            }
            const diskName = bootDisks[0].initializeParams.diskName ?? name;
            if (disks(ctx)[`${zone}/${diskName}`]) throw new ApiError(409, `The resource 'projects/${ctx.state.project}/zones/${zone}/disks/${diskName}' already exists`, "alreadyExists");
            const nics = b.networkInterfaces ?? [];
            if (nics.length !== 1) throw new Violation("instances.insert: exactly one network interface is faked");
            const network = String(nics[0].network ?? "default").split("/").pop()!;
            if (!(ctx.state.networks ?? []).includes(network)) notFound(`projects/${ctx.state.project}/global/networks/${network}`);
            const machineType = String(b.machineType ?? "").split("/").pop()!;
            if (!machineType) throw new ApiError(400, "Invalid value for field 'resource.machineType': ''.", "invalid");
            const tags: string[] = b.tags?.items ?? [];
            const metadata = Object.fromEntries(((b.metadata?.items ?? []) as { key: string; value: string }[]).map((i) => [i.key, i.value]));
            const vm: Instance = {
                name,
                zone,
                id: String(4_500_000 + ctx.state.counter++),
                tags: { items: tags, fingerprint: fingerprint(tags) },
                deletionProtection: b.deletionProtection ?? false,
                nic: {
                    network,
                    subnetwork: String(nics[0].subnetwork ?? "").replace(/^.*?(projects\/)/, "$1"),
                    networkIP: `10.128.0.${100 + (ctx.state.counter % 150)}`,
                    accessConfigs: (nics[0].accessConfigs ?? []).map((a: any) => ({ name: a.name ?? "external-nat", natIP: `198.51.100.${ctx.state.counter++ % 250}`, type: "ONE_TO_ONE_NAT", networkTier: a.networkTier ?? "PREMIUM" })),
                },
                disks: [diskName],
                metadata,
                created: { machineType, labels: b.labels ?? {}, creationTimestamp: new Date().toISOString() },
            };
            ctx.state.instances[key] = vm;
            disks(ctx)[`${zone}/${diskName}`] = { name: diskName, zone, id: String(7_500_000 + ctx.state.counter++), sizeGb: "10", users: [key], autoDelete: bootDisks[0].autoDelete ?? true };
            ctx.effect("instances.insert", key, "created");
            return ctx.operation("insert", `zones/${zone}`, `zones/${zone}/instances/${name}`);
        },
    };
}

/** A deleted VM's disks: auto-delete ones go with it, the others are detached (instances.delete reference). */
export function detachDisks(ctx: ComputeContext, key: string): void {
    if (!ctx.state.disks) return;
    for (const [k, d] of Object.entries(ctx.state.disks)) {
        if (!d.users.includes(key)) continue;
        d.users = d.users.filter((u) => u !== key);
        if (d.autoDelete && d.users.length === 0) delete ctx.state.disks[k];
    }
}
