/**
 * The two comment lines every command script starts with (`# step:` what it does, `# destroy:`
 * what destroy does about it), written by `shell.ts` and read back by the offline plan, the
 * policy pack and the bench. No imports: the policy pack loads this file too.
 */

export function header(step: string, destroy: string): string {
    return `# step: ${step}\n# destroy: ${destroy}\n`;
}

export function scriptHeader(script: string | undefined): { step?: string; destroy?: string } {
    const lines = (script ?? "").split("\n");
    const field = (i: number, key: string) => (lines[i]?.startsWith(`# ${key}: `) ? lines[i].slice(key.length + 4) : undefined);
    return { step: field(0, "step"), destroy: field(1, "destroy") };
}

/** Every evidence capture's step starts so (components/evidence.ts). */
export const CAPTURE_STEP = "Capture evidence";

export function isCapture(script: string | undefined): boolean {
    return scriptHeader(script).step?.startsWith(CAPTURE_STEP) ?? false;
}

