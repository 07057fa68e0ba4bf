import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { header } from "./scriptHeader";

/**
 * Every quarantine action that no provider resource expresses runs as a `command.local.Command`
 * built here, so the safety rules hold in one place:
 * - script text is constant: names reach it only through `environment` and are quoted (`"$NODE"`);
 * - `set -euo pipefail`, run by bash explicitly (not whatever `sh` is);
 * - gcloud never prompts, kubectl never falls back to the shell's current context;
 * - the previous stdout is not handed back (`addPreviousOutputInEnv: false`): stdout lands in
 *   state, so scripts print only names, never evidence or secrets.
 *
 * Each script starts with `# step:` and `# destroy:` lines. They travel with the command into
 * state and are what the offline plan prints, so the description can't drift from the script.
 */
export interface ShellStep {
    /** One line: what this step does, in the runbook's words. */
    readonly step: string;
    /** What `pulumi destroy` does about it: how it is reversed, or why it can't be. */
    readonly destroy: string;
    /** Body of the create script (after the common prelude). */
    readonly create: string;
    /** Body of the delete script; omit only for steps that are one-way (say so in `destroy`). */
    readonly delete?: string;
    /** Every dynamic value the scripts use. */
    readonly environment: Record<string, pulumi.Input<string>>;
}

export const PRELUDE = "set -euo pipefail\nexport CLOUDSDK_CORE_DISABLE_PROMPTS=1\n";

export function script(step: ShellStep, body: string): string {
    return `${header(step.step, step.destroy)}${PRELUDE}${body.trim()}\n`;
}

/** A one-way step's delete still runs, to say in the destroy log what stays as it is. */
const ONE_WAY_DELETE = 'echo "one-way step, nothing to undo: $QUARANTINE_STEP" >&2\n';

export function shellCommand(
    name: string,
    step: ShellStep,
    opts: pulumi.CustomResourceOptions,
): command.local.Command {
    return new command.local.Command(
        name,
        {
            create: script(step, step.create),
            delete: script(step, step.delete ?? ONE_WAY_DELETE),
            environment: { ...step.environment, QUARANTINE_STEP: step.step },
            interpreter: ["/bin/bash", "-c"],
            addPreviousOutputInEnv: false,
        },
        opts,
    );
}

/** `kubectl` pinned to the configured context; used as `k get pod "$POD"` inside scripts. */
export const KUBECTL = 'k() { kubectl --context "$CONTEXT" "$@"; }\n';

/**
 * For deletes: a gcloud 404 means the thing is already gone, which is what the delete wanted.
 * gcloud's own output goes to stderr, never to stdout (stdout is stored in state).
 */
export const GCLOUD_GONE_OK = `gone_ok() {
  local out
  if out=$("$@" 2>&1); then printf '%s\\n' "$out" >&2; return 0; fi
  if grep -q "was not found" <<<"$out"; then echo "already gone" >&2; return 0; fi
  printf '%s\\n' "$out" >&2
  return 1
}
`;
