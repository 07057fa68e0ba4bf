import type { KubeFake } from "./kube";
import type { ResDef } from "./kubeResources";

/**
 * CustomResourceDefinitions for the Kubernetes fake: a CRD object put into its state makes the
 * fake serve its resource (discovery included), read-only, as an API server does once a CRD is
 * established. `POLICY_CRDS` are the policy kinds the cluster policy check reads, with the group,
 * version and names of each project's published CRD.
 */

interface CrdSpec {
    readonly group: string;
    readonly version: string;
    readonly kind: string;
    readonly plural: string;
    readonly namespaced: boolean;
    readonly short?: string[];
}

export const POLICY_CRDS = {
    GlobalNetworkPolicy: { group: "crd.projectcalico.org", version: "v1", kind: "GlobalNetworkPolicy", plural: "globalnetworkpolicies", namespaced: false },
    CiliumClusterwideNetworkPolicy: { group: "cilium.io", version: "v2", kind: "CiliumClusterwideNetworkPolicy", plural: "ciliumclusterwidenetworkpolicies", namespaced: false, short: ["ccnp"] },
    AdminNetworkPolicy: { group: "policy.networking.k8s.io", version: "v1alpha1", kind: "AdminNetworkPolicy", plural: "adminnetworkpolicies", namespaced: false, short: ["anp"] },
    BaselineAdminNetworkPolicy: { group: "policy.networking.k8s.io", version: "v1alpha1", kind: "BaselineAdminNetworkPolicy", plural: "baselineadminnetworkpolicies", namespaced: false, short: ["banp"] },
    FQDNNetworkPolicy: { group: "networking.gke.io", version: "v1alpha1", kind: "FQDNNetworkPolicy", plural: "fqdnnetworkpolicies", namespaced: true },
} as const satisfies Record<string, CrdSpec>;

export type PolicyKind = keyof typeof POLICY_CRDS;

/** Installs the CRD of `kind`; then `kube.put(plural, obj)` adds its objects. */
export function installCrd(kube: KubeFake, kind: PolicyKind): void {
    const c: CrdSpec = POLICY_CRDS[kind];
    kube.put("customresourcedefinitions", {
        metadata: { name: `${c.plural}.${c.group}` },
        spec: {
            group: c.group,
            scope: c.namespaced ? "Namespaced" : "Cluster",
            names: { kind: c.kind, plural: c.plural, singular: c.kind.toLowerCase(), listKind: `${c.kind}List`, shortNames: c.short ?? [] },
            versions: [{ name: c.version, served: true, storage: true }],
        },
        status: { conditions: [{ type: "Established", status: "True" }] },
    });
}

/** The resources the CRDs in `crds` serve, by plural (a built-in resource of the same plural wins, in kube.ts). */
export function servedByCrds(crds: any[]): Record<string, ResDef> {
    const out: Record<string, ResDef> = {};
    for (const crd of crds) {
        const s = crd.spec;
        const version = (s.versions as { name: string; served: boolean }[]).find((v) => v.served)?.name;
        if (!version) continue;
        out[s.names.plural] = {
            group: s.group,
            version,
            kind: s.names.kind,
            namespaced: s.scope === "Namespaced",
            singular: s.names.singular,
            short: s.names.shortNames ?? [],
            verbs: ["get", "list"],
        };
    }
    return out;
}
