/** The tree `grammar.peggy` builds for a Cloud Logging query; `evaluate.ts` gives it meaning. */

/** A literal as written: `text` is the unquoted content; `number` is set for numeric literals. */
export interface Literal {
    readonly text: string;
    readonly quoted: boolean;
    readonly number?: number;
}

export type Operator = "=" | "!=" | ">" | "<" | ">=" | "<=" | ":" | "=~" | "!~";

/** The right-hand side of a comparison: one value, or a boolean expression of values. */
export type Operand =
    | { readonly type: "value"; readonly value: Literal }
    | { readonly type: "and" | "or"; readonly operands: readonly Operand[] }
    | { readonly type: "not"; readonly operand: Operand };

export type Argument = { readonly type: "value"; readonly value: Literal } | { readonly type: "field"; readonly field: readonly string[] };

export type Query =
    | { readonly type: "all" }
    | { readonly type: "and" | "or"; readonly operands: readonly Query[] }
    | { readonly type: "not"; readonly operand: Query }
    | { readonly type: "compare"; readonly field: readonly string[]; readonly op: Operator; readonly value: Operand }
    | { readonly type: "exists"; readonly field: readonly string[] }
    | { readonly type: "call"; readonly name: string; readonly args: readonly Argument[]; readonly location: number }
    | { readonly type: "global"; readonly value: Literal };
