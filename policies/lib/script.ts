import { scriptHeader } from "../../core/stepHeader";

/**
 * Just enough shell reading for the command policies. Every script the program runs comes from
 * `components/shell.ts`: the header of `core/stepHeader.ts`, then bash. A script is read as
 * commands, each a list of words with their quotes removed, split where bash would split them:
 * at `;`, `&&`, `||`, `|`, `&`, `$(`, backticks and parentheses outside quotes. A `trap` handler
 * and the script of `bash -c '…'` are read as scripts of their own. That is not a shell parser,
 * and it need not be: the policies look for kubectl and gcloud commands and err towards finding
 * them.
 */

/** The `# step:` text of a script, if it starts with one. */
export function stepOf(script: string): string | undefined {
    return scriptHeader(script).step;
}

/**
 * Lines that run. Full-line comments go first, then continuations are joined: bash ends a comment
 * at its newline even after a `\`, so a comment must not swallow the line after it.
 */
export function executableLines(script: string): string[] {
    return script
        .split("\n")
        .filter((l) => !l.trim().startsWith("#"))
        .join("\n")
        .replace(/\\\n/g, " ")
        .split("\n")
        .filter((l) => l.trim() !== "");
}

/** Words of one command, quotes removed: `--pod-selector='!quarantine'` → `--pod-selector=!quarantine`. */
export function words(segment: string): string[] {
    return (segment.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? []).map((w) => w.replace(/'([^']*)'|"([^"]*)"/g, "$1$2"));
}

/** The line's commands as text, split at control operators outside single and double quotes. */
export function segments(line: string): string[] {
    const out: string[] = [];
    let cur = "";
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
            if (c === "\\" && quote === '"') {
                cur += c + (line[++i] ?? "");
                continue;
            }
            if (c === quote) quote = undefined;
            cur += c;
            continue;
        }
        if (c === "'" || c === '"') {
            quote = c;
            cur += c;
            continue;
        }
        const two = line.slice(i, i + 2);
        if (two === "&&" || two === "||" || two === "$(") {
            out.push(cur);
            cur = "";
            i++;
            continue;
        }
        if (";|&()`".includes(c) && !(c === "&" && (line[i - 1] === ">" || line[i + 1] === ">"))) {
            out.push(cur);
            cur = "";
            continue;
        }
        cur += c;
    }
    out.push(cur);
    return out.filter((s) => s.trim() !== "");
}

export interface Command {
    readonly words: string[];
    /** Read from a `trap` handler: it runs when the script exits, to clean up what it started. */
    readonly inTrap: boolean;
}

const SHELLS = new Set(["bash", "sh", "dash", "zsh"]);

/** Every command of the script, with those of `trap` handlers and `bash -c` scripts. */
export function commandsOf(script: string, inTrap = false, depth = 0): Command[] {
    const out: Command[] = [];
    for (const line of executableLines(script)) {
        for (const seg of segments(line)) {
            const w = words(seg).map(basename);
            if (w.length === 0) continue;
            const at = w.findIndex((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x));
            const head = at < 0 ? "" : w[at];
            if (depth < 4 && head === "trap" && w[at + 1] !== undefined) {
                out.push(...commandsOf(w[at + 1], true, depth + 1));
                continue;
            }
            const c = SHELLS.has(head) ? w.indexOf("-c", at) : -1;
            if (depth < 4 && c > 0 && w[c + 1] !== undefined) {
                out.push(...commandsOf(w[c + 1], inTrap, depth + 1));
                continue;
            }
            out.push({ words: w, inTrap });
        }
    }
    return out;
}

/** Every command of the script's executable lines, as words (trap handlers left out on request). */
export function commands(script: string, opts: { skipTraps?: boolean } = {}): string[][] {
    return commandsOf(script)
        .filter((c) => !(opts.skipTraps && c.inTrap))
        .map((c) => c.words);
}

/** `/usr/bin/kubectl` → `kubectl`: a binary named by its path is still that binary. */
function basename(word: string): string {
    const m = /^\/(?:[\w.-]+\/)*([\w.-]+)$/.exec(word);
    return m ? m[1] : word;
}

/** Names that run `tool`: the tool itself and any shell function whose body calls it. */
function wrappersOf(script: string, tool: string): Set<string> {
    const names = new Set([tool]);
    for (const m of script.matchAll(new RegExp(`^\\s*(?:function\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*\\(\\)\\s*\\{[^}]*(?:^|[\\s/])${tool}\\b`, "gm"))) names.add(m[1]);
    return names;
}

/**
 * Names that run kubectl: `kubectl` itself and any shell function that wraps it, such as
 * `k() { kubectl --context "$CONTEXT" "$@"; }` from `components/scripts/lib/kubectl.sh`.
 */
export function kubectlNames(script: string): Set<string> {
    return wrappersOf(script, "kubectl");
}

/** Names that run gcloud: `gcloud` and any shell function whose body calls it. */
export function gcloudNames(script: string): Set<string> {
    return wrappersOf(script, "gcloud");
}

/** Lower-case variables the script assigns itself (`pod=…`, `local work`): not the environment's. */
export function localNames(script: string): Set<string> {
    return new Set([...script.matchAll(/(?:^|[\s;(])(?:local\s+)?([a-z_][a-z0-9_]*)=/gm)].map((m) => m[1]));
}

/** Names of the script's functions that run their arguments as a command (`"$@"`), like `attempt`. */
export function runnerNames(script: string): Set<string> {
    const names = new Set(["xargs", "timeout", "nice", "env", "sudo", "command", "exec", "nohup", "time"]);
    for (const m of script.matchAll(/^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{([\s\S]*?)^\}/gm)) {
        if (/"\$@"/.test(m[2])) names.add(m[1]);
    }
    return names;
}

const KEYWORDS = new Set(["if", "then", "elif", "else", "while", "until", "do", "!", "{", "time"]);

/**
 * Where `cmd` runs `binary` or one of its wrappers (`tool`, from `kubectlNames` or
 * `gcloudNames`). The binary's own name counts anywhere, erring towards finding it (`gone_ok
 * gcloud …`, `xargs kubectl …`); a wrapper's name only in command position (after shell keywords
 * and variable assignments) or among a runner's arguments (`attempt "why" k …`), so that `for k
 * in …` runs no kubectl. -1 when it runs neither.
 */
export function toolAt(cmd: readonly string[], binary: string, tool: ReadonlySet<string>, runners: ReadonlySet<string>): number {
    const literal = cmd.indexOf(binary);
    if (literal >= 0) return literal;
    const head = cmd.findIndex((w) => !KEYWORDS.has(w) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (head < 0) return -1;
    if (tool.has(cmd[head])) return head;
    if (!runners.has(cmd[head])) return -1;
    return cmd.findIndex((w, i) => i > head && tool.has(w));
}

/** Index of the first kubectl word in `cmd`, or -1. */
export function kubectlAt(cmd: readonly string[], kubectl: ReadonlySet<string>): number {
    return cmd.findIndex((w) => kubectl.has(w));
}

/** Whether `value` appears in `text` as a whole word: not as part of `--zone` or `my-default-x`. */
export function containsWord(text: string, value: string): boolean {
    const escaped = value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return new RegExp(`(^|[^A-Za-z0-9_-])${escaped}($|[^A-Za-z0-9_-])`, "m").test(text);
}

/**
 * The text with `case` patterns removed: `case "$KIND" in deployment|statefulset) …` keeps
 * `case "$KIND" in ) …`. A pattern is the script checking a value it received against a fixed
 * allow-list; the words in it are constants of the script, not values spliced into it.
 */
export function withoutCasePatterns(text: string): string {
    return text.replace(/\bcase\b[\s\S]*?\besac\b/g, (block) => block.replace(/(\bin\b|;;&?|;&)(\s*)\(?[^()\n;]*\)/g, "$1$2)"));
}
