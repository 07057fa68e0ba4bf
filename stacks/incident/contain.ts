import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { Bastion } from "../../components/bastion";
import { CordonDrain } from "../../components/cordonDrain";
import { HostGuard } from "../../components/hostGuard";
import { chooseContainment } from "../../components/readiness/prestagedChoice";
import { QuarantineFirewall } from "../../components/quarantineFirewall";
import { type IncidentNames } from "../../core/incidentNames";
import { shortHash } from "../../components/naming";
import { NodeIsolation } from "../../components/nodeIsolation";
import { PodIsolation } from "../../components/podIsolation";
import type { QuarantineConfig } from "../config";
import type { Incident } from "./facts";

export interface PodContainment {
    /** Per pod (`ns/name`): its quarantine label, which the drain must wait for. */
    readonly label: Map<string, pulumi.Resource>;
    /** Per pod: its label and its namespace's NetworkPolicy; the pod is cut off once these exist. */
    readonly isolated: Map<string, pulumi.Resource[]>;
    /** Per namespace, the NetworkPolicy check: it reports, and holds nothing up. */
    readonly checks: command.local.Command[];
}

export interface Containment {
    /** Label and NetworkPolicy of every pod. */
    readonly podIsolated: pulumi.Resource[];
    /** Drains, tags, IP removals and deletion protection: the node's quarantine, which escalation waits for. */
    readonly nodeIsolated: pulumi.Resource[];
    readonly bastions: Bastion[];
    readonly oneWay: string[];
    /** Per node, what its drain reports: drained, or what it left on the node and why. */
    readonly drains: Record<string, pulumi.Output<string>>;
    /** Per node, what its cut-off reported once it ran (tagged; external IP removed). */
    readonly cutOff: Record<string, pulumi.Output<string>>;
    /** Per node, the firewall policy check: it reports, after the cut-off, and holds nothing up. */
    readonly checks: command.local.Command[];
    /** Per node with a host guard, what its metadata block and conntrack flush reported. */
    readonly hostGuard: Record<string, pulumi.Output<string>>;
}

/**
 * The pods' half of `isolate`: label and deny-all, waiting for nothing. Declared before anything
 * else in the program, so that with Pulumi's bounded parallelism their steps are the first to
 * run, ahead of dozens of snapshots that each hold a slot until the snapshot is ready.
 */
export function isolatePods(cfg: QuarantineConfig, found: Incident, names: IncidentNames): PodContainment {
    const label = new Map<string, pulumi.Resource>();
    const isolated = new Map<string, pulumi.Resource[]>();
    const checks: command.local.Command[] = [];
    const ours = found.pods.filter((p) => !p.replacedBy);
    for (const namespace of [...new Set(ours.map((p) => p.ref.namespace))]) {
        const pods = ours.filter((p) => p.ref.namespace === namespace).map((p) => p.ref.name);
        const iso = new PodIsolation(`${names.id}/pods/${namespace}`, {
            names,
            namespace,
            pods,
            kubeContext: cfg.kubeContext,
            detachLabels: cfg.detachLabels,
        });
        checks.push(iso.policyCheck, iso.clusterPolicyCheck);
        pods.forEach((pod, i) => {
            label.set(`${namespace}/${pod}`, iso.patches[i]);
            isolated.set(`${namespace}/${pod}`, [iso.patches[i], iso.networkPolicy]);
        });
    }
    return { label, isolated, checks };
}

/**
 * The nodes' half of `isolate`: cordoned, drained, abandoned, firewalled and cut off; a bastion to
 * inspect them. `beforeCutOff(node)` is what must finish while the node still reaches the API
 * server (its volatile-state capture), unless the responder asked for `immediate`.
 */
export function isolateNodes(
    cfg: QuarantineConfig,
    found: Incident,
    names: IncidentNames,
    pods: PodContainment,
    beforeCutOff: (node: string) => pulumi.Resource[],
    readiness?: { readonly stack: string; readonly prestaged: unknown },
): Containment {
    const id = names.id;
    const oneWay: string[] = [];
    const immediate = cfg.nodeIsolation === "immediate";

    // Every interface's network, since the tag applies to the whole VM; ::/0 rules where an
    // interface of a quarantined VM in that network has IPv6. Where a readiness stack pre-staged
    // the rules, the incident declares none of its own there (issue #13.4).
    const choice = chooseContainment(
        names,
        cfg.project,
        found.nodes.map((n) => ({ name: n.name, networks: n.networks ?? [n.network], ipv6: n.ipv6 === true, immediate })),
        readiness?.stack,
        readiness?.prestaged,
    );
    for (const w of choice.warnings) void pulumi.log.warn(w);
    const firewalls = new Map<string, QuarantineFirewall>();
    for (const f of choice.ownFirewalls) {
        firewalls.set(f.network, new QuarantineFirewall(`${id}/firewall/${f.network}`, { names, project: cfg.project, network: f.network, ipv6: f.ipv6, bastion: f.bastion }));
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
                extraTags: (choice.bastionTags[nodes[0].network] ?? []).filter((t) => t !== names.bastionTag),
            }),
    );

    const nodeIsolated: pulumi.Resource[] = [];
    const drains: Record<string, pulumi.Output<string>> = {};
    const cutOff: Record<string, pulumi.Output<string>> = {};
    const checks: command.local.Command[] = [];
    const hostGuard: Record<string, pulumi.Output<string>> = {};
    for (const node of found.nodes) {
        // A name that now belongs to another pod (replacedBy) is not isolated, so not waited for.
        const ours = node.pods.filter((p) => !p.replacedBy);
        const keys = ours.map((p) => `${p.ref.namespace}/${p.ref.name}`);
        const guard = hostGuardOf(cfg, found, names, node.name, ours, pods, immediate ? [] : beforeCutOff(node.name));
        if (guard) hostGuard[node.name] = guard.outcome;
        const drain = new CordonDrain(`${id}/node/${node.name}`, {
            node: node.name,
            kubeContext: cfg.kubeContext,
            drainTimeout: cfg.drainTimeout,
            bestEffort: immediate,
            podsLabelled: keys.map((k) => pods.label.get(k)!),
        });
        const vm = new NodeIsolation(`${id}/vm/${node.name}`, {
            names,
            project: node.project,
            zone: node.zone,
            instance: node.instance,
            mig: node.mig,
            externalIp: node.externalIp,
            deletionProtection: node.deletionProtection,
            firewallRules: (choice.cutOffWaitsForRulesIn[node.name] ?? []).flatMap((net) => firewalls.get(net)!.denyRules),
            ...(choice.genericTag && choice.vmTags[node.name]?.includes(choice.genericTag) ? { genericTag: choice.genericTag } : {}),
            abandonBesideCutOff: choice.abandonBesideCutOff[node.name] === true,
            cutOffAfter: [
                ...keys.flatMap((k) => pods.isolated.get(k)!),
                // Immediate: the guard runs beside the cut-off and may find the node already gone dark.
                ...(immediate ? [] : [drain.drain, ...beforeCutOff(node.name), ...(guard?.steps ?? [])]),
            ],
        });
        drains[node.name] = drain.drain.stdout;
        cutOff[node.name] = vm.cutOff;
        checks.push(vm.firewallCheck);
        // Escalation waits for all of these; delete-node must not race the protection it lifts.
        nodeIsolated.push(drain.drain, ...vm.isolated, vm.protect);
        oneWay.push(...vm.oneWay, `drained ${node.name}: evicted pods were rescheduled on other nodes and do not come back`);
    }

    return { podIsolated: [...new Set([...pods.isolated.values()].flat())], nodeIsolated, bastions, oneWay, drains, cutOff, checks, hostGuard };
}

/**
 * The node's host guard, when it has something to do: the metadata block when asked for, and the
 * conntrack flush of the pods' addresses unless the cluster is known to run Dataplane V2, whose
 * per-packet policy needs none (an unnamed cluster may be Calico: the flush is harmless on V2).
 * The flush waits for `evidence`, the node's volatile capture (none when immediate).
 */
function hostGuardOf(
    cfg: QuarantineConfig,
    found: Incident,
    names: IncidentNames,
    node: string,
    ours: Incident["pods"],
    pods: PodContainment,
    evidence: pulumi.Resource[],
): HostGuard | undefined {
    const flushed = found.cluster?.dataplaneV2 ? [] : ours.filter((p) => (p.ips ?? []).length > 0);
    if (!cfg.node.blockMetadata && flushed.length === 0) return undefined;
    return new HostGuard(`${names.id}/guard/${node}`, {
        names,
        kubeContext: cfg.kubeContext,
        node,
        image: cfg.capture.debugImage,
        namespace: cfg.capture.namespace,
        blockMetadata: cfg.node.blockMetadata,
        flushIps: flushed.flatMap((p) => p.ips ?? []),
        // The conntrack table is evidence too: the volatile capture lists it before the flush.
        flushAfter: [...flushed.flatMap((p) => pods.isolated.get(`${p.ref.namespace}/${p.ref.name}`) ?? []), ...evidence],
    });
}
