import * as pulumi from "@pulumi/pulumi";
import { Bastion } from "../../components/bastion";
import { CordonDrain } from "../../components/cordonDrain";
import { QuarantineFirewall } from "../../components/firewall";
import { type IncidentNames, shortHash } from "../../components/naming";
import { NodeIsolation } from "../../components/nodeIsolation";
import { PodIsolation } from "../../components/podIsolation";
import type { QuarantineConfig } from "../config";
import type { Incident } from "./facts";

export interface Containment {
    /** Label and NetworkPolicy of every pod: the pods are cut off once these exist. */
    readonly podIsolated: pulumi.Resource[];
    /** Drains, tags and IP removals: the nodes are cut off once these exist. */
    readonly nodeIsolated: pulumi.Resource[];
    readonly bastions: Bastion[];
    readonly oneWay: string[];
}

/**
 * The `isolate` level: pods cut off at once; nodes cordoned, drained, abandoned, firewalled and
 * cut off; a bastion to inspect them. `beforeCutOff(node)` lists what must finish while the node
 * still reaches the API server (its evidence captures), unless the responder asked for
 * `immediate`.
 */
export function contain(
    cfg: QuarantineConfig,
    found: Incident,
    names: IncidentNames,
    beforeCutOff: (node: string) => pulumi.Resource[],
): Containment {
    const id = names.id;
    const oneWay: string[] = [];

    const podLabel = new Map<string, pulumi.Resource>();
    const podIsolated = new Map<string, pulumi.Resource[]>();
    for (const namespace of [...new Set(found.pods.map((p) => p.ref.namespace))]) {
        const pods = found.pods.filter((p) => p.ref.namespace === namespace).map((p) => p.ref.name);
        const iso = new PodIsolation(`${id}/pods/${namespace}`, {
            names,
            namespace,
            pods,
            kubeContext: cfg.kubeContext,
            detachLabels: cfg.detachLabels,
        });
        pods.forEach((pod, i) => {
            podLabel.set(`${namespace}/${pod}`, iso.patches[i]);
            podIsolated.set(`${namespace}/${pod}`, [iso.patches[i], iso.networkPolicy]);
        });
    }

    const firewalls = new Map<string, QuarantineFirewall>();
    for (const network of [...new Set(found.nodes.map((n) => n.network))]) {
        firewalls.set(network, new QuarantineFirewall(`${id}/firewall/${network}`, { names, project: cfg.project, network }));
    }

    const bySubnet = new Map<string, Incident["nodes"][number][]>();
    for (const n of found.nodes) bySubnet.set(n.subnetwork, [...(bySubnet.get(n.subnetwork) ?? []), n]);
    const bastions = [...bySubnet].map(
        ([subnetwork, nodes]) =>
            new Bastion(`${id}/bastion/${shortHash(subnetwork)}`, {
                names,
                project: cfg.project,
                zone: nodes[0].zone,
                network: nodes[0].network,
                subnetwork,
                machineType: cfg.bastion.machineType,
                image: cfg.bastion.image,
            }),
    );

    const immediate = cfg.nodeIsolation === "immediate";
    const nodeIsolated: pulumi.Resource[] = [];
    for (const node of found.nodes) {
        const keys = node.pods.map((p) => `${p.ref.namespace}/${p.ref.name}`);
        const drain = new CordonDrain(`${id}/node/${node.name}`, {
            names,
            node: node.name,
            kubeContext: cfg.kubeContext,
            drainTimeout: cfg.drainTimeout,
            bestEffort: immediate,
            podsLabelled: keys.map((k) => podLabel.get(k)!),
        });
        const vm = new NodeIsolation(`${id}/vm/${node.name}`, {
            names,
            project: node.project,
            zone: node.zone,
            instance: node.instance,
            mig: node.mig,
            externalIp: node.externalIp,
            deletionProtection: node.deletionProtection,
            firewallRules: firewalls.get(node.network)!.rules,
            cutOffAfter: [
                ...keys.flatMap((k) => podIsolated.get(k)!),
                ...(immediate ? [] : [drain.drain, ...beforeCutOff(node.name)]),
            ],
        });
        nodeIsolated.push(drain.drain, ...vm.isolated);
        oneWay.push(...vm.oneWay, `drained ${node.name}: evicted pods were rescheduled on other nodes and do not come back`);
    }

    return { podIsolated: [...podIsolated.values()].flat(), nodeIsolated, bastions, oneWay };
}
