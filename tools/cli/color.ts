/**
 * ANSI colour for a terminal reader, none for a pipe, a file or anyone who set NO_COLOR
 * (https://no-color.org: any non-empty value). FORCE_COLOR turns it on for a CI log that renders
 * ANSI. Decided per stream and passed in, so tests choose without touching process globals.
 */

export interface Colors {
    readonly enabled: boolean;
    red(s: string): string;
    green(s: string): string;
    yellow(s: string): string;
    bold(s: string): string;
    dim(s: string): string;
}

export function colorEnabled(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
    if (env.NO_COLOR) return false;
    if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
    return isTTY === true && env.TERM !== "dumb";
}

export function colors(enabled: boolean): Colors {
    const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
    return { enabled, red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}
