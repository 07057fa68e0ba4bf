import * as pulumi from "@pulumi/pulumi";

/** What an incident stack takes from its readiness stack (`quarantine:readinessStack`). */
export interface ReadinessReference {
    /** The StackReference itself: the policy pack's `containment-complete` trusts a stack that reads one. */
    readonly ref: pulumi.StackReference;
    /** The `prestagedContainment` output as exported, unvalidated: `chooseContainment` validates it. */
    readonly prestaged: unknown;
    /** The `evidenceBucket` output: the bucket to write to when `quarantine:evidenceBucket` is unset. */
    readonly evidenceBucket?: string;
}

/**
 * Reads the readiness stack `stack` (`<organization>/quarantine-readiness/<stack>`) as resource
 * `name`. The values are awaited, not kept as Outputs, because they decide which resources the
 * incident declares (its own firewall rules or none), and registering resources inside an
 * `apply` would hide them from preview. A StackReference is read in preview too, so the plan
 * shows the real choice. A stack that can't be read fails the update, naming it.
 */
export async function readReadinessStack(name: string, stack: string, opts?: pulumi.CustomResourceOptions): Promise<ReadinessReference> {
    const ref = new pulumi.StackReference(name, { name: stack }, opts);
    // The outputs' own promise: a read's value is there in preview too, where getOutputDetails
    // answers undefined for a value the engine marks as not yet known.
    const outputs = ((await (ref.outputs as unknown as { promise(): Promise<Record<string, unknown> | undefined> }).promise()) ?? {}) as Record<string, unknown>;
    const bucket = outputs.evidenceBucket;
    return { ref, prestaged: outputs.prestagedContainment, ...(typeof bucket === "string" ? { evidenceBucket: bucket } : {}) };
}
