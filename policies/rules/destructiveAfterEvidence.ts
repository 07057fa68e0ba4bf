import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { waitsFor as graphWaitsFor } from "../../core/graph";
import { destructiveAction, isEvidence } from "../lib/evidence";
import { failClosed, isUnknownValueError } from "../lib/unknown";

/** Every URN `r` waits for, directly or through the resources it waits for. */
function waitsFor(r: PolicyResource): Set<string> {
    const node = (x: PolicyResource) => ({ urn: x.urn, dependencies: x.dependencies.map((d) => d.urn) });
    const index = new Map<string, ReturnType<typeof node>>();
    const todo = [r];
    for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
        if (index.has(x.urn)) continue;
        index.set(x.urn, node(x));
        todo.push(...x.dependencies);
    }
    return graphWaitsFor(index.get(r.urn)!, index);
}

/**
 * Reads one resource, reporting (against it) a value it can't see at preview as a violation.
 * Returns undefined when it could not be read.
 */
function classify<T>(r: PolicyResource, read: () => T, report: ReportViolation): { value: T } | undefined {
    try {
        return { value: read() };
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        report(failClosed(e), r.urn);
        return undefined;
    }
}

/**
 * A delete before a snapshot destroys the evidence. Over the stack's dependency graph: every
 * destructive command (one whose create or update script runs `kubectl delete`, `kubectl scale
 * --replicas=0`, `gcloud compute instances|disks delete`, or a managed instance group's
 * `delete-instances`/`recreate-instances`) waits, directly or transitively, for every snapshot and
 * evidence capture of the stack. A destructive command in a stack that captures no evidence at all
 * is a violation too. A script unknown at preview fails closed.
 */
export const destructiveAfterEvidence: StackValidationPolicy = {
    name: "destructive-after-evidence",
    description: "Destructive commands (pod, workload, VM deletion) depend on every snapshot and evidence capture of the stack.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const destructive: [PolicyResource, string][] = [];
        for (const r of args.resources) {
            const action = classify(r, () => destructiveAction(r), report);
            if (action?.value !== undefined) destructive.push([r, action.value]);
        }
        if (destructive.length === 0) return;

        // Fail closed: a resource whose labels or step can't be read is taken for evidence.
        const evidence = args.resources.filter((r) => classify(r, () => isEvidence(r), () => undefined)?.value ?? true);
        for (const [r, action] of destructive) {
            const others = evidence.filter((e) => e.urn !== r.urn);
            if (others.length === 0) {
                report(`${r.name} runs ${action}, but the stack captures no evidence first: snapshot the disks (and capture the pod) before anything is deleted`, r.urn);
                continue;
            }
            const waited = waitsFor(r);
            for (const e of others.filter((x) => !waited.has(x.urn))) {
                report(`${r.name} runs ${action} without waiting for evidence ${e.name}: add it to dependsOn, so the evidence is taken before anything is deleted`, r.urn);
            }
        }
    },
};
