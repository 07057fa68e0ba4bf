import * as pulumi from "@pulumi/pulumi";
import { ImageBlock } from "../../components/imageBlock";
import type { IncidentNames } from "../../core/incidentNames";
import { isDestructive, reaches } from "../../core/levels";
import type { QuarantineConfig } from "../config";
import type { ImageDiscovery } from "./imagePods";
import type { QuarantineOutputs } from "./outputs";

export interface ImageContainment {
    /** The admission policy and its binding: the pods' deletion waits for them, so no controller recreates the image in between. */
    readonly blocked: pulumi.Resource[];
    readonly outputs: Pick<QuarantineOutputs, "imagePods" | "blockedImages">;
}

/**
 * `quarantine:images` beyond discovery: from `isolate` up, the admission policy that blocks the
 * images (declared after the pods' isolation, which it never delays); at the destructive levels,
 * what deleting the found pods means for their controllers, said in preview.
 */
export function blockImages(cfg: QuarantineConfig, names: IncidentNames, images: ImageDiscovery | undefined): ImageContainment {
    if (cfg.images.length === 0 || !images) return { blocked: [], outputs: {} };
    const outputs = { imagePods: images.byNode, blockedImages: [...cfg.images] };
    if (!reaches(cfg.level, "isolate")) {
        void pulumi.log.warn(`quarantine:level observe does not block ${cfg.images.join(", ")}: new pods can still start it; the admission policy comes with quarantine:level isolate`);
        return { blocked: [], outputs };
    }
    const block = new ImageBlock(`${names.id}/images`, { names, images: cfg.images });
    if (isDestructive(cfg.level) && images.quarantined.length > 0) {
        void pulumi.log.warn(
            `quarantine:level ${cfg.level} deletes the pods that run a blocked image (${images.quarantined.join(", ")}) after the evidence and the image block: ` +
                `their controllers can't bring the image back past the admission policy quarantine-${names.id}-block-images, which refuses a replacement that still uses it, so the workload stays short of those replicas until its image is changed`,
        );
    }
    return { blocked: block.blocked, outputs };
}
