import { fingerprint, regionOf, sameFingerprint, renderInstance, renderMig, type ComputeState, type Instance } from "./computeState";
import { ApiError, FakeApi, Violation, strictFields, strictQuery, type Req, type Route } from "./http";
import { detachDisks, diskRoute, insertInstanceRoute } from "./computeDisks";
import { firewallRoute, snapshotRoute, type ComputeContext } from "./computeResources";
import { effectiveFirewallsRoute } from "./computeEffectiveFirewalls";

/**
 * A Compute Engine API fake for gcloud, reached through `CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE`
 * (`<base>/compute/v1/`). It implements exactly the calls the quarantine's commands make:
 * instances get / setTags (with a real fingerprint) / setDeletionProtection / deleteAccessConfig /
 * addAccessConfig / delete, zonal instanceGroupManagers get / listManagedInstances /
 * abandonInstances, and zone and global operations get / wait. Mutations answer a RUNNING
 * operation, so gcloud goes through its operation polling as it does against GCE.
 * For the stand-in gcp provider (test/e2e/standIns/gcp) it also fakes firewalls, snapshots, disks
 * and instances.insert (computeResources.ts, computeDisks.ts), on a state made by `withResources`.
 * The firewall policy check reads instances.getEffectiveFirewalls (computeEffectiveFirewalls.ts).
 */

export class ComputeFake extends FakeApi<ComputeState> {
    get endpoint(): string {
        return `${this.base}/compute/v1/`;
    }

    /** What computeResources.ts and computeDisks.ts work on. */
    private get context(): ComputeContext {
        return {
            state: this.state,
            url: (p) => this.url(p),
            operation: (type, scope, target) => this.operation(type, scope, target),
            effect: (op, target, change) => this.effect(op, target, change),
        };
    }

    private url(path: string): string {
        return `${this.base}/compute/v1/projects/${this.state.project}/${path}`;
    }

    instance(zone: string, name: string): Instance | undefined {
        return this.state.instances[`${zone}/${name}`];
    }

    protected errorBody(e: ApiError): unknown {
        return { error: { code: e.status, message: e.message, errors: [{ message: e.message, domain: "global", reason: e.reason }] } };
    }

    protected makeStale(op: string, req: Req): boolean {
        if (op !== "instances.setTags") return false;
        const vm = this.instance(req.segments[5], req.segments[7]);
        if (vm) vm.tags.fingerprint = fingerprint([vm.tags.items, "changed by someone else", this.state.counter++]);
        return true;
    }

    protected route(req: Req): Route {
        const s = req.segments;
        if (s[0] !== "compute" || s[1] !== "v1") throw new Violation(`no such API: only compute/v1 is faked (${req.path})`, 404);
        if (s[2] !== "projects" || s.length < 5) throw new Violation(`unknown path ${req.path}`, 404);
        if (s[3] !== this.state.project) {
            return { op: "projects.unknown", handle: () => notFound(`projects/${s[3]}`) };
        }
        const rest = s.slice(4);
        const m = req.method;
        // The firewall policy check's read (computeEffectiveFirewalls.ts).
        if (rest[0] === "zones" && rest[2] === "instances" && rest.length === 5 && rest[4] === "getEffectiveFirewalls") return effectiveFirewallsRoute(this.context, req, rest[1], rest[3]);
        if (rest[0] === "zones" && rest[2] === "instances" && rest.length >= 4) return this.instanceRoute(req, rest[1], rest[3], rest.slice(4));
        if (rest[0] === "zones" && rest[2] === "instanceGroupManagers" && rest.length >= 4) return this.migRoute(req, rest[1], rest[3], rest.slice(4));
        if (rest[0] === "zones" && rest[2] === "operations" && rest.length >= 4) return this.operationRoute(req, "zoneOperations", `zones/${rest[1]}`, rest[3], rest.slice(4));
        if (rest[0] === "global" && rest[1] === "operations" && rest.length >= 3) return this.operationRoute(req, "globalOperations", "global", rest[2], rest.slice(3));
        // The stand-in gcp provider's calls (and gcloud's firewall-rules / snapshots list).
        if (rest[0] === "zones" && rest[2] === "instances" && rest.length === 3) return insertInstanceRoute(this.context, req, rest[1]);
        if (rest[0] === "zones" && rest[2] === "disks" && rest.length >= 4) return diskRoute(this.context, req, rest[1], rest[3], rest.slice(4));
        if (rest[0] === "global" && rest[1] === "firewalls" && rest.length <= 3) return firewallRoute(this.context, req, rest[2]);
        if (rest[0] === "global" && rest[1] === "snapshots" && rest.length <= 4) return snapshotRoute(this.context, req, rest[2], rest[3]);
        throw new Violation(`unknown path ${m} ${req.path}`, 404);
    }

    private instanceRoute(req: Req, zone: string, name: string, sub: string[]): Route {
        const key = `${zone}/${name}`;
        const vm = () => this.state.instances[key] ?? notFound(`projects/${this.state.project}/zones/${zone}/instances/${name}`);
        const verb = `${req.method} ${sub.join("/")}`;
        const q = (allowed: string[]) => strictQuery(req.query, ["alt", "requestId", ...allowed], `instances ${verb}`);
        const known = ["GET ", "DELETE ", "POST setTags", "POST setDeletionProtection", "POST deleteAccessConfig", "POST addAccessConfig"];
        if (!known.includes(verb)) throw new Violation(`unknown instances call ${verb}`, 404);
        noBody(req, verb === "POST setTags" || verb === "POST addAccessConfig");
        switch (verb) {
            case "GET ":
                q([]);
                return { op: "instances.get", handle: () => renderInstance(vm(), (p) => this.url(p)) };
            case "DELETE ":
                q([]);
                return { op: "instances.delete", handle: () => this.deleteInstance(key, vm()) };
            case "POST setTags":
                q([]);
                return {
                    op: "instances.setTags",
                    handle: () => {
                        const b = strictFields(req.body, ["items", "fingerprint"], "setTags body");
                        const v = vm();
                        if (typeof b.fingerprint !== "string") throw new ApiError(400, "Required field 'fingerprint' not specified", "required");
                        if (!sameFingerprint(b.fingerprint, v.tags.fingerprint)) throw new ApiError(412, "Supplied fingerprint does not match current fingerprint.", "conditionNotMet");
                        const items: string[] = b.items ?? [];
                        if (!Array.isArray(items) || items.some((t) => typeof t !== "string")) throw new Violation("setTags items: expected strings");
                        if (JSON.stringify(items) !== JSON.stringify(v.tags.items)) this.effect("instances.setTags", key, `tags=${items.join(",")}`);
                        v.tags = { items, fingerprint: fingerprint([items, this.state.counter++]) };
                        return this.operation("setTags", `zones/${zone}`, `zones/${zone}/instances/${name}`);
                    },
                };
            case "POST setDeletionProtection": {
                q(["deletionProtection"]);
                const raw = (req.query.get("deletionProtection") ?? "true").toLowerCase();
                if (raw !== "true" && raw !== "false") throw new Violation(`deletionProtection=${raw}`);
                return {
                    op: "instances.setDeletionProtection",
                    handle: () => {
                        const v = vm();
                        if (v.deletionProtection !== (raw === "true")) this.effect("instances.setDeletionProtection", key, raw);
                        v.deletionProtection = raw === "true";
                        return this.operation("setDeletionProtection", `zones/${zone}`, `zones/${zone}/instances/${name}`);
                    },
                };
            }
            case "POST deleteAccessConfig":
                q(["accessConfig", "networkInterface"]);
                return { op: "instances.deleteAccessConfig", handle: () => this.deleteAccessConfig(req, key, vm()) };
            case "POST addAccessConfig":
                q(["networkInterface"]);
                return { op: "instances.addAccessConfig", handle: () => this.addAccessConfig(req, key, vm()) };
            default:
                throw new Violation(`unknown instances call ${verb}`, 404);
        }
    }

    private deleteInstance(key: string, vm: Instance): unknown {
        if (vm.deletionProtection) {
            throw new ApiError(400, "Invalid resource usage: 'Resource cannot be deleted if it's protected against deletion.'", "resourceInUseByAnotherResource");
        }
        this.releaseAddresses(vm);
        delete this.state.instances[key];
        detachDisks(this.context, key); // a no-op unless the state has disks (withResources)
        for (const g of Object.values(this.state.migs)) g.members = g.members.filter((n) => !(g.zone === vm.zone && n === vm.name));
        this.effect("instances.delete", key, "deleted");
        return this.operation("delete", `zones/${vm.zone}`, `zones/${vm.zone}/instances/${vm.name}`);
    }

    private nic(req: Req): void {
        if (req.query.get("networkInterface") !== "nic0") throw new ApiError(400, `Invalid value for field 'networkInterface': '${req.query.get("networkInterface")}'.`, "invalid");
    }

    private deleteAccessConfig(req: Req, key: string, vm: Instance): unknown {
        this.nic(req);
        const name = req.query.get("accessConfig");
        const ac = vm.nic.accessConfigs.find((a) => a.name === name);
        if (!ac) throw new ApiError(400, `Invalid value for field 'accessConfig': '${name}'. The access config does not exist.`, "invalid");
        vm.nic.accessConfigs = vm.nic.accessConfigs.filter((a) => a !== ac);
        this.releaseAddresses({ ...vm, nic: { ...vm.nic, accessConfigs: [ac] } });
        this.effect("instances.deleteAccessConfig", key, `removed ${ac.natIP}`);
        return this.operation("deleteAccessConfig", `zones/${vm.zone}`, `zones/${vm.zone}/instances/${vm.name}`);
    }

    private addAccessConfig(req: Req, key: string, vm: Instance): unknown {
        this.nic(req);
        const b = strictFields(req.body, ["kind", "name", "natIP", "type", "networkTier"], "addAccessConfig body");
        if (vm.nic.accessConfigs.length > 0) throw new ApiError(400, "At most one access config currently supported.", "invalid");
        let ip: string = b.natIP ?? "";
        if (ip) {
            const a = this.state.addresses[ip];
            if (!a || a.region !== regionOf(vm.zone)) {
                throw new ApiError(400, `The specified external IP address '${ip}' was not found in region '${regionOf(vm.zone)}'.`, "invalid");
            }
            if (a.status !== "RESERVED") throw new ApiError(400, `The IP address '${ip}' is already being used by another resource.`, "resourceInUseByAnotherResource");
            Object.assign(a, { status: "IN_USE", user: key });
        } else {
            ip = `198.51.100.${this.state.counter++ % 250}`;
        }
        vm.nic.accessConfigs.push({ name: b.name ?? "external-nat", natIP: ip, type: b.type ?? "ONE_TO_ONE_NAT", networkTier: b.networkTier ?? "PREMIUM" });
        this.effect("instances.addAccessConfig", key, `added ${b.natIP ? "static" : "ephemeral"} address`);
        return this.operation("addAccessConfig", `zones/${vm.zone}`, `zones/${vm.zone}/instances/${vm.name}`);
    }

    private releaseAddresses(vm: Instance): void {
        for (const ac of vm.nic.accessConfigs) {
            const a = this.state.addresses[ac.natIP];
            if (a) {
                a.status = "RESERVED";
                delete a.user;
            }
        }
    }

    private migRoute(req: Req, zone: string, name: string, sub: string[]): Route {
        const key = `${zone}/${name}`;
        const g = () => this.state.migs[key] ?? notFound(`projects/${this.state.project}/zones/${zone}/instanceGroupManagers/${name}`);
        const verb = `${req.method} ${sub.join("/")}`;
        if (!["GET ", "POST listManagedInstances", "POST abandonInstances"].includes(verb)) throw new Violation(`unknown instanceGroupManagers call ${verb}`, 404);
        noBody(req, verb === "POST abandonInstances");
        switch (verb) {
            case "GET ":
                strictQuery(req.query, ["alt"], "instanceGroupManagers.get");
                return { op: "instanceGroupManagers.get", handle: () => renderMig(g(), (p) => this.url(p)) };
            case "POST listManagedInstances":
                strictQuery(req.query, ["alt", "maxResults", "pageToken", "returnPartialSuccess"], "listManagedInstances");
                return {
                    op: "instanceGroupManagers.listManagedInstances",
                    handle: () => ({
                        managedInstances: g().members.map((n) => ({
                            instance: this.url(`zones/${zone}/instances/${n}`),
                            id: this.state.instances[`${zone}/${n}`]?.id ?? "0",
                            instanceStatus: "RUNNING",
                            currentAction: "NONE",
                        })),
                    }),
                };
            case "POST abandonInstances":
                strictQuery(req.query, ["alt", "requestId"], "abandonInstances");
                return {
                    op: "instanceGroupManagers.abandonInstances",
                    handle: () => {
                        const b = strictFields(req.body, ["instances"], "abandonInstances body");
                        const group = g();
                        const names = ((b.instances ?? []) as string[]).map((u) => instanceName(u, this.state.project, zone));
                        const missing = names.filter((n) => !group.members.includes(n));
                        if (missing.length) throw new ApiError(400, `Instance '${missing[0]}' is not a member of instance group manager '${name}'.`, "invalid");
                        group.members = group.members.filter((n) => !names.includes(n));
                        group.targetSize -= names.length;
                        for (const n of names) this.effect("instanceGroupManagers.abandonInstances", key, `abandoned ${n}`);
                        return this.operation("abandonInstances", `zones/${zone}`, `zones/${zone}/instanceGroupManagers/${name}`);
                    },
                };
            default:
                throw new Violation(`unknown instanceGroupManagers call ${verb}`, 404);
        }
    }

    private operationRoute(req: Req, service: string, scope: string, name: string, sub: string[]): Route {
        const verb = `${req.method} ${sub.join("/")}`;
        if (verb !== "GET " && verb !== "POST wait") throw new Violation(`unknown ${service} call ${verb}`, 404);
        strictQuery(req.query, ["alt"], service);
        noBody(req, false);
        return {
            op: `${service}.${verb === "GET " ? "get" : "wait"}`,
            handle: () => {
                const o = this.state.operations[name];
                if (!o || o.scope !== scope) return notFound(`projects/${this.state.project}/${scope}/operations/${name}`);
                Object.assign(o, { status: "DONE", progress: 100, endTime: "2026-11-25T12:00:01Z" });
                return this.renderOperation(o);
            },
        };
    }

    private operation(type: string, scope: string, target: string): unknown {
        const name = `operation-${this.state.counter++}-${type}`;
        const o = { name, scope, operationType: type, target, status: "RUNNING", progress: 0 };
        this.state.operations[name] = o;
        return this.renderOperation(o);
    }

    private renderOperation(o: Record<string, any>): unknown {
        const zone = o.scope.startsWith("zones/") ? { zone: this.url(o.scope) } : {};
        return {
            kind: "compute#operation",
            id: o.name.split("-")[1],
            name: o.name,
            operationType: o.operationType,
            targetLink: this.url(o.target),
            status: o.status,
            progress: o.progress,
            user: "responder@example.com",
            insertTime: "2026-11-25T12:00:00Z",
            ...(o.endTime ? { endTime: o.endTime } : {}),
            selfLink: this.url(`${o.scope}/operations/${o.name}`),
            ...zone,
        };
    }

}

function notFound(resource: string): never {
    throw new ApiError(404, `The resource '${resource}' was not found`, "notFound");
}

function noBody(req: Req, allowed: boolean): void {
    if (!allowed && req.body !== undefined) throw new Violation(`${req.method} ${req.path} takes no body`);
}

/** The instance name in a URL or partial path gcloud sends; a URL for another zone or project is refused. */
function instanceName(url: string, project: string, zone: string): string {
    const m = /(?:^|\/)projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)$/.exec(url);
    if (!m || m[1] !== project || m[2] !== zone) throw new Violation(`instance reference ${url} is not in projects/${project}/zones/${zone}`);
    return decodeURIComponent(m[3]);
}
