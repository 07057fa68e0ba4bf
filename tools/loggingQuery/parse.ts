import * as fs from "node:fs";
import * as path from "node:path";
import * as peggy from "peggy";
import type { Argument, Operand, Query } from "./ast";
import { FUNCTIONS } from "./functions";
import { toRegExp } from "./regex";

/**
 * Built from the grammar's source when this module loads (a few milliseconds), so there is no
 * generated parser to keep in step with `grammar.peggy`, and nothing untyped for tsc or eslint.
 */
const parser = peggy.generate(fs.readFileSync(path.join(__dirname, "grammar.peggy"), "utf8"));

export class QueryError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "QueryError";
    }
}

/**
 * Parses a query and checks what Cloud Logging would refuse on save: unknown functions, wrong
 * argument counts, regular expressions that don't compile. Throws a `QueryError` naming the spot.
 */
export function parse(query: string): Query {
    let tree: Query;
    try {
        tree = parser.parse(query) as Query;
    } catch (e) {
        const err = e as { message: string; location?: { start: { line: number; column: number } } };
        const at = err.location ? ` at line ${err.location.start.line}, column ${err.location.start.column}` : "";
        throw new QueryError(`${err.message}${at}`);
    }
    try {
        check(tree);
    } catch (e) {
        throw e instanceof QueryError ? e : new QueryError((e as Error).message);
    }
    return tree;
}

function check(q: Query): void {
    switch (q.type) {
        case "and":
        case "or":
            q.operands.forEach(check);
            return;
        case "not":
            check(q.operand);
            return;
        case "compare":
            if (q.op === "=~" || q.op === "!~") eachValue(q.value, (text) => toRegExp(text));
            return;
        case "call": {
            const fn = FUNCTIONS[q.name];
            if (!fn) throw new QueryError(`unknown function ${q.name}() at offset ${q.location}; known: ${Object.keys(FUNCTIONS).join(", ")}`);
            if (q.args.length !== fn.arity) throw new QueryError(`${q.name}() takes ${fn.arity} argument(s), got ${q.args.length}`);
            fn.check?.(q.args as Argument[]);
            return;
        }
        default:
            return;
    }
}

function eachValue(o: Operand, visit: (text: string) => void): void {
    if (o.type === "value") visit(o.value.text);
    else if (o.type === "not") eachValue(o.operand, visit);
    else o.operands.forEach((x) => eachValue(x, visit));
}
