import * as pulumi from "@pulumi/pulumi";
import { shellRead } from "../../components/shell";
import type { PodRef, QuarantineConfig } from "../config";
import { DiscoveryError } from "./facts";
import { parseListing, podKey, podsRunning, PODS_TEMPLATE, type ImageHit } from "./imageMatch";
import type { Memory } from "./memory";
import { settle } from "./settle";

/** What `quarantine:images` found: the stack's `imagePods` output and what the next update remembers. */
export interface ImageDiscovery {
    /** The config with the found pods added to `pods`: from here on each is a pod like any named one. */
    readonly cfg: QuarantineConfig;
    /** Per node, every pod quarantined for a blocked image and the images it matched. */
    readonly byNode: Record<string, { pod: string; images: string[] }[]>;
    /** The pods this update quarantines because of `quarantine:images` (remembered by the next one). */
    readonly quarantined: string[];
}

/**
 * Discovery for a malicious image (seed 003: "Find all pods using the image"): every pod of the
 * cluster is listed once, through `kubernetes:context`, and each that runs a blocked image (spec,
 * status image or imageID) is added to `quarantine:pods`, so it is quarantined exactly as a named
 * pod, its node once. A pod an earlier update found this way stays in the quarantine from the
 * stack's memory when it is gone now (deleted by `redeploy`, or by an attacker): otherwise its
 * node's quarantine would be lifted while its container may still run there.
 */
export async function findImagePods(cfg: QuarantineConfig, memory?: Memory): Promise<ImageDiscovery> {
    if (cfg.images.length === 0) return { cfg, byNode: {}, quarantined: [] };
    const listing = shellRead(
        { step: "List every pod's images and digests, to find the blocked ones", script: "pods-by-image" },
        { CONTEXT: cfg.kubeContext, PODS_TEMPLATE },
    );
    const hits = podsRunning(parseListing(await settle(listing, "quarantine:images: the cluster's pod listing")), cfg.images);

    const named = new Set(cfg.pods.map(podKey));
    const excluded = new Set(cfg.imageExclude.map(podKey));
    const unscheduled = hits.filter((h) => !h.node && !excluded.has(podKey(h.ref)));
    for (const h of unscheduled) {
        // Admission acts on new objects only: this pod exists already and runs once it is scheduled.
        void pulumi.log.warn(
            `${podKey(h.ref)} uses blocked image ${h.blocked.join(", ")} but is not scheduled, so it has no node to quarantine: the admission policy can't stop an existing pod; delete it (kubectl delete pod -n ${h.ref.namespace} ${h.ref.name})`,
        );
    }
    const running = hits.filter((h) => h.node && !excluded.has(podKey(h.ref)));
    const remembered = rememberedHits(memory, new Set(running.map((h) => podKey(h.ref))), excluded);
    const all = [...running, ...remembered];
    if (hits.length === 0 && remembered.length === 0) {
        throw new DiscoveryError(
            `quarantine:images ${JSON.stringify(cfg.images)} matches no pod in the cluster (spec images, status images and imageIDs of every pod, through kubernetes:context ${cfg.kubeContext}): ` +
                `check each reference (a tag blocks that tag only; a bare name every tag; a digest that content), or name the pods or nodes instead, e.g. pulumi config set --path 'quarantine:pods[0]' default/web-5d9f`,
        );
    }
    if (all.length === 0 && cfg.pods.length === 0 && cfg.nodes.length === 0) {
        // Only excluded or unscheduled pods run it: no node to quarantine, and nothing else named.
        throw new DiscoveryError(
            `quarantine:images ${JSON.stringify(cfg.images)} matches only pods that quarantine:imageExclude excludes or that are not scheduled (${hits.map((h) => podKey(h.ref)).join(", ")}): there is no node to quarantine; name a pod or node too, e.g. pulumi config set --path 'quarantine:nodes[0]' <node>`,
        );
    }
    cfg.images.forEach((ref, i) => {
        if (!hits.some((h) => h.blocked.includes(ref))) void pulumi.log.warn(`quarantine:images[${i}] ${ref} matches no pod in the cluster: check the reference; it is blocked all the same`);
    });
    cfg.imageExclude.forEach((p, i) => {
        if (!hits.some((h) => podKey(h.ref) === podKey(p))) void pulumi.log.warn(`quarantine:imageExclude[${i}] ${podKey(p)} runs no blocked image: nothing to exclude`);
    });

    const added: PodRef[] = all.filter((h) => !named.has(podKey(h.ref))).map((h) => h.ref);
    const byNode: ImageDiscovery["byNode"] = {};
    for (const h of all) {
        const node = h.node ?? "?";
        (byNode[node] ??= []).push({ pod: podKey(h.ref), images: [...h.blocked] });
        const index = named.has(podKey(h.ref)) ? cfg.pods.findIndex((p) => podKey(p) === podKey(h.ref)) : cfg.pods.length + added.findIndex((p) => podKey(p) === podKey(h.ref));
        // The index is how every later message names the pod (quarantine:pods[N]).
        const what = h.blocked.length > 0 ? `runs ${h.blocked.join(", ")}` : "ran a blocked image when an earlier update found it";
        void pulumi.log.info(`quarantine:images: ${podKey(h.ref)} on node ${node} ${what}; quarantined as quarantine:pods[${index}]`);
    }
    return { cfg: { ...cfg, pods: [...cfg.pods, ...added] }, byNode, quarantined: all.map((h) => podKey(h.ref)) };
}

/** Pods an earlier update quarantined for a blocked image that this listing no longer shows running. */
function rememberedHits(memory: Memory | undefined, runningNow: ReadonlySet<string>, excluded: ReadonlySet<string>): ImageHit[] {
    const hits: ImageHit[] = [];
    for (const key of memory?.imagePods ?? []) {
        if (runningNow.has(key) || excluded.has(key)) continue;
        const known = memory?.incident.pods.find((p) => podKey(p.ref) === key);
        if (known) hits.push({ ref: known.ref, node: known.nodeName, blocked: [] });
    }
    return hits;
}
