/**
 * Cloud Logging's `=~` is an RE2 search (unanchored, case-sensitive unless the pattern starts
 * with `(?i)`). JavaScript's engine agrees with RE2 on the subset our filters use; the one RE2
 * spelling it lacks, the leading `(?i)` flag group, becomes the `i` flag.
 */
export function toRegExp(pattern: string): RegExp {
    const insensitive = pattern.startsWith("(?i)");
    const source = insensitive ? pattern.slice(4) : pattern;
    // RE2 has no backreferences or lookaround; refusing them keeps a filter that passes here from
    // being one Cloud Logging rejects.
    if (/\\[1-9]|\(\?[=!<]/.test(source)) throw new SyntaxError(`regular expression ${JSON.stringify(pattern)} uses lookaround or a backreference, which RE2 does not support`);
    return new RegExp(source, insensitive ? "i" : "");
}
