import * as policy from "@pulumi/policy";
import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";

/**
 * Builds the argument bags @pulumi/policy's server hands a policy, offline: properties behind the
 * server's own unknown-checking proxy, `stackTags`, and a `notApplicable` that throws.
 */

/** What the engine sends for a value unknown at preview (its string, array and number sentinels). */
export const UNKNOWN: string = (proxyModule as any).unknownStringValue;
export const UNKNOWN_ARRAY: string = (proxyModule as any).unknownArrayValue;
export const UNKNOWN_NUMBER: string = (proxyModule as any).unknownNumberValue;
const unknownCheckingProxy: (props: Record<string, any>) => Record<string, any> = (policy as any).unknownCheckingProxy;

export const STACK = "incident-42";

export function urnOf(type: string, name: string, stack = STACK): string {
    return `urn:pulumi:${stack}::quarantine::${type}::${name}`;
}

export class NotApplicable extends Error {}

export interface Declared {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, any>;
    /** Defaults to a URN in stack `incident-42`. */
    readonly urn?: string;
    readonly deleteBeforeReplace?: boolean;
    /** Logical names (or URNs) this resource waits for; stack args only. */
    readonly dependsOn?: readonly string[];
    readonly parent?: string;
}

export interface Stack {
    readonly name?: string;
    readonly tags?: Record<string, string>;
}

function options(d: Declared): PolicyResourceOptions {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(d.deleteBeforeReplace === undefined ? {} : { deleteBeforeReplace: d.deleteBeforeReplace }),
    };
}

const typeOf = (cls: any): string | undefined => cls?.__pulumiType;

export function resourceArgs(d: Declared, stack: Stack = {}): ResourceValidationArgs {
    const props = unknownCheckingProxy(d.props);
    return {
        type: d.type,
        name: d.name,
        urn: d.urn ?? urnOf(d.type, d.name, stack.name),
        props,
        opts: options(d),
        stackTags: new Map(Object.entries(stack.tags ?? {})),
        isType: (cls) => typeOf(cls) === d.type,
        asType: (cls) => (typeOf(cls) === d.type ? (props as any) : undefined),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

export function stackArgs(declared: readonly Declared[], stack: Stack = {}): StackValidationArgs {
    const urn = (d: Declared) => d.urn ?? urnOf(d.type, d.name, stack.name);
    const resources: PolicyResource[] = declared.map((d) => {
        const props = unknownCheckingProxy(d.props);
        return {
            type: d.type,
            name: d.name,
            urn: urn(d),
            props,
            opts: options(d),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => typeOf(cls) === d.type,
            asType: (cls) => (typeOf(cls) === d.type ? (props as any) : undefined),
        };
    });
    const find = (ref: string) => resources.find((r) => r.urn === ref || r.name === ref);
    declared.forEach((d, i) => {
        for (const ref of d.dependsOn ?? []) {
            const dep = find(ref);
            if (!dep) throw new Error(`${d.name} depends on ${ref}, which is not declared`);
            resources[i].dependencies.push(dep);
        }
        if (d.parent) resources[i].parent = find(d.parent);
    });
    return {
        resources,
        stackTags: new Map(Object.entries(stack.tags ?? {})),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Every message a resource policy reports for `args`; throws `NotApplicable` when it skips them. */
export async function violations(p: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
    const found: string[] = [];
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource!];
    for (const v of validations) await v(args, (message) => found.push(message));
    return found;
}

/** Every (urn, message) a stack policy reports. */
export async function stackViolations(p: Pick<StackValidationPolicy, "validateStack">, args: StackValidationArgs): Promise<{ urn?: string; message: string }[]> {
    const found: { urn?: string; message: string }[] = [];
    await p.validateStack(args, (message, urn) => found.push({ urn, message }));
    return found;
}

/** The reason a resource policy gives for skipping `args`, or undefined if it checked them. */
export async function skipReason(p: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string | undefined> {
    try {
        await violations(p, args);
        return undefined;
    } catch (e) {
        if (e instanceof NotApplicable) return e.message;
        throw e;
    }
}
