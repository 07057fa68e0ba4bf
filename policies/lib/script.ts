import { scriptHeader } from "../../core/stepHeader";

/**
 * Just enough shell reading for the command policies. Every script the program runs comes from
 * `components/shell.ts`: the header of `core/stepHeader.ts`, then bash. A script is read as
 * commands ("segments": split at `;`, `&&`, `||`, `|`, `$(`, backticks and parentheses), each a
 * list of words with their quotes removed. That is not a shell parser, and it need not be: the
 * policies look for a handful of command shapes (`kubectl … delete`, `kubectl … drain`, `gcloud …
 * instances delete`) and err towards finding them.
 */

/** The `# step:` text of a script, if it starts with one. */
export function stepOf(script: string): string | undefined {
    return scriptHeader(script).step;
}

/** Lines that run: continuations joined, full-line comments dropped. */
export function executableLines(script: string): string[] {
    return script
        .replace(/\\\n/g, " ")
        .split("\n")
        .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

/** Words of one command, quotes removed: `--pod-selector='!quarantine'` → `--pod-selector=!quarantine`. */
export function words(segment: string): string[] {
    return (segment.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? []).map((w) => w.replace(/'([^']*)'|"([^"]*)"/g, "$1$2"));
}

/** Every command of the script's executable lines, as words. */
export function commands(script: string, opts: { skipTraps?: boolean } = {}): string[][] {
    return executableLines(script)
        .filter((l) => !(opts.skipTraps && /^\s*trap\s/.test(l)))
        .flatMap((l) => l.split(/;|&&|\|\||\||\$\(|`|\(|\)/))
        .map(words)
        .filter((w) => w.length > 0);
}

/**
 * Names that run kubectl: `kubectl` itself and any shell function that wraps it, such as
 * `k() { kubectl --context "$CONTEXT" "$@"; }` from `components/shell.ts`.
 */
export function kubectlNames(script: string): Set<string> {
    const names = new Set(["kubectl"]);
    for (const m of script.matchAll(/^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{[^}]*\bkubectl\b/gm)) names.add(m[1]);
    return names;
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
