import * as pulumi from "@pulumi/pulumi";
import { Bastion } from "../../components/bastion";
import { CordonDrain } from "../../components/cordonDrain";
import { QuarantineFirewall } from "../../components/firewall";
import { ForensicSnapshots } from "../../components/forensicSnapshots";
import { incidentNames, shortHash } from "../../components/naming";
import { NodeIsolation } from "../../components/nodeIsolation";
import { PodIsolation } from "../../components/podIsolation";
import { ConfigError, parseConfig, type QuarantineConfig } from "../config";
import { discover } from "./discovery";
import { DiscoveryError, type Incident, type VmFacts } from "./facts";

/**
 * The incident program: validate config, read the pod, node, VM and disks, then declare the
 * quarantine for the configured level. `pulumi up` converges on it; `pulumi destroy` takes it down
 * and leaves the evidence (snapshots) behind.
 */
export async function incident(): Promise<Record<string, unknown>> {
    let cfg: QuarantineConfig;
    let found: Incident;
    try {
        cfg = parseConfig(pulumi.runtime.allConfig(), pulumi.getStack());
        found = await discover(cfg);
    } catch (e) {
        // Refusals are for the responder, not bug reports: no stack trace around them.
        if (e instanceof ConfigError || e instanceof DiscoveryError) throw new pulumi.RunError(e.message);
        throw e;
    }
    return declareQuarantine(cfg, found);
}

export function declareQuarantine(cfg: QuarantineConfig, found: Incident): Record<string, unknown> {
    const names = incidentNames(cfg.incidentId);
    const id = names.id;
    const oneWay: string[] = [];

    const snapshots = new ForensicSnapshots(`${id}/snapshots`, {
        names,
        project: cfg.project,
        disks: found.nodes.flatMap((n) => n.disks.map((d) => ({ ...d, node: n.name }))),
    });

    const outputs: Record<string, unknown> = {
        incidentId: id,
        level: cfg.level,
        snapshotNames: snapshots.snapshotNames,
        nodes: found.nodes.map((n) => ({
            node: n.name,
            zone: n.zone,
            instanceGroup: n.mig?.name ?? null,
            externalIp: n.externalIp ?? null,
            disks: n.disks.map((d) => d.name),
            pods: n.pods.map((p) => `${p.ref.namespace}/${p.ref.name}`),
        })),
    };
    if (cfg.level === "observe") {
        return { ...outputs, oneWayActions: oneWay };
    }

    if (found.cluster) {
        outputs.networkPolicyEnforcement = `verified on cluster ${found.cluster.name}`;
    } else {
        outputs.networkPolicyEnforcement = "not verified: set quarantine:cluster.name and quarantine:cluster.location";
        void pulumi.log.warn(
            "NetworkPolicy enforcement was not verified: without it the pod's deny-all policy is a silent no-op. " +
                "Set quarantine:cluster.name and quarantine:cluster.location so preview checks it.",
        );
    }
    if (!cfg.detachLabels) {
        void pulumi.log.warn(
            "quarantine:detachLabels is false: any existing NetworkPolicy that selects the pod's labels and allows traffic overrides the deny-all.",
        );
    }

    // Pods first and on their own: their label and NetworkPolicy wait for nothing.
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

    const bastions = [...groupBy(found.nodes, (n) => n.subnetwork)].map(
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
            cutOffAfter: [...keys.flatMap((k) => podIsolated.get(k)!), ...(immediate ? [] : [drain.drain])],
        });
        oneWay.push(...vm.oneWay, ...drainNote(node));
    }

    return {
        ...outputs,
        nodeIsolation: cfg.nodeIsolation,
        isolationTag: names.isolationTag,
        bastionSshCommand: bastions[0].sshCommand,
        bastionSshCommands: bastions.map((b) => b.sshCommand),
        oneWayActions: oneWay,
    };
}

function drainNote(node: VmFacts): string[] {
    return [`drained ${node.name}: evicted pods were rescheduled on other nodes and do not come back`];
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
    const m = new Map<string, T[]>();
    for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
    return m;
}
