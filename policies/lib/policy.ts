import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs } from "@pulumi/policy";
import { incidentOf, type IncidentLookup } from "./incident";
import { failClosed, isUnknownValueError } from "./unknown";

/**
 * What a check sees of one resource, whether it comes from `analyze` (its inputs, before the step
 * runs) or from `analyzeStack` (its outputs, once every step has run).
 */
export interface Subject {
    readonly type: string;
    /** The logical name, e.g. `42/firewall/default/egress-deny`. */
    readonly name: string;
    readonly urn: string;
    /** Unknown-checking proxy over the properties: reading an unknown value throws. */
    readonly props: Readonly<Record<string, unknown>>;
    readonly deleteBeforeReplace?: boolean;
    readonly stackTags: ReadonlyMap<string, string>;
}

export type Check = (r: Subject, report: (message: string) => void) => void;

export interface ResourceRuleSpec {
    readonly name: string;
    readonly description: string;
    /** Resource types the rule checks; e.g. `gcp:compute/firewall:Firewall`. */
    readonly appliesTo: (type: string) => boolean;
    /** Shown when a resource of another type is skipped. */
    readonly scope: string;
    readonly check: Check;
    /**
     * Also run the check over every matching resource in `analyzeStack`: the stack's final state,
     * after every step has run. Default false.
     */
    readonly alsoOverStack?: boolean;
}

export type QuarantinePolicy = ResourceValidationPolicy & {
    validateStack?: (args: StackValidationArgs, report: ReportViolation) => void;
};

/** Runs a check; an unknown value it reads becomes a violation, never an advisory. */
export function runCheck(check: Check, r: Subject, report: (message: string) => void): void {
    try {
        check(r, report);
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        report(failClosed(e));
    }
}

/** A mandatory resource policy over the types `appliesTo` selects, failing closed on unknowns. */
export function resourceRule(spec: ResourceRuleSpec): QuarantinePolicy {
    const rule: QuarantinePolicy = {
        name: spec.name,
        description: spec.description,
        enforcementLevel: "mandatory",
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            if (!spec.appliesTo(args.type)) args.notApplicable(`applies to ${spec.scope} only`);
            const subject: Subject = {
                type: args.type,
                name: args.name,
                urn: args.urn,
                props: args.props,
                deleteBeforeReplace: args.opts.deleteBeforeReplace,
                stackTags: args.stackTags,
            };
            runCheck(spec.check, subject, (m) => report(m));
        },
    };
    if (spec.alsoOverStack) {
        rule.validateStack = (args: StackValidationArgs, report: ReportViolation) => {
            for (const r of args.resources.filter((x) => spec.appliesTo(x.type))) {
                runCheck(spec.check, stackSubject(r, args.stackTags), (m) => report(m, r.urn));
            }
        };
    }
    return rule;
}

export function stackSubject(r: PolicyResource, stackTags: ReadonlyMap<string, string>): Subject {
    return { type: r.type, name: r.name, urn: r.urn, props: r.props, deleteBeforeReplace: r.opts.deleteBeforeReplace, stackTags };
}

/** The incident of the subject's stack (see `incident.ts`). */
export function incidentOfSubject(r: Subject): IncidentLookup {
    return incidentOf(r.stackTags, r.urn);
}
