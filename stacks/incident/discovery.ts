import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { lastSegment } from "../../components/naming";
import type { PodRef, QuarantineConfig } from "../config";
import { groupIncident, inspectCluster, parseNode, parseInstance, parsePod, type ClusterFacts, type Incident } from "./facts";

/**
 * Discovery: the responder names pods; everything else is read. Reads are Pulumi reads and data
 * sources, so `pulumi preview` lists what was found (`=read`) before it lists what will change.
 *
 * The program awaits the read values before declaring the quarantine because the set of nodes,
 * disks and networks decides which resources exist; reads and invokes resolve during preview.
 */
export async function discover(cfg: QuarantineConfig): Promise<Incident> {
    const id = cfg.incidentId;
    const pods = await Promise.all(
        cfg.pods.map(async (ref, i) => {
            const pod = k8s.core.v1.Pod.get(`${id}/read/pod/${ref.namespace}/${ref.name}`, `${ref.namespace}/${ref.name}`);
            const raw = await settle(
                pulumi.all([pod.metadata, pod.spec, pod.status]).apply(([metadata, spec, status]) => ({ metadata, spec, status })),
                podKey(ref, i),
            );
            return parsePod(ref, i, raw);
        }),
    );

    const nodeNames = [...new Set(pods.map((p) => p.nodeName))];
    const nodes = await Promise.all(
        nodeNames.map(async (nodeName) => {
            const node = k8s.core.v1.Node.get(`${id}/read/node/${nodeName}`, nodeName);
            const raw = await settle(
                pulumi.all([node.metadata, node.spec]).apply(([metadata, spec]) => ({ metadata, spec })),
                `node ${nodeName}`,
            );
            const facts = parseNode(nodeName, raw, cfg.project);
            const instance = await settle(
                gcp.compute
                    .getInstanceOutput({ name: facts.instance, zone: facts.zone, project: facts.project })
                    .apply((r) => ({
                        bootDisks: r.bootDisks.map((d) => ({ source: d.source })),
                        attachedDisks: r.attachedDisks.map((d) => ({ source: d.source })),
                        networkInterfaces: r.networkInterfaces.map((n) => ({
                            network: n.network,
                            subnetwork: n.subnetwork,
                            networkIp: n.networkIp,
                            accessConfigs: n.accessConfigs.map((a) => ({ natIp: a.natIp })),
                        })),
                        metadata: r.metadata ?? {},
                        deletionProtection: r.deletionProtection,
                        tags: r.tags ?? [],
                    })),
                `VM ${facts.instance}`,
            );
            return parseInstance(facts, instance);
        }),
    );

    let cluster: ClusterFacts | undefined;
    if (cfg.cluster) {
        const c = await settle(
            gcp.container
                .getClusterOutput({ name: cfg.cluster.name, location: cfg.cluster.location, project: cfg.project })
                .apply((r) => ({
                    enableAutopilot: r.enableAutopilot,
                    datapathProvider: r.datapathProvider,
                    networkPolicyEnabled: (r.networkPolicies ?? []).some((p) => p.enabled),
                    network: lastSegment(r.network ?? ""),
                })),
            `cluster ${cfg.cluster.name}`,
        );
        cluster = inspectCluster(cfg.cluster.name, c);
    }

    return groupIncident(pods, nodes, cluster);
}

function podKey(ref: PodRef, i: number): string {
    return `quarantine:pods[${i}] ${ref.namespace}/${ref.name}`;
}

/**
 * The value of a read. Reads and invokes are known during preview; an unknown here means the
 * engine could not read the object, and the quarantine must not be declared from a guess.
 */
async function settle<T>(o: pulumi.Output<T>, what: string): Promise<T> {
    const impl = o as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
    const [known, value] = await Promise.all([impl.isKnown, impl.promise()]);
    if (!known) {
        throw new Error(`${what}: its state is not known during this preview; run \`pulumi preview --refresh\``);
    }
    return value;
}
