import { commandsOf, gcloudNames, kubectlNames, runnerNames, toolAt } from "../../policies/lib/script";

/**
 * What one script of the incident program calls, as keys of the responder tables: gcloud command
 * paths (`compute instances add-tags`, GCLOUD_PERMISSIONS) and kubectl `<verb> <resource>`
 * (`label pods`, KUBECTL_RULES). It reads the script the way the policy pack does
 * (`policies/lib/script.ts`): kubectl and gcloud, their wrappers (`k`), and the runners that
 * take them as arguments (`attempt`, `capture`, `gone_ok`). Values the program hands the script
 * (`$KIND` of a workload step) are filled in from its environment; a function's positional
 * parameters (`exit_if_gone`, `holds`) from each of its call sites. A resource it can't name is
 * returned as is (`get $X`), which no table has: the coverage test then fails on it.
 */
export interface ScriptNeeds {
    readonly gcloud: string[];
    readonly kubectl: string[];
}

/** kubectl flags that take the next word as their value, unless written `--flag=value`. */
const VALUE_FLAGS = new Set([
    "--context", "-n", "--namespace", "--kubeconfig", "--request-timeout", "-o", "--output", "-l", "--selector", "--as",
    "-c", "--container", "--field-selector", "--for", "--timeout", "--image", "--overrides", "--template", "--grace-period",
    "--cascade", "-f", "--filename", "-p", "--patch", "--type", "--raw",
]);

/** kubectl's names and short names → the resource RBAC checks. */
const RESOURCES: Record<string, string> = {
    po: "pods", pod: "pods", pods: "pods",
    no: "nodes", node: "nodes", nodes: "nodes",
    ev: "events", event: "events", events: "events",
    netpol: "networkpolicies", networkpolicy: "networkpolicies", networkpolicies: "networkpolicies",
    pdb: "poddisruptionbudgets", poddisruptionbudget: "poddisruptionbudgets", poddisruptionbudgets: "poddisruptionbudgets",
    deploy: "deployments", deployment: "deployments", deployments: "deployments",
    sts: "statefulsets", statefulset: "statefulsets", statefulsets: "statefulsets",
    rs: "replicasets", replicaset: "replicasets", replicasets: "replicasets",
    ds: "daemonsets", daemonset: "daemonsets", daemonsets: "daemonsets",
    job: "jobs", jobs: "jobs",
    cj: "cronjobs", cronjob: "cronjobs", cronjobs: "cronjobs",
    ns: "namespaces", namespace: "namespaces", namespaces: "namespaces",
    crd: "customresourcedefinitions", crds: "customresourcedefinitions", customresourcedefinition: "customresourcedefinitions", customresourcedefinitions: "customresourcedefinitions",
};

const ARRAY = /^\$\{[A-Za-z_][A-Za-z0-9_]*\[[@*]\]\}$/;
const POSITIONAL = /^\$(?:[@*1-9]|\{[@*1-9]\})$/;
const EVICTION = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/eviction$/;

function substitute(word: string, env: Readonly<Record<string, string>>): string {
    return word.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name: string) => env[name] ?? m);
}

/** The `<verb> <resource>` of kubectl's arguments (the words after `kubectl` or `k`). */
export function kubectlKey(args: readonly string[]): string | undefined {
    let i = 0;
    // `"${scope[@]}"`: an array of flags (`-n "$NAMESPACE"` or nothing), before the verb.
    while (i < args.length && (args[i].startsWith("-") || ARRAY.test(args[i]))) i += !args[i].includes("=") && VALUE_FLAGS.has(args[i]) ? 2 : 1;
    const verb = args[i];
    if (verb === undefined || POSITIONAL.test(verb)) return undefined;
    const rest = args.slice(i + 1);
    const before: string[] = [];
    const after: string[] = [];
    let raw: string | undefined;
    for (let j = 0, dashes = false; j < rest.length; j++) {
        const w = rest[j];
        if (w === "--" && !dashes) dashes = true;
        else if (/^\d*[<>]/.test(w)) continue;
        else if (!dashes && w.startsWith("-")) {
            if (w === "--raw") raw = rest[j + 1];
            if (!w.includes("=") && VALUE_FLAGS.has(w)) j++;
        } else (dashes ? after : before).push(w);
    }
    if (verb === "auth") return `auth ${before[0] ?? ""}`.trim();
    if (verb === "drain" || verb === "cordon" || verb === "uncordon") return `${verb} nodes`;
    if (verb === "run" || verb === "logs" || verb === "exec") return `${verb} pods`;
    if (verb === "create" && raw !== undefined) return EVICTION.test(raw) ? "create pods/eviction" : `create --raw ${raw}`;
    const first = before[0] ?? "";
    const slash = first.indexOf("/");
    const type = slash >= 0 ? first.slice(0, slash) : first;
    // `globalnetworkpolicies.crd.projectcalico.org`: resource.group, kept whole as the key.
    const resource = RESOURCES[type.toLowerCase()] ?? type;
    if (verb === "get") return `${slash >= 0 || before.length > 1 || after.length > 0 ? "get" : "list"} ${resource}`;
    return `${verb} ${resource}`;
}

/** The command path of gcloud's arguments: the lower-case words before the first flag or value. */
export function gcloudPath(args: readonly string[]): string | undefined {
    let i = 0;
    while (i < args.length && args[i].startsWith("-")) i += args[i].includes("=") ? 1 : 2;
    const path: string[] = [];
    for (; i < args.length && /^[a-z][a-z0-9-]*$/.test(args[i]); i++) path.push(args[i]);
    return path.length > 0 ? path.join(" ") : undefined;
}

interface Fn {
    readonly name: string;
    readonly body: string;
}

/** The script's shell functions, one-line (`k() { …; }`) and multi-line (closing `}` alone). */
function functionsOf(script: string): Fn[] {
    const out: Fn[] = [];
    for (const m of script.matchAll(/^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{(.*\}\s*$|[\s\S]*?^\})/gm)) out.push({ name: m[1], body: m[2] });
    return out;
}

/** The function's locals that name a parameter: `local kind="$1" crd="$2"` → crd ↦ `$2`. */
function positionalLocals(body: string): Map<string, string> {
    return new Map([...body.matchAll(/(?:^|\s)([a-z_][a-z0-9_]*)="?\$\{?([1-9])\}?"?(?=\s|$)/gm)].map((m) => [m[1], `$${m[2]}`]));
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((w, i) => w === b[i]);

/**
 * kubectl argument lists of a command that passes a function's parameters on (`k get "$@"`,
 * `get "$crd"` with `local crd="$2"`): one per call of that function, with the caller's arguments
 * in their place. Undefined for a command that uses none.
 */
function expanded(script: string, original: readonly string[], runners: ReadonlySet<string>): string[][] | undefined {
    const fn = functionsOf(script).find((f) => commandsOf(f.body).some((c) => same(c.words, original)));
    if (!fn) return undefined;
    const bound = positionalLocals(fn.body);
    const words = original.map((w) => w.replace(/\$\{?([a-z_][a-z0-9_]*)\}?/g, (m, name: string) => bound.get(name) ?? m));
    if (!words.some((w) => POSITIONAL.test(w))) return undefined;
    const shifts = commandsOf(fn.body).filter((c) => c.words[0] === "shift").length;
    const calls = commandsOf(script).filter((c) => !commandsOf(fn.body).some((b) => same(b.words, c.words)));
    const out: string[][] = [];
    for (const call of calls) {
        const at = toolAt(call.words, fn.name, new Set([fn.name]), runners);
        // `name() {` reads as a command of one word: the definition, not a call.
        if (at < 0 || at === call.words.length - 1) continue;
        const params = call.words.slice(at + 1 + shifts);
        out.push(
            words.flatMap((w) => {
                const m = /^\$\{?([@*1-9])\}?$/.exec(w);
                if (!m) return [w];
                return m[1] === "@" || m[1] === "*" ? params : params[Number(m[1]) - 1] !== undefined ? [params[Number(m[1]) - 1]] : [];
            }),
        );
    }
    return out;
}

/** What `script`, run with `environment`, calls. */
export function scriptNeeds(script: string, environment: Readonly<Record<string, string>> = {}): ScriptNeeds {
    const kubectl = kubectlNames(script);
    const gcloud = gcloudNames(script);
    const runners = runnerNames(script);
    const needs = { gcloud: new Set<string>(), kubectl: new Set<string>() };
    for (const cmd of commandsOf(script)) {
        const g = toolAt(cmd.words, "gcloud", gcloud, runners);
        if (g >= 0) {
            const path = gcloudPath(cmd.words.slice(g + 1));
            if (path) needs.gcloud.add(path);
            continue;
        }
        const k = toolAt(cmd.words, "kubectl", kubectl, runners);
        if (k < 0) continue;
        const args = cmd.words.slice(k + 1);
        // A wrapper's own body (`k() { kubectl … "$@"; }`) names no verb: its callers are read.
        if (kubectlKey(args) === undefined) continue;
        const forms = expanded(script, cmd.words, runners)?.map((w) => w.slice(k + 1)) ?? [args];
        for (const form of forms) {
            const key = kubectlKey(form.map((w) => substitute(w, environment)));
            if (key) needs.kubectl.add(key);
        }
    }
    return { gcloud: [...needs.gcloud].sort(), kubectl: [...needs.kubectl].sort() };
}
