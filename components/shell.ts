import { existsSync, readFileSync } from "fs";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { header, type StepHeader, type StepKind } from "../core/stepHeader";

/**
 * Every quarantine action that no provider resource expresses runs as a `command.local.Command`
 * built here, so the safety rules hold in one place:
 * - script text is constant: the bodies are files in `components/scripts/`, and names reach them
 *   only through `environment`, quoted (`"$NODE"`);
 * - `set -euo pipefail`, run by bash explicitly (not whatever `sh` is);
 * - gcloud never prompts, kubectl never falls back to the shell's current context;
 * - the previous stdout is not handed back (`addPreviousOutputInEnv: false`), except to a step
 *   whose stdout is its record (`recordsInState`): stdout lands in state, so scripts print only
 *   names and records, never evidence or secrets.
 *
 * Each script starts with the header of `core/stepHeader.ts` (`# step:`, `# destroy:`, `# kind:`,
 * `# script:`). It travels with the command into state and is what the offline plan prints, so
 * the description can't drift from the script.
 */
export interface ShellStep {
    /** One line: what this step does, in the runbook's words. */
    readonly step: string;
    /** What `pulumi destroy` does about it: how it is reversed, or why it can't be. */
    readonly destroy: string;
    /** What the step is; the plan, the bench, the pack and the fakes read this, never the bash. */
    readonly kind: StepKind;
    /**
     * Stem of its files in `components/scripts/`: `<script>.create.sh`, and `<script>.delete.sh`
     * when destroy can undo it (without one, destroy only says the step is one-way).
     */
    readonly script: string;
    /** Every dynamic value the scripts use. */
    readonly environment: Record<string, pulumi.Input<string>>;
    /**
     * The create's stdout is the step's record (e.g. the labels it removed), handed to the delete
     * as `PULUMI_COMMAND_STDOUT`: state, which an attacker on the cluster can't write. Only for a
     * step whose stdout is a record, never evidence. Default false.
     */
    readonly recordsInState?: boolean;
}

export const SCRIPTS_DIR = join(__dirname, "scripts");

const SHEBANG = "#!/usr/bin/env bash\n";
const SET = "set -euo pipefail\n";
/** `. "$QUARANTINE_LIB/kubectl.sh"`, with the shellcheck directive above it. */
const SOURCE_LINE = /^(?:# shellcheck source=lib\/[a-z-]+\.sh\n)?\. "\$QUARANTINE_LIB\/([a-z-]+)\.sh"\n/gm;

const cache = new Map<string, string>();
function read(relative: string): string {
    let text = cache.get(relative);
    if (text === undefined) {
        text = readFileSync(join(SCRIPTS_DIR, relative), "utf8");
        if (!text.startsWith(SHEBANG)) throw new Error(`components/scripts/${relative} must start with ${SHEBANG.trim()}`);
        cache.set(relative, text);
    }
    return text;
}

/** A lib file's code, without its shebang and comment lines (those stay in the file, not in state). */
function lib(name: string): string {
    return read(`lib/${name}.sh`)
        .slice(SHEBANG.length)
        .split("\n")
        .filter((l) => !/^\s*#/.test(l))
        .join("\n")
        .replace(/^\n+/, "");
}

/** The line with which a body includes `lib/<name>.sh`. */
export function uses(name: string): string {
    return `. "$QUARANTINE_LIB/${name}.sh"\n`;
}

/** A script as it runs and as it is stored: header, prelude, then the body with its libs inlined. */
export function scriptFrom(h: StepHeader, body: string): string {
    const inlined = body.replace(SOURCE_LINE, (_, name: string) => lib(name));
    return `${header(h)}${lib("prelude")}${inlined.trim()}\n`;
}

/** The script built from one file of `components/scripts/`, e.g. `drain.create.sh`. */
export function assemble(h: StepHeader, file: string): string {
    const body = read(file).slice(SHEBANG.length);
    if (!body.startsWith(SET)) throw new Error(`components/scripts/${file}: the line after the shebang must be ${SET.trim()}`);
    return scriptFrom(h, body.slice(SET.length));
}

/** Whether destroy can undo the step: it has a delete script. */
export function hasUndo(script: string): boolean {
    return existsSync(join(SCRIPTS_DIR, `${script}.delete.sh`));
}

export function shellCommand(name: string, step: ShellStep, opts: pulumi.CustomResourceOptions): command.local.Command {
    const h = { step: step.step, destroy: step.destroy, kind: step.kind, script: step.script };
    return new command.local.Command(
        name,
        {
            create: assemble(h, `${step.script}.create.sh`),
            delete: assemble(h, hasUndo(step.script) ? `${step.script}.delete.sh` : "one-way.delete.sh"),
            environment: { ...step.environment, QUARANTINE_STEP: step.step },
            interpreter: ["/bin/bash", "-c"],
            addPreviousOutputInEnv: step.recordsInState === true,
        },
        opts,
    );
}

/**
 * A read-only script run as the `command:local:run` invoke during preview and update alike: for
 * discovery questions no provider read can ask without failing the update (does this pod still
 * exist?). Its stdout is its answer; it is not a resource and leaves nothing in state.
 */
export function shellRead(h: { readonly step: string; readonly script: string }, environment: Record<string, string>, opts: pulumi.InvokeOutputOptions = {}): pulumi.Output<string> {
    const script = assemble({ step: h.step, destroy: "nothing to undo: a read", kind: "check", script: h.script }, `${h.script}.read.sh`);
    return command.local.runOutput({ command: script, interpreter: ["/bin/bash", "-c"], environment }, opts).stdout;
}
