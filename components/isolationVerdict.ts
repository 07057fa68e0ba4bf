import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { shellCommand } from "./shell";

export interface IsolationVerdictArgs {
    /** What each NetworkPolicy check printed (`open:`, `dns:`, `clear:` or `unchecked:` lines). */
    readonly findings: pulumi.Input<string>[];
    /** Everything else the update does: the verdict runs after all of it. */
    readonly after: pulumi.Resource[];
}

/**
 * The last step of an update: it fails the update when a check found that the pods' isolation
 * does not hold, and only then, after the cut-off, the evidence and any escalation have all run.
 * The engine starts no new step after a failure, so a failing check anywhere earlier would have
 * held containment up; here it holds up nothing, and the update still does not end green.
 */
export class IsolationVerdict extends pulumi.ComponentResource {
    /** The findings, one line each, for the stack's outputs. */
    public readonly findings: pulumi.Output<string[]>;
    public readonly verdict: command.local.Command;

    constructor(name: string, args: IsolationVerdictArgs, opts?: pulumi.ComponentResourceOptions) {
        super("quarantine:pod:IsolationVerdict", name, {}, opts);
        this.findings = pulumi.all(args.findings).apply((outs) => outs.flatMap((o) => o.split("\n").filter((l) => l.trim() !== "")));
        this.verdict = shellCommand(
            `${name}/verdict`,
            {
                step: "Fail the update if a policy defeats the pods' deny-all or the node's deny rules (after everything else has run)",
                destroy: "nothing to undo: a read-only check",
                kind: "check",
                script: "isolation-verdict",
                environment: { FINDINGS: this.findings.apply((f) => f.join("\n")) },
            },
            { parent: this, dependsOn: args.after },
        );
        this.findings.apply((lines) => {
            for (const l of lines.filter((x) => /^(open|dns|unchecked): /.test(x))) void pulumi.log.warn(l, this);
        });
        this.registerOutputs({ findings: this.findings });
    }
}
