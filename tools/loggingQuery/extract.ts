import { valuesAt } from "./fields";
import { toRegExp } from "./regex";

/**
 * What a log-based alert's label extractor yields for an entry: `EXTRACT(field)` or
 * `REGEXP_EXTRACT(field, "re")` with exactly one capture group, the two forms Cloud Monitoring
 * accepts. Undefined when the field is missing or the expression does not match, as the label is
 * then absent from the incident.
 */
export function extract(extractor: string, entry: unknown): string | undefined {
    const { field, pattern } = parseExtractor(extractor);
    const value = valuesAt(entry, field)[0];
    if (value === undefined || value === null || typeof value === "object") return undefined;
    if (pattern === undefined) return String(value);
    return pattern.exec(String(value))?.[1];
}

const FORM = /^(EXTRACT|REGEXP_EXTRACT)\(\s*([A-Za-z_@][A-Za-z0-9_]*(?:\.(?:[A-Za-z_@][A-Za-z0-9_]*|"[^"]+"))*)\s*(?:,\s*"((?:[^"\\]|\\.)*)"\s*)?\)$/;

/** Refuses what Cloud Monitoring would refuse on save: another form, or not one capture group. */
export function parseExtractor(extractor: string): { field: string[]; pattern?: RegExp } {
    const m = FORM.exec(extractor.trim());
    if (!m) throw new SyntaxError(`label extractor ${JSON.stringify(extractor)} is neither EXTRACT(field) nor REGEXP_EXTRACT(field, "regex")`);
    const [, form, path, regex] = m;
    const field = (path.match(/"[^"]+"|[^.]+/g) ?? []).map((s) => (s.startsWith('"') ? s.slice(1, -1) : s));
    if (form === "EXTRACT") {
        if (regex !== undefined) throw new SyntaxError(`EXTRACT takes one argument: ${extractor}`);
        return { field };
    }
    if (regex === undefined) throw new SyntaxError(`REGEXP_EXTRACT needs a regular expression: ${extractor}`);
    const pattern = toRegExp(regex.replace(/\\(["\\])/g, "$1"));
    const groups = new RegExp(`${pattern.source}|`).exec("")!.length - 1;
    if (groups !== 1) throw new SyntaxError(`REGEXP_EXTRACT needs exactly one capture group, ${JSON.stringify(regex)} has ${groups}`);
    return { field, pattern };
}
