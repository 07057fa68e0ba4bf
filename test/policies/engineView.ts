import * as pulumi from "@pulumi/pulumi";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { POLICIES } from "../../policies/policies";
import type { RunResult } from "../../tools/mockEngine/engine";
import { NotApplicable, resourceArgs, skipReason, stackArgs, stackViolations, UNKNOWN, violations, type Declared } from "./args";

/**
 * What the engine would hand the pack for one recorded run: every resource the program registered
 * or read, plus what the engine adds on its own (the root stack, a default provider per package),
 * with values unknown at preview as the engine's sentinels.
 */
export interface EngineResource extends Declared {
    readonly urn: string;
    /** A read (`Pod.get`): in `analyzeStack`, never in `analyze`. */
    readonly read: boolean;
    readonly dependsOn: readonly string[];
}

/** Replaces the SDK's unknowns with the wire sentinel and drops undefined, as the engine does. */
function wire(v: any): any {
    if (pulumi.isUnknown(v)) return UNKNOWN;
    if (Array.isArray(v)) return v.map(wire);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, wire(x)]));
    }
    return v;
}

export function engineView(result: RunResult, stack = "incident-42"): EngineResource[] {
    const root: EngineResource = {
        type: "pulumi:pulumi:Stack",
        name: `quarantine-${stack}`,
        urn: `urn:pulumi:${stack}::quarantine::pulumi:pulumi:Stack::quarantine-${stack}`,
        props: {},
        read: false,
        dependsOn: [],
    };
    const packages = [...new Set(result.resources.filter((r) => r.custom).map((r) => r.type.split(":")[0]))];
    const providers: EngineResource[] = packages.map((pkg) => ({
        type: `pulumi:providers:${pkg}`,
        name: "default",
        urn: `urn:pulumi:${stack}::quarantine::pulumi:providers:${pkg}::default`,
        props: {},
        read: false,
        dependsOn: [],
    }));
    const program: EngineResource[] = result.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: wire(r.inputs),
        read: r.read,
        dependsOn: r.dependencies,
        parent: r.parent || root.urn,
        ...(r.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    }));
    return [root, ...providers, ...program];
}

const isResourcePolicy = (p: unknown): p is ResourceValidationPolicy => (p as ResourceValidationPolicy).validateResource !== undefined;
const isStackPolicy = (p: unknown): p is StackValidationPolicy => (p as StackValidationPolicy).validateStack !== undefined;

/**
 * Runs the whole pack as the engine would: every resource policy over each registered resource
 * (`analyze`; reads are not analyzed) and every stack policy over all of them (`analyzeStack`).
 * Returns `policy urn: message` lines.
 */
export async function evaluate(view: readonly EngineResource[]): Promise<string[]> {
    const found: string[] = [];
    for (const p of POLICIES) {
        if (isResourcePolicy(p)) {
            for (const r of view.filter((x) => !x.read)) {
                try {
                    for (const m of await violations(p, resourceArgs(r))) found.push(`${p.name} ${r.urn}: ${m}`);
                } catch (e) {
                    if (!(e instanceof NotApplicable)) throw e;
                }
            }
        }
        if (isStackPolicy(p)) {
            for (const v of await stackViolations(p, stackArgs(view))) found.push(`${p.name} ${v.urn}: ${v.message}`);
        }
    }
    return found;
}

/** For each resource policy, how many resources of `view` it checked (did not skip). */
export async function coverage(view: readonly EngineResource[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const p of POLICIES.filter(isResourcePolicy)) {
        counts[p.name] = 0;
        for (const r of view.filter((x) => !x.read)) {
            if ((await skipReason(p, resourceArgs(r))) === undefined) counts[p.name]++;
        }
    }
    return counts;
}
