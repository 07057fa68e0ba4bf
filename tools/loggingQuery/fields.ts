/**
 * The values at a field path of a log entry. A path that crosses a repeated field (a JSON
 * array) reaches every element, as Cloud Logging does for `protoPayload.authorizationInfo.permission`;
 * a missing field has no values at all.
 */
export function valuesAt(entry: unknown, path: readonly string[]): unknown[] {
    let current: unknown[] = [entry];
    for (const segment of path) {
        const next: unknown[] = [];
        for (const v of current.flatMap(spread)) {
            if (v !== null && typeof v === "object" && segment in (v as object)) next.push((v as Record<string, unknown>)[segment]);
        }
        current = next;
    }
    return current.flatMap(spread);
}

function spread(v: unknown): unknown[] {
    return Array.isArray(v) ? v.flatMap(spread) : [v];
}

/** Every scalar inside `v`, for the has operator on a message and for global restrictions. */
export function leaves(v: unknown): unknown[] {
    if (Array.isArray(v)) return v.flatMap(leaves);
    if (v !== null && typeof v === "object") return Object.values(v).flatMap(leaves);
    return [v];
}
