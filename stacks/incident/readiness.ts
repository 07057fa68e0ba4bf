import * as pulumi from "@pulumi/pulumi";
import { readReadinessStack, type ReadinessReference } from "../../components/readiness/readinessReference";
import type { QuarantineConfig } from "../config";
import { BUCKET_NAME } from "../configSchema";
import { DiscoveryError } from "./facts";


/**
 * The readiness stack `quarantine:readinessStack` names, read once (a StackReference, shown in
 * preview): its pre-staged firewall rules and its evidence bucket. Read with discovery, before
 * anything is registered: a stack that can't be read is a refusal naming the key, like a bad
 * value. (Read later, its failed read would reject the reference's outputs beyond the program's
 * reach, and the language host would end the program before the node's cut-off is declared.)
 */
export async function readReadiness(cfg: QuarantineConfig, id: string): Promise<ReadinessReference | undefined> {
    if (!cfg.readinessStack) return undefined;
    try {
        const r = await readReadinessStack(`${id}/read/readiness`, cfg.readinessStack);
        if (r.evidenceBucket === undefined || BUCKET_NAME.test(r.evidenceBucket)) return r;
        // It becomes a gcloud argument and an object path: checked like quarantine:evidenceBucket.
        void pulumi.log.warn(`readiness stack ${cfg.readinessStack} exports evidenceBucket ${JSON.stringify(r.evidenceBucket)}, which is not a bucket name: this incident creates its own`);
        return { ref: r.ref, prestaged: r.prestaged };
    } catch (e) {
        throw new DiscoveryError(
            `quarantine:readinessStack ${JSON.stringify(cfg.readinessStack)} could not be read (${e instanceof Error ? e.message.split("\n")[0] : String(e)}): ` +
                `name the readiness stack as <organization>/quarantine-readiness/<stack> on this backend, or unset it (pulumi config rm quarantine:readinessStack)`,
        );
    }
}
