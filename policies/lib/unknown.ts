import * as policy from "@pulumi/policy";

/**
 * During `pulumi preview`, a value computed from another resource's outputs is unknown. The
 * server hands policies an unknown-checking proxy: reading such a value throws `UnknownValueError`,
 * which CrossGuard would turn into an *advisory* "can't run policy during preview". Every policy in
 * this pack catches it first and reports a mandatory violation instead: a guardrail that can't see
 * a value fails closed.
 */

type ErrorClass = new (...args: never[]) => Error;

// Exported at runtime by @pulumi/policy, but its typings strip it (`@internal`).
const UnknownValueError = (policy as unknown as { UnknownValueError?: ErrorClass }).UnknownValueError;

export function isUnknownValueError(e: unknown): e is Error {
    if (!(e instanceof Error)) return false;
    // The name check covers a second copy of @pulumi/policy (e.g. a test's, next to the pack's own).
    return (UnknownValueError !== undefined && e instanceof UnknownValueError) || e.constructor.name === "UnknownValueError";
}

/** The violation reported in place of an unknown value, e.g. for `.targetTags`. */
export function failClosed(e: Error): string {
    return `${e.message}: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output`;
}

export type Known<T> = { readonly known: true; readonly value: T } | { readonly known: false };

/** Reads a value that may be unknown at preview without letting the proxy's error escape. */
export function tryKnown<T>(read: () => T): Known<T> {
    try {
        return { known: true, value: read() };
    } catch (e) {
        if (isUnknownValueError(e)) return { known: false };
        throw e;
    }
}
