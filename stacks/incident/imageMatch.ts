import { isK8sSubdomain, K8S_DNS_LABEL } from "../../components/naming";
import { matchingRefs } from "../../components/imageReference";
import type { PodRef } from "../config";

/**
 * Pure interpretation of the cluster's pod listing (`pods-by-image.read.sh`) against
 * `quarantine:images`: which pods run a blocked image, by spec or by the digest in their status.
 * Free of Pulumi so it is tested with tables.
 */

/** One pod of the listing, decoded. */
export interface ListedPod {
    readonly ref: PodRef;
    /** Unset while the pod is not scheduled. */
    readonly node?: string;
    /** Spec images of every container, init and ephemeral container. */
    readonly images: readonly string[];
    /** From the status: the image each container runs and its imageID (the digest a tag resolved to). */
    readonly running: readonly string[];
}

/** A pod that runs a blocked image, and which of the blocked references it matched. */
export interface ImageHit {
    readonly ref: PodRef;
    readonly node?: string;
    /** The normalised `quarantine:images` entries it matched. */
    readonly blocked: readonly string[];
}

/**
 * The Go template of the read: one JSON object a line, every value urlquery-escaped (so it holds
 * only letters, digits, `%XX`, `+`, `-`, `_`, `.`, `~`), a list's first element an empty string
 * (a Go template can't tell the first of three ranges apart).
 */
export const PODS_TEMPLATE =
    '{{range .items}}{"namespace":"{{urlquery .metadata.namespace}}","name":"{{urlquery .metadata.name}}","node":"{{with .spec.nodeName}}{{urlquery .}}{{end}}",' +
    '"images":[""{{range .spec.containers}},"{{with .image}}{{urlquery .}}{{end}}"{{end}}{{range .spec.initContainers}},"{{with .image}}{{urlquery .}}{{end}}"{{end}}' +
    '{{range .spec.ephemeralContainers}},"{{with .image}}{{urlquery .}}{{end}}"{{end}}],' +
    '"running":[""{{range .status.containerStatuses}},"{{with .image}}{{urlquery .}}{{end}}","{{with .imageID}}{{urlquery .}}{{end}}"{{end}}' +
    '{{range .status.initContainerStatuses}},"{{with .image}}{{urlquery .}}{{end}}","{{with .imageID}}{{urlquery .}}{{end}}"{{end}}' +
    '{{range .status.ephemeralContainerStatuses}},"{{with .image}}{{urlquery .}}{{end}}","{{with .imageID}}{{urlquery .}}{{end}}"{{end}}]}\n{{end}}';

/** Go's `urlquery` (QueryEscape) undone: `+` is a space, `%XX` a byte. */
function unescape(s: string): string {
    return decodeURIComponent(s.replace(/\+/g, " "));
}

/**
 * The listing's pods. A line that is not one of the template's objects, or whose names are not
 * Kubernetes names, fails the read: the listing is the cluster's word on what runs the image, and
 * a garbled one must not quietly leave a pod out.
 */
export function parseListing(stdout: string): ListedPod[] {
    const pods: ListedPod[] = [];
    for (const line of stdout.split("\n").filter((l) => l.trim() !== "")) {
        let raw: { namespace?: unknown; name?: unknown; node?: unknown; images?: unknown; running?: unknown };
        try {
            raw = JSON.parse(line) as typeof raw;
        } catch {
            throw new Error(`the pod listing has a line that is not JSON: ${line.slice(0, 200)}`);
        }
        const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").map(unescape).filter((x) => x !== "") : []);
        const namespace = typeof raw.namespace === "string" ? unescape(raw.namespace) : "";
        const name = typeof raw.name === "string" ? unescape(raw.name) : "";
        const node = typeof raw.node === "string" ? unescape(raw.node) : "";
        if (!K8S_DNS_LABEL.test(namespace) || !isK8sSubdomain(name) || (node !== "" && !isK8sSubdomain(node))) {
            throw new Error(`the pod listing names a pod that is not a Kubernetes pod name: ${line.slice(0, 200)}`);
        }
        pods.push({ ref: { namespace, name }, ...(node ? { node } : {}), images: strings(raw.images), running: strings(raw.running) });
    }
    return pods;
}

/** The pods that run one of `refs` (normalised), by a spec image, a status image or an imageID. */
export function podsRunning(pods: readonly ListedPod[], refs: readonly string[]): ImageHit[] {
    const hits: ImageHit[] = [];
    for (const p of pods) {
        const blocked = [...new Set([...p.images, ...p.running].flatMap((image) => matchingRefs(image, refs)))];
        if (blocked.length > 0) hits.push({ ref: p.ref, ...(p.node ? { node: p.node } : {}), blocked: refs.filter((r) => blocked.includes(r)) });
    }
    return hits;
}

/** `namespace/name`. */
export function podKey(ref: PodRef): string {
    return `${ref.namespace}/${ref.name}`;
}
