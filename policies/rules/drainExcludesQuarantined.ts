import { LABELS } from "../../core/labels";
import { COMMAND_TYPES } from "../lib/evidence";
import { resourceRule } from "../lib/policy";
import { commands, kubectlAt, kubectlNames } from "../lib/script";

const SCRIPTS = ["create", "update", "delete"] as const;
const EXCLUDE = `!${LABELS.quarantine}`;

/** Every value of `--pod-selector` in a command's words, in order. */
function podSelectors(args: readonly string[]): string[] {
    const out: string[] = [];
    for (const [i, w] of args.entries()) {
        if (w.startsWith("--pod-selector=")) out.push(w.slice("--pod-selector=".length));
        else if (w === "--pod-selector") out.push(args[i + 1] ?? "");
    }
    return out;
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
                const selectors = podSelectors(cmd.slice(k + 1));
                // kubectl keeps only the last of a repeated flag: '!quarantine' then 'quarantine'
                // drains exactly the pod under investigation.
                if (selectors.length > 1) {
                    report(`${field} drains with --pod-selector given ${selectors.length} times (${selectors.map((x) => `'${x}'`).join(", ")}): kubectl uses only the last; pass --pod-selector='${EXCLUDE}' once`);
                    continue;
                }
                const selector = selectors[0];
                if (selector === undefined) {
                    report(`${field} drains without --pod-selector='${EXCLUDE}': the drain would evict the quarantined pods`);
                } else if (!selector.split(",").map((s) => s.trim()).includes(EXCLUDE)) {
                    report(`${field} drains with --pod-selector='${selector}', which does not exclude quarantined pods: add ${EXCLUDE}`);
                }
            }
        }
    },
});
