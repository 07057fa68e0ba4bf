import { incidentNames } from "../../core/incidentNames";
import { COMMAND_TYPES } from "../lib/evidence";
import { incidentOfSubject, resourceRule } from "../lib/policy";
import { containsWord, executableLines, withoutCasePatterns } from "../lib/script";
import { tryKnown } from "../lib/unknown";

const SCRIPTS = ["create", "update", "delete"] as const;

/**
 * Values too common in shell text to tell apart from a splice (`true`, `0`, `5m`), and the
 * quarantine's own label and annotation keys (`quarantine/…`, constants of the program, see
 * `core/labels.ts`), are not looked for. Nor are `case` patterns: an allow-list the script
 * checks a received value against (`case "$KIND" in deployment|statefulset)`) is constant text.
 */
function significant(value: string): boolean {
    return value.length >= 3 && value !== "true" && value !== "false" && !value.startsWith("quarantine/");
}

/**
 * A pod or node name comes from the cluster, which the attacker may control; spliced into script
 * text it is code. Names reach a script only through `environment` (`"$NODE"`): the script text
 * is a constant. A script that is unknown at preview was built from another resource's output and
 * fails closed.
 */
export const commandEnvironment = resourceRule({
    name: "command-names-from-environment",
    description: "Command scripts take names only from environment variables: no config or cluster value is spliced into create, update or delete.",
    appliesTo: (type) => COMMAND_TYPES.includes(type),
    scope: "commands",
    check: (r, report) => {
        const env = r.props.environment;
        const values: [string, string][] = [];
        if (env !== undefined && env !== null && typeof env === "object") {
            for (const key of Object.keys(env)) {
                // A value unknown at preview is fine here: that is what environment is for.
                const v = tryKnown(() => (env as Record<string, unknown>)[key]);
                if (v.known && typeof v.value === "string" && significant(v.value)) values.push([key, v.value]);
            }
        }
        const incident = incidentOfSubject(r);
        const names = incident.id === undefined ? [] : [...new Set(Object.values(incidentNames(incident.id)).filter((n) => n.startsWith("quarantine-")))];

        for (const field of SCRIPTS) {
            const script = r.props[field];
            if (typeof script !== "string") continue;
            const text = withoutCasePatterns(executableLines(script).join("\n"));
            const spliced = new Set<string>();
            for (const [key, value] of values) {
                if (containsWord(text, value)) {
                    spliced.add(value);
                    report(`${field} splices the value of ${key} (${JSON.stringify(value)}) into the script text: refer to it as "$${key}"`);
                }
            }
            for (const name of names.filter((n) => !spliced.has(n) && containsWord(text, n))) {
                report(`${field} splices ${JSON.stringify(name)}, a name of incident ${incident.id}, into the script text: pass it through environment`);
            }
        }
    },
});
