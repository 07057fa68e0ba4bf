import type { Argument } from "./ast";
import { valuesAt } from "./fields";
import { inNet, parseNet } from "../../core/ipNet";

export interface QueryFunction {
    readonly arity: number;
    /** Refuses, at parse time, arguments Cloud Logging would refuse. */
    readonly check?: (args: readonly Argument[]) => void;
    readonly call: (args: readonly Argument[], entry: unknown) => boolean;
}

function literal(a: Argument, fn: string, what: string): string {
    if (a.type !== "value" || !a.value.quoted) throw new SyntaxError(`${fn}(): ${what} must be a quoted string`);
    return a.value.text;
}

function field(a: Argument, fn: string): readonly string[] {
    if (a.type !== "field") throw new SyntaxError(`${fn}(): the first argument must be a field path`);
    return a.field;
}

/** The functions of the language our filters use. */
export const FUNCTIONS: Record<string, QueryFunction> = {
    // ip_in_net(FIELD, "CIDR"): the field holds an IP address inside the range.
    ip_in_net: {
        arity: 2,
        check(args) {
            field(args[0], "ip_in_net");
            const cidr = literal(args[1], "ip_in_net", "the range");
            if (!parseNet(cidr)) throw new SyntaxError(`ip_in_net(): ${JSON.stringify(cidr)} is not a CIDR range`);
        },
        call(args, entry) {
            const net = parseNet(literal(args[1], "ip_in_net", "the range"));
            return net !== undefined && valuesAt(entry, field(args[0], "ip_in_net")).some((v) => typeof v === "string" && inNet(v, net));
        },
    },
    // log_id("cloudaudit.googleapis.com/activity"): the entry's logName ends in that log id, which
    // logName carries URL-encoded (`.../logs/cloudaudit.googleapis.com%2Factivity`).
    log_id: {
        arity: 1,
        check(args) {
            literal(args[0], "log_id", "the log id");
        },
        call(args, entry) {
            const id = literal(args[0], "log_id", "the log id");
            return valuesAt(entry, ["logName"]).some((n) => typeof n === "string" && n.endsWith(`/logs/${encodeURIComponent(id)}`));
        },
    },
};
