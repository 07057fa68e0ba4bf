import type { Literal, Operand, Operator, Query } from "./ast";
import { leaves, valuesAt } from "./fields";
import { FUNCTIONS } from "./functions";
import { parse } from "./parse";
import { toRegExp } from "./regex";

/**
 * Whether a log entry (its JSON, as `gcloud logging read --format=json` prints it) matches a
 * query, with the documented semantics:
 * - string comparisons (`=`, `!=`, `:`) ignore case; regular expressions (`=~`, `!~`) don't,
 *   unless they start with `(?i)`;
 * - `:` is "has": a substring of the field, or of any field inside a message; `:*` is presence;
 * - a comparison on a repeated field holds when it holds for any element; on a missing field it
 *   is false, so `!=` and `!~` (defined as the negation of `=` and `=~`) hold there;
 * - `<`, `>`, `<=`, `>=` compare numbers as numbers, `severity` by its level, anything else
 *   (timestamps among them) as text;
 * - a bare value is a global restriction: some field of the entry has it.
 */
export function matches(query: string | Query, entry: unknown): boolean {
    return evaluate(typeof query === "string" ? parse(query) : query, entry);
}

function evaluate(q: Query, entry: unknown): boolean {
    switch (q.type) {
        case "all":
            return true;
        case "and":
            return q.operands.every((o) => evaluate(o, entry));
        case "or":
            return q.operands.some((o) => evaluate(o, entry));
        case "not":
            return !evaluate(q.operand, entry);
        case "exists":
            return valuesAt(entry, q.field).some((v) => v !== null && v !== undefined);
        case "compare": {
            const values = valuesAt(entry, q.field);
            const isSeverity = q.field.length === 1 && q.field[0] === "severity";
            return distribute(q.value, (lit) => compare(values, q.op, lit, isSeverity));
        }
        case "call":
            return FUNCTIONS[q.name].call(q.args, entry);
        case "global":
            return leaves(entry).some((v) => has(v, q.value));
    }
}

function distribute(o: Operand, test: (lit: Literal) => boolean): boolean {
    switch (o.type) {
        case "value":
            return test(o.value);
        case "not":
            return !distribute(o.operand, test);
        case "and":
            return o.operands.every((x) => distribute(x, test));
        case "or":
            return o.operands.some((x) => distribute(x, test));
    }
}

function compare(values: unknown[], op: Operator, lit: Literal, isSeverity: boolean): boolean {
    switch (op) {
        case "=":
            return values.some((v) => equals(v, lit, isSeverity));
        case "!=":
            return !values.some((v) => equals(v, lit, isSeverity));
        case ":":
            return values.some((v) => has(v, lit));
        case "=~":
            return values.some((v) => searches(v, lit.text));
        case "!~":
            return !values.some((v) => searches(v, lit.text));
        default:
            return values.some((v) => ordered(v, op, lit, isSeverity));
    }
}

const SEVERITY: Record<string, number> = {
    DEFAULT: 0,
    DEBUG: 100,
    INFO: 200,
    NOTICE: 300,
    WARNING: 400,
    ERROR: 500,
    CRITICAL: 600,
    ALERT: 700,
    EMERGENCY: 800,
};

function scalar(v: unknown): string | undefined {
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

function equals(v: unknown, lit: Literal, isSeverity: boolean): boolean {
    if (isSeverity) return severityOf(v) !== undefined && severityOf(v) === severityOf(lit.text);
    if (typeof v === "number" && lit.number !== undefined) return v === lit.number;
    const s = scalar(v);
    return s !== undefined && s.toLowerCase() === lit.text.toLowerCase();
}

function has(v: unknown, lit: Literal): boolean {
    if (v !== null && typeof v === "object") return leaves(v).some((x) => has(x, lit));
    const s = scalar(v);
    return s !== undefined && s.toLowerCase().includes(lit.text.toLowerCase());
}

const compiled = new Map<string, RegExp>();

function searches(v: unknown, pattern: string): boolean {
    const s = scalar(v);
    if (s === undefined) return false;
    let re = compiled.get(pattern);
    if (!re) compiled.set(pattern, (re = toRegExp(pattern)));
    return re.test(s);
}

function severityOf(v: unknown): number | undefined {
    if (typeof v === "number") return v;
    return typeof v === "string" ? (SEVERITY[v.toUpperCase()] ?? (/^[0-9]+$/.test(v) ? Number(v) : undefined)) : undefined;
}

function ordered(v: unknown, op: Operator, lit: Literal, isSeverity: boolean): boolean {
    let cmp: number;
    if (isSeverity) {
        const [a, b] = [severityOf(v), severityOf(lit.text)];
        if (a === undefined || b === undefined) return false;
        cmp = a - b;
    } else if (typeof v === "number" && lit.number !== undefined) {
        cmp = v - lit.number;
    } else {
        const s = scalar(v);
        if (s === undefined) return false;
        cmp = s < lit.text ? -1 : s > lit.text ? 1 : 0;
    }
    switch (op) {
        case "<":
            return cmp < 0;
        case "<=":
            return cmp <= 0;
        case ">":
            return cmp > 0;
        default:
            return cmp >= 0;
    }
}
