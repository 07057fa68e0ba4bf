import type { Command } from "./script";

/**
 * Which kubectl and gcloud commands are destructive, by allow-list: a verb is destructive unless
 * it is known to only read, capture, or isolate (label, cordon, drain, tag, firewall, abandon).
 * A verb nobody classified yet is destructive, so it waits for the evidence until someone looks.
 */

/** kubectl flags that take the next word as their value. */
const KUBECTL_VALUE_FLAGS = new Set([
    "--context", "-n", "--namespace", "--kubeconfig", "--request-timeout", "-o", "--output", "-l", "--selector", "--as",
    "--cluster", "--user", "-s", "--server", "--token", "-c", "--container", "--field-selector", "--for", "--timeout",
    "--image", "--overrides", "--template", "--grace-period", "--cascade",
]);
const KUBECTL_SAFE = new Set([
    // reads
    "get", "describe", "logs", "wait", "auth", "events", "version", "api-resources", "api-versions", "explain", "top", "cluster-info",
    // captures: a pod of the quarantine's own, a command in the container, a copy out of it
    "run", "exec", "cp", "debug",
    // isolation and its undo
    "label", "annotate", "cordon", "uncordon", "drain", "taint",
]);
/** What a command run in a container by `kubectl exec` may not do. */
const KILLS = /^(kill|pkill|killall|rm|shutdown|reboot|halt|poweroff|truncate|shred|dd)$/;

/**
 * A trap deleting a pod the script itself named (`pod="$PREFIX-…"`, then `delete pod "$pod"`)
 * cleans up its capture pod. A pod from the environment (`$POD`) is the one under
 * investigation: deleting it, even on exit, is destructive.
 */
function ownPods(positional: readonly string[], locals: ReadonlySet<string>): boolean {
    const targets = positional.filter((w) => !/^pods?$/.test(w));
    return targets.length > 0 && targets.every((w) => {
        const m = /^(?:pods?\/)?\$\{?([a-z_][a-z0-9_]*)\}?$/.exec(w);
        return m !== null && locals.has(m[1]);
    });
}

function kubectlVerb(args: readonly string[], inTrap: boolean, locals: ReadonlySet<string>): string | undefined {
    let i = 0;
    while (i < args.length && args[i].startsWith("-")) i += !args[i].includes("=") && KUBECTL_VALUE_FLAGS.has(args[i]) ? 2 : 1;
    const verb = args[i];
    // A wrapper's body (`k() { kubectl --context "$CONTEXT" "$@"; }`): its callers are read instead.
    if (verb === undefined || verb === "$@" || verb === "$*") return undefined;
    const rest = args.slice(i + 1);
    const positional = rest.filter((w) => !w.startsWith("-") && !/^\d*[<>]/.test(w));
    if (verb === "delete") {
        if (inTrap && ownPods(positional, locals)) return undefined;
        return "kubectl delete";
    }
    if (verb === "scale") return rest.some((w, j) => w === "--replicas=0" || (w === "--replicas" && rest[j + 1] === "0")) ? "kubectl scale --replicas=0" : undefined;
    // An eviction (what drain sends, budgets applying) posted as raw: the drain's own isolation.
    if (verb === "create" && rest.some((w, j) => (w === "--raw" && /\/pods\/[^/]+\/eviction$/.test(rest[j + 1] ?? "")) || /^--raw=.*\/pods\/[^/]+\/eviction$/.test(w))) return undefined;
    if (verb === "replace") return rest.includes("--force") ? "kubectl replace --force" : "kubectl replace";
    // A binding's subjects, patched: a stolen credential's revocation, put back by destroy. Only
    // with the kind written out: a patch of anything else (replicas: 0) stays destructive.
    if (verb === "patch") return BINDINGS.has(positional[0] ?? "") ? undefined : "kubectl patch";
    if (verb === "exec") {
        const inner = rest.slice(rest.indexOf("--") + 1);
        return rest.includes("--") && inner.some((w) => KILLS.test(w)) ? "kubectl exec … kill" : undefined;
    }
    return KUBECTL_SAFE.has(verb) ? undefined : `kubectl ${verb}`;
}

const GCLOUD_READ = new Set(["describe", "list", "list-instances", "list-managed-instances", "get-iam-policy", "get-effective-firewalls", "read", "ls", "cat", "print-access-token", "get-value"]);
const GCLOUD_ISOLATE = new Set(["add-tags", "remove-tags", "delete-access-config", "add-access-config", "abandon-instances"]);
/**
 * A service account's revocation and its undo, each reversed by the other: disable/enable the
 * account or a key, remove/add a binding on it (Workload Identity). Deleting a key is not here.
 */
const GCLOUD_REVOKE = new Set([
    "iam service-accounts disable", "iam service-accounts enable",
    "iam service-accounts keys disable", "iam service-accounts keys enable",
    "iam service-accounts remove-iam-policy-binding", "iam service-accounts add-iam-policy-binding",
]);
const BINDINGS = new Set(["rolebinding", "clusterrolebinding", "rolebindings", "clusterrolebindings"]);

function gcloudVerb(args: readonly string[]): string | undefined {
    const path: string[] = [];
    let i = 0;
    // Global flags before the command group take a value unless written --flag=value.
    while (i < args.length && args[i].startsWith("-")) i += args[i].includes("=") ? 1 : 2;
    for (; i < args.length && /^[a-z][a-z0-9-]*$/.test(args[i]); i++) path.push(args[i]);
    const verb = path[path.length - 1];
    if (verb === undefined) return args[i] === undefined || args[i] === "$@" || args[i] === "$*" ? undefined : `gcloud ${args[i]}`;
    if (["config", "auth", "info", "version", "help"].includes(path[0])) return undefined;
    if (GCLOUD_READ.has(verb) || GCLOUD_ISOLATE.has(verb) || GCLOUD_REVOKE.has(path.join(" "))) return undefined;
    // Evidence goes up with `storage cp`; nothing the quarantine holds is changed by it.
    if (path.join(" ") === "storage cp") return undefined;
    // Deletion protection on is part of the node's isolation; lifting it is the first step of a delete.
    if (verb === "update" && args.includes("--deletion-protection") && !args.includes("--no-deletion-protection")) return undefined;
    return `gcloud ${path.join(" ")}`;
}

/** The destructive action of one command, e.g. `kubectl delete`, or undefined. */
export function destructiveVerb(cmd: Command, at: { readonly kubectl: number; readonly gcloud: number }, locals: ReadonlySet<string>): string | undefined {
    if (at.kubectl >= 0) return kubectlVerb(cmd.words.slice(at.kubectl + 1), cmd.inTrap, locals);
    if (at.gcloud >= 0) return gcloudVerb(cmd.words.slice(at.gcloud + 1));
    return undefined;
}
