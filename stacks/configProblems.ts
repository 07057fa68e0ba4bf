import type { z } from "zod";

/**
 * What every program's config check shares: reading a namespace's keys out of `allConfig()` and
 * wording zod's issues as refusals that name the key and show the bad value. Each program's
 * schema supplies the message and the example; `stacks/config.ts` (incident) and
 * `stacks/readiness/config.ts` (readiness) add their cross-key checks.
 */

/**
 * Pulumi stores structured config (`--path`, lists, objects) as JSON text and everything else as
 * plain text. Only lists, objects and booleans are decoded: `quarantine:incident 42` stays "42".
 */
export function decode(value: string): unknown {
    const t = value.trim();
    if (t.startsWith("[") || t.startsWith("{") || t === "true" || t === "false") {
        try {
            return JSON.parse(t);
        } catch {
            return value;
        }
    }
    return value;
}

/** The decoded `namespace:*` keys of `all`, without the prefix. */
export function namespaceValues(all: Record<string, string>, namespace: string): Record<string, unknown> {
    const ours: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) {
        if (k.startsWith(`${namespace}:`)) ours[k.slice(namespace.length + 1)] = decode(v);
    }
    return ours;
}

/** The settings known at `path` of `schema`: the top level, or inside a nested object. */
function knownKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
    let s: unknown = schema;
    for (const p of [...path, undefined]) {
        while (typeof (s as { unwrap?: unknown } | undefined)?.unwrap === "function") s = (s as { unwrap(): unknown }).unwrap();
        const shape = (s as { shape?: Record<string, unknown> } | undefined)?.shape;
        if (!shape) return [];
        if (p === undefined) return Object.keys(shape);
        s = shape[String(p)];
    }
    return [];
}

/** `quarantine:pods[0]`, `quarantine:capture.exec`: the key as `pulumi config set` spells it. */
export function keyOf(namespace: string, path: PropertyKey[]): string {
    let key = namespace;
    path.forEach((p, i) => {
        key += typeof p === "number" ? `[${p}]` : i === 0 ? `:${String(p)}` : `.${String(p)}`;
    });
    return key;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    let v: unknown = root;
    for (const p of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

export function show(v: unknown): string {
    return v === undefined ? "(unset)" : JSON.stringify(v);
}

/** One refusal per zod issue: `key value message`, or for an unknown key, the keys known there. */
export function schemaProblems(schema: z.ZodType, namespace: string, values: Record<string, unknown>, error: z.ZodError): string[] {
    const problems: string[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            for (const k of issue.keys) {
                const path = [...issue.path, k];
                problems.push(`${keyOf(namespace, path)} is not a known setting; known: ${knownKeys(schema, issue.path).join(", ")}`);
            }
            continue;
        }
        problems.push(`${keyOf(namespace, issue.path)} ${show(valueAt(values, issue.path))} ${issue.message}`);
    }
    return problems;
}

export const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
