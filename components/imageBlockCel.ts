import { formatImageRef, imageMatcher, parseImageRef, SAFE_MATCHER } from "./imageReference";

/**
 * The ValidatingAdmissionPolicy that blocks the incident's images, as plain data: its variables
 * and validation in CEL, and what it matches. Kept to core CEL (has, map, filter, matches, size,
 * `?:`, list `+`) so that an npm CEL evaluator and the API server read it alike; the blocked list
 * is inline (no params: under failurePolicy Fail a missing parameter object would deny every pod
 * of the cluster).
 *
 * Every selection is guarded with `has()`: under failurePolicy Fail an evaluation error denies
 * the request, so an expression that errors on an object shape it did not expect would block
 * unrelated pods cluster-wide.
 */

/** The resources whose (pod template) images the policy checks. */
export const BLOCKED_RESOURCES = [
    { apiGroups: [""], resources: ["pods", "pods/ephemeralcontainers"] },
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
    { apiGroups: ["batch"], resources: ["jobs", "cronjobs"] },
] as const;

export const BLOCKED_OPERATIONS = ["CREATE", "UPDATE"] as const;

export interface ImageBlockCel {
    readonly variables: { readonly name: string; readonly expression: string }[];
    readonly validation: { readonly expression: string; readonly messageExpression: string; readonly message: string; readonly reason: string };
}

/** `has(a.b) && has(a.b.c)`: true when every step of the path exists. */
function hasPath(root: string, path: readonly string[]): string {
    return path.map((_, i) => `has(${[root, ...path.slice(0, i + 1)].join(".")})`).join(" && ");
}

/** Every container of the pod spec at `spec` (a guarded path), init and ephemeral ones included. */
function containersOf(spec: string): string {
    return ["containers", "initContainers", "ephemeralContainers"].map((f) => `(has(${spec}.${f}) ? ${spec}.${f} : [])`).join(" + ");
}

/** The pod spec of the object as a path from `object`, by kind: a Pod's own, a CronJob's job template's, any other workload's template's. */
function specContainers(path: readonly string[]): string {
    return `(${hasPath("object", path)}) ? ${containersOf(["object", ...path].join("."))} : []`;
}

/**
 * Checks each blocked reference against a strict pattern (it must be a normalised reference, and
 * its matcher only the characters a regex of ours uses) before it is written into the CEL: a
 * quote or backslash in there would change the expression, not the list.
 */
export function imageBlockCel(incident: string, blocked: readonly string[]): ImageBlockCel {
    if (blocked.length === 0) throw new Error("an image block needs at least one image");
    if (!/^[a-z0-9-]+$/.test(incident)) throw new Error(`incident id ${JSON.stringify(incident)} can't be written into the CEL`);
    const matchers = blocked.map((ref) => {
        const r = parseImageRef(ref);
        if ("problem" in r || formatImageRef(r) !== ref) throw new Error(`${JSON.stringify(ref)} is not a normalised image reference; refusing to write it into the admission policy`);
        const m = imageMatcher(r);
        if (!SAFE_MATCHER.test(m)) throw new Error(`the matcher of ${ref} has characters that can't go into a CEL string: ${m}`);
        return m;
    });
    const containers =
        `object.kind == 'Pod' ? (${specContainers(["spec"])}) : ` +
        `object.kind == 'CronJob' ? (${specContainers(["spec", "jobTemplate", "spec", "template", "spec"])}) : ` +
        `(${specContainers(["spec", "template", "spec"])})`;
    const list = blocked.join(", ");
    return {
        variables: [
            { name: "containers", expression: containers },
            { name: "images", expression: "variables.containers.filter(c, has(c.image)).map(c, c.image)" },
            { name: "blocked", expression: `variables.images.filter(i, ${matchers.map((m) => `i.matches('${m}')`).join(" || ")})` },
        ],
        validation: {
            expression: "size(variables.blocked) == 0",
            messageExpression: `'image ' + variables.blocked[0] + ' is blocked by quarantine incident ${incident} (a malicious image under investigation)'`,
            message: `an image blocked by quarantine incident ${incident}: ${list}`,
            reason: "Forbidden",
        },
    };
}
