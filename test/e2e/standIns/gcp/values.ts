/**
 * STAND-IN gcp provider (see ../README.md): property values as the Node provider server hands
 * them over, and the resource shape every implemented type follows.
 */
import { isDeepStrictEqual } from "node:util";

export type Bag = Record<string, any>;

// The engine sends secrets as signature-tagged objects and, in a preview, unknowns as a sentinel.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const isSecret = (v: any): boolean => typeof v === "object" && v !== null && v[SIG] === SECRET_SIG;

/** The value with every secret wrapper removed: what is sent to the API. */
export function reveal(v: any): any {
    if (isSecret(v)) return reveal(v.value);
    if (Array.isArray(v)) return v.map(reveal);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
    return v;
}

export const containsUnknown = (v: any): boolean =>
    v === UNKNOWN || (typeof v === "object" && v !== null && Object.values(v).some(containsUnknown));

/** Drops unset optionals: the Node provider server refuses `undefined` in a Struct. */
export const defined = (bag: Bag): Bag => Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== undefined && v !== null));

/** One resource type: the Terraform schema facts the bridge's check and diff use, and its CRUD. */
export interface ResourceType {
    /** Every input property (the SDK's camelCase names). */
    readonly inputs: readonly string[];
    /** Required inputs. */
    readonly required: readonly string[];
    /** Inputs whose change forces a new resource (ForceNew in the Terraform schema). */
    readonly forceNew: readonly string[];
    /** Optional+Computed inputs: when unset, the value the API chose is kept, not diffed. */
    readonly computed: readonly string[];
    /**
     * Inputs whose API answer adds computed sub-fields (a NIC's IP, a boot disk's source): they
     * change when a field the program sets changes, not when the API adds one.
     */
    readonly partial?: readonly string[];
    /** Defaults the schema fills in at check time. */
    readonly defaults?: Bag;
    /** A check of the whole input bag beyond types; returns failure reasons by property. */
    validate?(inputs: Bag): { property: string; reason: string }[];
    create(inputs: Bag): Promise<{ id: string; outs: Bag }>;
    /** The current outputs, or undefined when the resource is gone. */
    read(id: string, state: Bag): Promise<Bag | undefined>;
    update(id: string, olds: Bag, news: Bag): Promise<Bag>;
    /** Deletes it in the API; not called for deletionPolicy ABANDON. */
    delete(id: string, state: Bag): Promise<void>;
}

/** Unset, or an empty list or map: Terraform does not tell these apart. */
const empty = (v: any): boolean => v === undefined || v === null || (typeof v === "object" && Object.keys(v).length === 0);

/** Whether every field set in `n` has the same value in `o` (recursively; lists element by element). */
function covers(o: any, n: any): boolean {
    if (typeof n !== "object" || n === null || typeof o !== "object" || o === null) return isDeepStrictEqual(o, n);
    if (Array.isArray(n)) return Array.isArray(o) && o.length === n.length && n.every((x, i) => covers(o[i], x));
    return Object.entries(n).every(([k, x]) => covers(o[k], x));
}

/** Which inputs changed, the way the bridge's diff over a Terraform plan sees it. */
export function changedInputs(t: ResourceType, olds: Bag, news: Bag): string[] {
    return t.inputs.filter((k) => {
        const n = news[k];
        if (empty(n)) return t.computed.includes(k) ? false : !empty(olds[k]);
        if (containsUnknown(n)) return true;
        return t.partial?.includes(k) ? !covers(reveal(olds[k]), reveal(n)) : !isDeepStrictEqual(reveal(olds[k]), reveal(n));
    });
}

/** The attribution label pulumi-gcp adds to every labelled resource (`addPulumiAttributionLabel`, default on). */
export const ATTRIBUTION = { "goog-pulumi-provisioned": "true" };

/** labels, effectiveLabels (sent to the API) and pulumiLabels, as the real provider's outputs have them. */
export function labelOutputs(labels: Bag | undefined): Bag {
    const own = reveal(labels ?? {});
    return { effectiveLabels: { ...own, ...ATTRIBUTION }, pulumiLabels: { ...own, ...ATTRIBUTION } };
}
