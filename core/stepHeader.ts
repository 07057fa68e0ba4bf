/**
 * The comment lines every command script starts with, written by `components/shell.ts` and read
 * back by the offline plan, the policy pack, the bench and the fakes:
 *
 *     # step: what it does, in the runbook's words
 *     # destroy: what `pulumi destroy` does about it
 *     # kind: isolation | capture | check | destructive | restore
 *     # script: the file in components/scripts/ it was built from
 *
 * The kind is declared by the component, never guessed from the bash; the policy pack's reading
 * of the script is an independent cross-check of it.
 */

export const STEP_KINDS = ["isolation", "capture", "check", "destructive", "restore"] as const;
/**
 * - `isolation`: cuts the pod or the node off (label, deny-all, cordon, drain, abandon, tag, IP);
 * - `capture`: preserves evidence and changes nothing the quarantine holds;
 * - `check`: reads and reports, changes nothing;
 * - `destructive`: deletes or stops something (escalation levels); always after the evidence;
 * - `restore`: puts back something the quarantine changed.
 */
export type StepKind = (typeof STEP_KINDS)[number];

export interface StepHeader {
    readonly step: string;
    readonly destroy: string;
    readonly kind: StepKind;
    readonly script: string;
}

export function header(h: StepHeader): string {
    return `# step: ${h.step}\n# destroy: ${h.destroy}\n# kind: ${h.kind}\n# script: ${h.script}\n`;
}

export function scriptHeader(script: unknown): Partial<StepHeader> {
    const lines = (typeof script === "string" ? script : "").split("\n");
    const field = (i: number, key: string) => (lines[i]?.startsWith(`# ${key}: `) ? lines[i].slice(key.length + 4) : undefined);
    const kind = field(2, "kind");
    return {
        step: field(0, "step"),
        destroy: field(1, "destroy"),
        kind: (STEP_KINDS as readonly string[]).includes(kind ?? "") ? (kind as StepKind) : undefined,
        script: field(3, "script"),
    };
}

/** The declared kind of a command's create script, or undefined when it declares none. */
export function stepKind(script: unknown): StepKind | undefined {
    return scriptHeader(script).kind;
}
