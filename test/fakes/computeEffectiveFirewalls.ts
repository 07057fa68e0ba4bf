import type { ComputeContext } from "./computeResources";
import { ApiError, Violation, strictQuery, type Req, type Route } from "./http";

/**
 * `instances.getEffectiveFirewalls` (GET `…/zones/{zone}/instances/{instance}/getEffectiveFirewalls?networkInterface=nic0`),
 * which `gcloud compute instances network-interfaces get-effective-firewalls` calls. The answer's
 * shape is the API's `InstancesGetEffectiveFirewallsResponse`
 * (https://cloud.google.com/compute/docs/reference/rest/v1/instances/getEffectiveFirewalls):
 * `firewalls` (the VPC rules) and `firewallPolicys`, each with `name`, `shortName`, `type`
 * (HIERARCHY, NETWORK, NETWORK_REGIONAL, SYSTEM_GLOBAL, SYSTEM_REGIONAL) and `rules` with
 * `priority`, `action` (allow, deny, goto_next, apply_security_profile_group), `direction`,
 * `match` (`srcIpRanges`, `destIpRanges`, `layer4Configs`) and the optional `target…` fields.
 * A test seeds `state.effectiveFirewalls[zone/instance]`; a VM without an entry has none.
 */
export function effectiveFirewallsRoute(c: ComputeContext, req: Req, zone: string, name: string): Route {
    if (req.method !== "GET") throw new Violation(`${req.method} getEffectiveFirewalls`, 405);
    if (req.body !== undefined) throw new Violation("getEffectiveFirewalls takes no body");
    strictQuery(req.query, ["alt", "networkInterface"], "instances.getEffectiveFirewalls");
    return {
        op: "instances.getEffectiveFirewalls",
        handle: () => {
            const key = `${zone}/${name}`;
            if (!c.state.instances[key]) throw new ApiError(404, `The resource 'projects/${c.state.project}/zones/${zone}/instances/${name}' was not found`, "notFound");
            const nic = req.query.get("networkInterface");
            if (nic !== "nic0") throw new ApiError(400, `Invalid value for field 'networkInterface': '${nic}'.`, "invalid");
            const seeded = c.state.effectiveFirewalls?.[key];
            return { firewalls: structuredClone(seeded?.firewalls ?? []), firewallPolicys: structuredClone(seeded?.firewallPolicys ?? []) };
        },
    };
}
