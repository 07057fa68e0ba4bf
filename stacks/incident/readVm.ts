import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { shellRead } from "../../components/shell";
import { parseInstance, parseNode, type VmFacts } from "./facts";
import { exposureOf } from "./nodeExposure";
import { settle } from "./settle";

type Vm = Omit<VmFacts, "pods">;

/** The fields of `getInstance` discovery interprets (facts.ts, nodeExposure.ts). */
function instanceFacts(r: gcp.compute.GetInstanceResult) {
    return {
        bootDisks: r.bootDisks.map((d) => ({ source: d.source })),
        attachedDisks: r.attachedDisks.map((d) => ({ source: d.source })),
        networkInterfaces: r.networkInterfaces.map((n) => ({
            network: n.network,
            subnetwork: n.subnetwork,
            networkIp: n.networkIp,
            accessConfigs: n.accessConfigs.map((a) => ({ natIp: a.natIp })),
            stackType: n.stackType,
        })),
        metadata: r.metadata ?? {},
        serviceAccounts: (r.serviceAccounts ?? []).map((s) => ({ email: s.email, scopes: s.scopes ?? [] })),
        scratchDisks: (r.scratchDisks ?? []).map((d) => ({ deviceName: d.deviceName })),
        deletionProtection: r.deletionProtection,
        tags: r.tags ?? [],
    };
}

/**
 * A node's Node object and VM, read. A node the stack's memory already has (`remembered`) may be
 * gone: an update that failed after `delete-node` deleted it leaves the memory of the last good
 * update, so every later update would die reading it. For such a node "not found" means gone,
 * preview says so, and the remembered facts stand in. A node never seen before must be read.
 */
export async function readVm(id: string, context: string, nodeName: string, project: string, remembered?: Vm): Promise<Vm> {
    if (remembered && !(await nodeExists(context, nodeName))) return gone(`Node ${nodeName}`, remembered);
    const node = k8s.core.v1.Node.get(`${id}/read/node/${nodeName}`, nodeName);
    const raw = await settle(pulumi.all([node.metadata, node.spec]).apply(([metadata, spec]) => ({ metadata, spec })), `node ${nodeName}`);
    const facts = parseNode(nodeName, raw, project);
    const args = { name: facts.instance, zone: facts.zone, project: facts.project };
    let instance: ReturnType<typeof instanceFacts>;
    if (remembered) {
        // The promise form: its "not found" can be caught, where a failed Output read fails the update.
        const r = await gcp.compute.getInstance(args).then(
            (x) => x,
            (e: unknown) => (/was not found/.test(String(e)) ? undefined : Promise.reject(e)),
        );
        if (!r) return gone(`VM ${facts.instance}`, remembered);
        instance = instanceFacts(r);
    } else {
        instance = await settle(gcp.compute.getInstanceOutput(args).apply(instanceFacts), `VM ${facts.instance}`);
    }
    const found = parseInstance(facts, instance, id);
    return { ...(remembered ? asFirstFound(found, remembered) : found), exposure: exposureOf(instance) };
}

/**
 * What the quarantine itself changes on the VM is taken as the stack first found it, not as read
 * now: read back after the cut-off, the VM has no external IP and deletion protection on, and
 * the next update (a re-run, `redeploy`) would drop its `remove-external-ip` step, whose delete
 * gives the quarantined VM an external IP again, and record the protection it set as the VM's own
 * (seen under the real engine: test/e2e/escalation.e2e.ts). An address the VM has now is its
 * own; protection lifted since is lifted.
 */
function asFirstFound(now: Vm, remembered: Vm): Vm {
    return {
        ...now,
        externalIp: now.externalIp ?? remembered.externalIp,
        deletionProtection: now.deletionProtection && remembered.deletionProtection,
        mig: now.mig ?? remembered.mig,
    };
}

function gone(what: string, remembered: Vm): Vm {
    void pulumi.log.warn(`${what} is gone (an earlier update, perhaps one that failed, deleted it, or someone else did): the quarantine goes on from what the stack remembers of it`);
    return { ...remembered, otherIncidents: undefined };
}

async function nodeExists(context: string, node: string): Promise<boolean> {
    const out = shellRead({ step: "Check that the remembered node still exists", script: "node-exists" }, { CONTEXT: context, NODE: node });
    return (await settle(out, `node ${node}`)).trim() !== "";
}
