import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as random from "@pulumi/random";
import { ChainOfCustody } from "../../components/chainOfCustody";
import { Escalation } from "../../components/escalation";
import { isDestructive, reaches } from "../../core/levels";
import { EvidenceCapture } from "../../components/evidenceCapture";
import { EvidenceBucket } from "../../components/evidenceBucket";
import { ForensicSnapshots } from "../../components/forensicSnapshots";
import { IsolationVerdict } from "../../components/isolationVerdict";
import { incidentNames } from "../../core/incidentNames";
import { ConfigError, LEVELS, parseConfig, type QuarantineConfig } from "../config";
import { isolatePods, isolateNodes, type PodContainment } from "./contain";
import { discover } from "./discovery";
import { blockImages } from "./blockImages";
import { evidenceLocationWithoutNodes, oneWayCredentials, quarantineCredentials } from "./credentials";
import { findImagePods, type ImageDiscovery } from "./imagePods";
import { DiscoveryError, type Incident } from "./facts";
import { MEMORY_OUTPUT, recall, refuseReleasingDeletedPods, remember, type Memory } from "./memory";
import { readReadiness } from "./readiness";
import type { ReadinessReference } from "../../components/readiness/readinessReference";
import { exposureFindings, lostWithVm, privateNodeFinding } from "./nodeExposure";
import type { QuarantineOutputs } from "./outputs";

/**
 * The incident program: validate config, read the pod, node, VM and disks, then declare the
 * quarantine for the configured level. `pulumi up` converges on it; `pulumi destroy` takes it down
 * and leaves the evidence (snapshots, bucket, artifacts, manifest) behind.
 */
export async function incident(): Promise<QuarantineOutputs> {
    let cfg: QuarantineConfig;
    let found: Incident;
    let memory: Memory | undefined;
    let images: ImageDiscovery;
    let readiness: ReadinessReference | undefined;
    try {
        cfg = parseConfig(pulumi.runtime.allConfig(), pulumi.getStack());
        memory = await recall(cfg.incidentId);
        refuseReleasingDeletedPods(cfg.level, memory);
        // Pods running a blocked image join quarantine:pods: from here on they are named pods.
        images = await findImagePods(cfg, memory);
        cfg = images.cfg;
        [found, readiness] = await Promise.all([discover(cfg, memory), readReadiness(cfg, cfg.incidentId)]);
    } catch (e) {
        // Refusals are for the responder, not bug reports: no stack trace around them.
        if (e instanceof ConfigError || e instanceof DiscoveryError) throw new pulumi.RunError(e.message);
        throw e;
    }
    return await declareQuarantine(cfg, found, memory, images, readiness);
}

export async function declareQuarantine(
    asConfigured: QuarantineConfig,
    found: Incident,
    memory?: Memory,
    images?: ImageDiscovery,
    readiness?: ReadinessReference,
): Promise<QuarantineOutputs> {
    const { cfg, hostLevelPods } = nodeIsTheBoundary(asConfigured, found);
    const names = incidentNames(cfg.incidentId);
    const id = names.id;
    const level = LEVELS.indexOf(cfg.level);
    const notes: string[] = [];

    // The pods are cut off first, before anything else is even declared (see isolatePods).
    // No node: only quarantine:credentials was named, and it is all there is to contain.
    const pods: PodContainment | undefined = reaches(cfg.level, "isolate") && found.nodes.length > 0 ? isolatePods(cfg, found, names) : undefined;
    if (pods) await registrationsSent();
    const imageBlock = blockImages(cfg, names, images);

    // This quarantine run's random part of the evidence's names. Snapshots and a created bucket
    // outlive `pulumi destroy`, so a second quarantine of the same incident needs new names; bucket
    // names are global, so nobody may guess one first. Kept in state across updates, new after a
    // destroy (it is not evidence). Created locally by the random provider in milliseconds: the
    // only thing the volatile capture, and so the node's cut-off, may wait for that is not
    // containment, since it can't fail.
    const run = new random.RandomId(`${id}/run`, { byteLength: 4, keepers: { incident: id } }).hex;

    // Evidence, from `observe` up: snapshots and captures start at once and wait for nothing.
    const snapshots = new ForensicSnapshots(`${id}/snapshots`, {
        names,
        project: cfg.project,
        disks: found.nodes.flatMap((n) => n.disks.map((d) => ({ ...d, node: n.name }))),
        run,
    });
    const bucket = new EvidenceBucket(`${id}/evidence`, {
        names,
        project: cfg.project,
        location: found.nodes[0]?.zone.replace(/-[a-z]$/, "") ?? evidenceLocationWithoutNodes(cfg),
        run,
        existing: cfg.evidenceBucket ?? readiness?.evidenceBucket,
        retentionDays: cfg.evidenceRetentionDays,
        lockRetention: cfg.evidenceLock,
    });
    const volatile = cfg.level === "observe" || cfg.nodeIsolation !== "immediate";
    if (!volatile) notes.push("node volatile state is not captured: nodeIsolation immediate cuts the node off before a capture pod could report");
    const evidence = new EvidenceCapture(`${id}/capture`, {
        names,
        project: cfg.project,
        kubeContext: cfg.kubeContext,
        bucket: bucket.name,
        bucketReady: bucket.bucket,
        // Declared even after an earlier update deleted the pods: unchanged, they do not run again,
        // and their recorded output keeps every artifact in the custody manifest.
        pods: found.pods.map((p) => p.ref),
        nodes: found.nodes.map((n) => n.name),
        volatile,
        exec: cfg.capture.exec,
        debugImage: cfg.capture.debugImage,
        captureNamespace: cfg.capture.namespace,
        imageInventory: cfg.images.length > 0,
    });
    // Beside the pods' and nodes' quarantine, never in its way: see stacks/incident/credentials.ts.
    const credentials = quarantineCredentials(cfg, names, { bucket: bucket.name, bucketReady: bucket.bucket });
    const custody = new ChainOfCustody(`${id}/custody`, {
        names,
        bucket: bucket.bucketName,
        artifacts: pulumi.all([evidence.artifacts, credentials.artifacts]).apply(([a, b]) => [...a, ...b]),
        notCaptured: pulumi.all([evidence.notCaptured, credentials.notCaptured]).apply(([a, b]) => [...a, ...b]),
        snapshots: snapshots.snapshots.map((s) => ({ name: s.name, id: s.snapshotId.apply(String), sourceDisk: s.sourceDisk, takenAt: s.creationTimestamp })),
        identity: gcp.organizations.getClientOpenIdUserInfoOutput().email,
    });

    const summary = {
        incidentId: id,
        level: cfg.level,
        snapshotNames: snapshots.snapshotNames,
        evidenceBucket: bucket.bucketName,
        custodyManifest: custody.manifest,
        custodyManifestObject: custody.object.name,
        nodes: found.nodes.map((n) => ({
            node: n.name,
            zone: n.zone,
            instanceGroup: n.mig?.name ?? null,
            externalIp: n.externalIp ?? null,
            disks: n.disks.map((d) => d.name),
            pods: n.pods.map((p) => `${p.ref.namespace}/${p.ref.name}`),
        })),
    };
    const oneWay: string[] = [];
    const escalated: pulumi.Resource[] = [];
    const nodeFindings = found.nodes.flatMap((n) => [...(n.exposure ? exposureFindings(n.name, n.exposure, cfg.node.blockMetadata) : []), ...privateNodeFinding(n)]);
    for (const f of nodeFindings) void pulumi.log.warn(f);

    let isolation: Pick<QuarantineOutputs, "nodeIsolation" | "isolationTag" | "bastionSshCommand" | "bastionSshCommands" | "networkPolicyEnforcement" | "drains" | "nodesCutOff" | "hostGuard" | "isolationFindings"> = {};
    if (pods) {
        const c = isolateNodes(
            cfg,
            found,
            names,
            pods,
            (node) => [evidence.volatileCaptures.get(node)].filter((x) => x !== undefined),
            readiness && cfg.readinessStack ? { stack: cfg.readinessStack, prestaged: readiness.prestaged } : undefined,
        );
        oneWay.push(...c.oneWay);
        isolation = {
            nodeIsolation: cfg.nodeIsolation,
            isolationTag: names.isolationTag,
            bastionSshCommand: c.bastions[0].sshCommand,
            bastionSshCommands: c.bastions.map((b) => b.sshCommand),
            networkPolicyEnforcement: warnings(cfg, found),
            drains: c.drains,
            nodesCutOff: c.cutOff,
            hostGuard: c.hostGuard,
        };
        if (isDestructive(cfg.level)) {
            const escalation = new Escalation(`${id}/escalate`, {
                names,
                project: cfg.project,
                kubeContext: cfg.kubeContext,
                level: cfg.level,
                // Never a replacement that took a quarantined pod's name.
                pods: found.pods.filter((p) => !p.replacedBy).map((p) => p.ref),
                workloads: found.workloads,
                workloadAction: cfg.workloadAction,
                nodes: found.nodes,
                after: [...snapshots.snapshots, ...evidence.captures, ...credentials.records, custody.object, ...c.podIsolated, ...imageBlock.blocked],
                nodeAfter: c.nodeIsolated,
            });
            oneWay.push(...escalation.oneWay);
            if (cfg.level === "delete-node") oneWay.push(...found.nodes.flatMap((n) => (n.exposure ? lostWithVm(n.name, n.exposure) : [])));
            escalated.push(...escalation.steps);
        }
        const verdict = new IsolationVerdict(`${id}/isolation`, {
            findings: [...pods.checks, ...c.checks].map((ch) => ch.stdout),
            after: [
                ...snapshots.snapshots,
                ...evidence.captures,
                custody.object,
                ...c.podIsolated,
                ...c.nodeIsolated,
                ...c.bastions.map((b) => b.instance),
                ...pods.checks,
                ...c.checks,
                ...escalated,
            ],
        });
        isolation = { ...isolation, isolationFindings: verdict.findings };
    }

    const credentialsOneWay = oneWayCredentials(cfg, names, credentials, [...snapshots.snapshots, ...evidence.captures, custody.object]);
    oneWay.push(...credentialsOneWay.oneWay);

    const next = remember(memory, cfg.level, isDestructive(cfg.level), oneWay, found);
    const stillGone = next.oneWay.filter((a) => !oneWay.includes(a));
    if (memory && LEVELS.indexOf(memory.level as QuarantineConfig["level"]) > level && stillGone.length > 0) {
        void pulumi.log.warn(
            `Lowering quarantine:level from ${memory.level} to ${cfg.level} does not bring anything back. Still gone: ${stillGone.join("; ")}`,
        );
    }
    const nextMemory = { ...next, imagePods: images?.quarantined ?? [] };
    return { ...summary, ...isolation, ...imageBlock.outputs, ...credentials.outputs, ...credentialsOneWay.outputs, hostLevelPods, nodeFindings, oneWayActions: oneWay, stillGone, evidenceNotes: notes, [MEMORY_OUTPUT]: nextMemory };
}

/**
 * Lets the registrations already declared reach the engine before anything else is declared.
 * The engine starts steps in the order registrations arrive, a bounded number at a time, and a
 * NetworkPolicy's registration takes a few more promise turns than a snapshot's (its aliases):
 * without this, at 200 pods the deny-all arrives behind a hundred snapshots that each hold a
 * slot until they are ready. It waits for nothing to be created.
 */
async function registrationsSent(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A pod that can reach past NetworkPolicy or out of its sandbox (hostNetwork, privileged, …) is
 * contained only by its node's cut-off: the node is then cut off at once, whatever
 * `quarantine:nodeIsolation` says, and preview says why.
 */
function nodeIsTheBoundary(cfg: QuarantineConfig, found: Incident): { cfg: QuarantineConfig; hostLevelPods: string[] } {
    const hostLevel = found.pods.filter((p) => (p.hostAccess ?? []).length > 0);
    const hostLevelPods = hostLevel.map((p) => `${p.ref.namespace}/${p.ref.name}: ${(p.hostAccess ?? []).join(", ")}`);
    if (hostLevel.length === 0) return { cfg, hostLevelPods };
    const forced = reaches(cfg.level, "isolate") && cfg.nodeIsolation === "after-drain";
    for (const p of hostLevel) {
        void pulumi.log.warn(
            `quarantine:pods[${p.configIndex}] ${p.ref.namespace}/${p.ref.name} can reach past its NetworkPolicy or its sandbox (${(p.hostAccess ?? []).join(", ")}): ` +
                `only its node's cut-off and quarantine:level delete-node contain it` +
                (forced ? "; quarantine:nodeIsolation after-drain is overridden: the node is cut off at once, and its volatile state is not captured" : ""),
        );
    }
    return { cfg: forced ? { ...cfg, nodeIsolation: "immediate" } : cfg, hostLevelPods };
}

/** Warns about what weakens the pods' isolation; returns the NetworkPolicy enforcement finding. */
function warnings(cfg: QuarantineConfig, found: Incident): string {
    if (!cfg.detachLabels) {
        void pulumi.log.warn(
            "quarantine:detachLabels is false: any existing NetworkPolicy that selects the pod's labels and allows traffic overrides the deny-all.",
        );
    }
    if (found.cluster) return `verified on cluster ${found.cluster.name}`;
    void pulumi.log.warn(
        "NetworkPolicy enforcement was not verified: without it the pod's deny-all policy is a silent no-op. " +
            "Set quarantine:cluster.name and quarantine:cluster.location so preview checks it.",
    );
    return "not verified: set quarantine:cluster.name and quarantine:cluster.location";
}
