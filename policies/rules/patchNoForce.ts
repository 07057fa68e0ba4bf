import { resourceRule } from "../lib/policy";

const PATCH_FORCE = "pulumi.com/patchForce";

interface PatchProps {
    readonly metadata?: { readonly annotations?: Record<string, string> };
}

/**
 * Patches are server-side apply with a field manager per incident. `patchForce` takes fields from
 * their other managers: another incident's cordon on the same node, or the cluster's own
 * controllers. Two incidents must be able to co-own a node, so no patch forces.
 */
export const patchNoForce = resourceRule({
    name: "patch-no-force",
    description: `Patch resources never set the ${PATCH_FORCE} annotation.`,
    appliesTo: (type) => /^kubernetes:[^:]+:[A-Za-z0-9]+Patch$/.test(type),
    scope: "Kubernetes patch resources",
    check: (r, report) => {
        const annotations = (r.props as PatchProps).metadata?.annotations ?? {};
        if (Object.keys(annotations).includes(PATCH_FORCE)) {
            report(`sets ${PATCH_FORCE} (${JSON.stringify(annotations[PATCH_FORCE])}): a forced apply takes fields from their other managers (another incident's cordon, the cluster's controllers); remove it`);
        }
    },
});
