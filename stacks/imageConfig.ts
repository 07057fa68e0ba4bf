import { matchingRefs } from "../components/imageReference";
import type { PodRef } from "./configSchema";
import { show } from "./configProblems";

/**
 * The cross-key checks of `quarantine:images` and `quarantine:imageExclude`, run by `config.ts`
 * once the schema has parsed (the references are normalised by then).
 */
export function imageProblems(d: {
    readonly images: readonly string[];
    readonly imageExclude: readonly PodRef[];
    readonly pods: readonly PodRef[];
    readonly capture: { readonly debugImage: string };
}): string[] {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    d.images.forEach((ref, i) => {
        const first = seen.get(ref);
        // `nginx` and `docker.io/library/nginx` are one image: blocked twice, it was meant once.
        if (first !== undefined) problems.push(`quarantine:images[${i}] ${show(ref)} is quarantine:images[${first}] again once normalised; list each image once`);
        else seen.set(ref, i);
    });
    if (d.imageExclude.length > 0 && d.images.length === 0) {
        problems.push(
            `quarantine:imageExclude ${show(d.imageExclude.map(key))} excludes pods from quarantine:images, which is unset; e.g. pulumi config set --path 'quarantine:images[0]' docker.io/library/nginx:1.25, or pulumi config rm quarantine:imageExclude`,
        );
    }
    const named = new Set(d.pods.map(key));
    const excluded = new Set<string>();
    d.imageExclude.forEach((p, i) => {
        if (named.has(key(p))) {
            problems.push(`quarantine:imageExclude[${i}] ${show(key(p))} is also in quarantine:pods: a pod is either quarantined or excluded; remove it from one of them`);
        }
        if (excluded.has(key(p))) problems.push(`quarantine:imageExclude[${i}] ${show(key(p))} is listed twice; list each pod once`);
        excluded.add(key(p));
    });
    // The admission policy would deny the quarantine's own capture pod.
    const blocksCapture = matchingRefs(d.capture.debugImage, d.images);
    if (blocksCapture.length > 0) {
        problems.push(
            `quarantine:capture.debugImage ${show(d.capture.debugImage)} is blocked by quarantine:images (${blocksCapture.join(", ")}): the node capture pod would be refused; e.g. pulumi config set --path quarantine:capture.debugImage busybox:1.36`,
        );
    }
    return problems;
}

function key(p: PodRef): string {
    return `${p.namespace}/${p.name}`;
}
