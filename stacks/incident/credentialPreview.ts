import * as pulumi from "@pulumi/pulumi";
import { iamMember, kubeSubject } from "../../components/credentials/principals";
import { shellRead } from "../../components/shell";
import { credentialKey, type Credential } from "../credentialConfig";
import { settle } from "./settle";

/**
 * Issue 14, "preview shows exactly what will be revoked": at preview and update alike, a read
 * (`cred-bindings.read.sh`) of the RoleBindings and ClusterRoleBindings naming each principal and
 * of a user's or Google service account's project IAM roles, said one line per principal and kept
 * in the `credentials` output. Project IAM is outside the quarantine: the roles are reported with
 * the command that would remove them, never removed. A failed read is said, never fatal.
 */
export interface Holdings {
    /** The bindings naming the principal itself, e.g. `RoleBinding default/web-edit (Role/edit)`: isolation unbinds it from each. */
    readonly bindings: string[];
    /** Its roles on the project's IAM policy: the quarantine does not revoke them. */
    readonly projectRoles: string[];
    /** The command that would remove each project role (a responder's decision, outside the quarantine). */
    readonly removeProjectRoles: string[];
    /** What could not be listed, and why. */
    readonly couldNot: string[];
}

/**
 * One line per subject of every binding in a RoleBindingList or ClusterRoleBindingList, for
 * `kubectl -o go-template`: namespace (- for a cluster binding), binding, roleRef kind/name,
 * subject kind, subject namespace (-), subject name, tab-separated.
 */
export const BINDINGS_TEMPLATE =
    '{{range .items}}{{$ns := "-"}}{{with .metadata.namespace}}{{$ns = .}}{{end}}{{$n := .metadata.name}}{{$rk := .roleRef.kind}}{{$rn := .roleRef.name}}' +
    "{{range .subjects}}{{$ns}}\t{{$n}}\t{{$rk}}/{{$rn}}\t{{.kind}}\t{{with .namespace}}{{.}}{{else}}-{{end}}\t{{.name}}\n{{end}}{{end}}";

export const BINDINGS_READ = { step: "List the bindings and project IAM roles the principal holds", script: "cred-bindings" } as const;

/** What the read needs, every value through the environment; undefined for a principal it has nothing to ask about (a key). */
export function bindingsReadEnv(c: Credential, project: string, kubeContext: string): Record<string, string> | undefined {
    if (c.kind === "key") return undefined;
    const subject = kubeSubject(c);
    return {
        CONTEXT: kubeContext,
        PROJECT: project,
        SUBJECT_KIND: subject?.kind ?? "",
        SUBJECT_NAMESPACE: subject?.namespace ?? "",
        SUBJECT_NAME: subject?.name ?? "",
        PROJECT_MEMBER: iamMember(c),
        BINDINGS_TEMPLATE,
    };
}

/** The read's stdout as holdings; lines it does not know are ignored. */
export function parseHoldings(stdout: string, member: string, project: string): Holdings {
    const h: Holdings = { bindings: [], projectRoles: [], removeProjectRoles: [], couldNot: [] };
    for (const line of stdout.split("\n")) {
        const [tag, a = "", b = "", c = ""] = line.split("\t");
        if (tag === "bound") h.bindings.push(`${a} ${b.replace(/^-\//, "")} (${c})`);
        if (tag === "project-role") {
            h.projectRoles.push(a);
            h.removeProjectRoles.push(`gcloud projects remove-iam-policy-binding ${project} --member=${member} --role=${a}`);
        }
        if (tag === "could-not") h.couldNot.push(`could not list ${a.replace("-", " ")}: ${b}`);
    }
    // Sorted here as the script sorts: the same holdings read the same, whichever order the API lists them in.
    h.bindings.sort();
    h.projectRoles.sort();
    h.removeProjectRoles.sort();
    return h;
}

/** The preview's line about one principal's holdings, at the given level. */
export function holdingsLine(c: Credential, h: Holdings, isolates: boolean): string {
    const parts: string[] = [];
    const failed = (what: string) => h.couldNot.some((x) => x.startsWith(`could not list ${what}`));
    if (kubeSubject(c) && !failed("bindings")) {
        const list = h.bindings.join(", ");
        if (h.bindings.length === 0) parts.push("named in no RoleBinding or ClusterRoleBinding");
        else parts.push(isolates ? `unbound from ${list}` : `named in ${list} (not unbound: quarantine:level isolate unbinds it)`);
    }
    if (iamMember(c) && !failed("project roles")) {
        if (h.projectRoles.length === 0) parts.push("holds no project IAM role");
        else {
            const usable = c.kind === "gsa" && isolates ? " (unusable while the account is disabled)" : "";
            parts.push(
                `project IAM roles the quarantine does NOT revoke (project IAM is outside the quarantine)${usable}: ${h.projectRoles.join(", ")}; ` +
                    `to remove one: ${h.removeProjectRoles[0].replace(/--role=\S+$/, "--role=ROLE")}`,
            );
        }
    }
    parts.push(...h.couldNot);
    return `${credentialKey(c)}, as read now: ${parts.join("; ")}`;
}

/**
 * Each principal's holdings, read now and warned about one line each; keyed by principal. The
 * read exits 0 whatever it could list; an invoke that fails all the same is said as a could-not.
 */
export function previewHoldings(credentials: readonly Credential[], project: string, kubeContext: string, isolates: boolean): pulumi.Output<Record<string, Holdings>> {
    const reads = credentials.map(async (c): Promise<[string, Holdings] | undefined> => {
        const env = bindingsReadEnv(c, project, kubeContext);
        if (!env) return undefined;
        const key = credentialKey(c);
        const out = await settle(shellRead(BINDINGS_READ, env), key).catch((e: Error) => `could-not\tbindings or project roles\t${e.message.replace(/\s+/g, " ")}\n`);
        const h = parseHoldings(out, env.PROJECT_MEMBER, project);
        void pulumi.log.warn(holdingsLine(c, h, isolates));
        return [key, h];
    });
    return pulumi.output(Promise.all(reads).then((all) => Object.fromEntries(all.filter((x) => x !== undefined))));
}
