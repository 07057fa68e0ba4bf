import { LABELS } from "../../core/labels";
import { COMMAND_TYPES } from "../lib/evidence";
import { resourceRule } from "../lib/policy";
import { commands, kubectlAt, kubectlNames } from "../lib/script";

const SCRIPTS = ["create", "update", "delete"] as const;
const EXCLUDE = `!${LABELS.quarantine}`;

/** The value of `--pod-selector` in a command's words, if given. */
function podSelector(args: readonly string[]): string | undefined {
    for (const [i, w] of args.entries()) {
        if (w.startsWith("--pod-selector=")) return w.slice("--pod-selector=".length);
        if (w === "--pod-selector") return args[i + 1] ?? "";
    }
    return undefined;
}

/**
 * A drain that does not skip `quarantine` pods evicts the very pod under investigation (its
 * controller starts a clean copy and the evidence goes). Every `kubectl drain` passes
 * `--pod-selector='!quarantine'`, as the runbook does.
 */
export const drainExcludesQuarantined = resourceRule({
    name: "drain-excludes-quarantined",
    description: `Every kubectl drain a command runs excludes quarantined pods with --pod-selector='${EXCLUDE}'.`,
    appliesTo: (type) => COMMAND_TYPES.includes(type),
    scope: "commands",
    check: (r, report) => {
        for (const field of SCRIPTS) {
            const script = r.props[field];
            if (typeof script !== "string") continue;
            const kubectl = kubectlNames(script);
            for (const cmd of commands(script)) {
                const k = kubectlAt(cmd, kubectl);
                if (k < 0 || !cmd.slice(k + 1).includes("drain")) continue;
                const selector = podSelector(cmd.slice(k + 1));
                if (selector === undefined) {
                    report(`${field} drains without --pod-selector='${EXCLUDE}': the drain would evict the quarantined pods`);
                } else if (!selector.split(",").map((s) => s.trim()).includes(EXCLUDE)) {
                    report(`${field} drains with --pod-selector='${selector}', which does not exclude quarantined pods: add ${EXCLUDE}`);
                }
            }
        }
    },
});
