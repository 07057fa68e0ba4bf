import { STEP_KINDS, stepKind } from "../../core/stepHeader";
import { COMMAND_TYPES, destructiveAction } from "../lib/evidence";
import { resourceRule } from "../lib/policy";

/**
 * Every command declares what it is in its header (`# kind:`), and the plan, the bench and the
 * ordering rules trust that declaration. This rule reads the script itself, word by word, as an
 * independent check of it: a step that deletes or stops something but calls itself a capture, a
 * check or an isolation would escape the rule that destructive steps wait for the evidence.
 */
export const declaredKind = resourceRule({
    name: "declared-kind",
    description: "Every command declares its kind, and a command whose script deletes or stops something is declared destructive.",
    appliesTo: (type) => COMMAND_TYPES.includes(type),
    scope: "command resources",
    check: (r, report) => {
        // The pack reads scripts as bash: under another interpreter its reading means nothing.
        const interpreter = r.props.interpreter;
        if (!Array.isArray(interpreter) || interpreter.length !== 2 || interpreter[0] !== "/bin/bash" || interpreter[1] !== "-c") {
            report(`runs its scripts with ${JSON.stringify(interpreter ?? "the provider's default, /bin/sh -c")}: the quarantine's scripts run under ["/bin/bash", "-c"], which is what this pack reads`);
        }
        const kind = stepKind(r.props.create);
        if (kind === undefined) {
            report(`declares no kind: its create script must start with the header of core/stepHeader.ts, with "# kind:" one of ${STEP_KINDS.join(", ")}`);
            return;
        }
        const action = destructiveAction(r);
        if (action !== undefined && kind !== "destructive") {
            report(`is declared "${kind}" but its script runs ${action}: declare it "destructive", so it waits for the evidence, or remove the ${action}`);
        }
    },
});
