/**
 * STAND-IN for the real pulumi-command provider's local `run` (provider/pkg/provider/local/
 * commandOutputs.go at v1.2.1): runs one command the way `local.Command` and `local.run` do. The
 * real provider cannot be built here (its Go module is not served), see ../README.md.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export type Logging = "stdout" | "stderr" | "stdoutAndStderr" | "none";

/** The inputs every local run shares (the real provider's BaseInputs), secrets already revealed. */
export interface BaseInputs {
    interpreter?: string[];
    dir?: string;
    environment?: Record<string, string>;
    stdin?: string;
    logging?: Logging;
    addPreviousOutputInEnv?: boolean;
}

export interface Outputs {
    stdout: string;
    stderr: string;
}

/** Receives each line of the command's output that `logging` selects. */
export type LineLogger = (line: string) => void;

/**
 * Runs `command` and resolves with its stdout/stderr (one trailing newline trimmed, as the real
 * provider does); rejects on a non-zero exit or a failed start, with the interleaved output in the
 * message, because that message is what `pulumi up` shows the user.
 * `previous` is the resource's last stdout/stderr: handed to update and delete scripts.
 */
export function runCommand(command: string, inputs: BaseInputs, previous: Outputs, log: LineLogger): Promise<Outputs> {
    const interpreter = inputs.interpreter && inputs.interpreter.length > 0 ? inputs.interpreter : ["/bin/sh", "-c"];
    const env: NodeJS.ProcessEnv = { ...process.env, ...(inputs.environment ?? {}) };
    // Only non-empty values are set, and they win over `environment`: same order as the real one.
    if (inputs.addPreviousOutputInEnv !== false) {
        if (previous.stdout !== "") env.PULUMI_COMMAND_STDOUT = previous.stdout;
        if (previous.stderr !== "") env.PULUMI_COMMAND_STDERR = previous.stderr;
    }
    const stdin = inputs.stdin !== undefined && inputs.stdin.length > 0 ? inputs.stdin : undefined;
    const logStdout = inputs.logging === undefined || inputs.logging === "stdout" || inputs.logging === "stdoutAndStderr";
    const logStderr = inputs.logging === undefined || inputs.logging === "stderr" || inputs.logging === "stdoutAndStderr";

    return new Promise((resolve, reject) => {
        // spawn would report a missing cwd as a missing interpreter (ENOENT): say what is missing.
        if (inputs.dir !== undefined && !existsSync(inputs.dir)) {
            reject(new Error(`chdir ${inputs.dir}: no such file or directory: running ${JSON.stringify(command)}`));
            return;
        }
        const child = spawn(interpreter[0], [...interpreter.slice(1), command], {
            cwd: inputs.dir ?? process.cwd(),
            env,
            stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        let combined = "";
        let pendingLine = "";
        const toLog = (chunk: string): void => {
            const lines = (pendingLine + chunk).split("\n");
            pendingLine = lines.pop() ?? "";
            lines.forEach(log);
        };
        child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk;
            combined += chunk;
            if (logStdout) toLog(chunk);
        });
        child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
            stderr += chunk;
            combined += chunk;
            if (logStderr) toLog(chunk);
        });
        if (child.stdin) child.stdin.end(stdin);
        child.on("error", (err) => reject(new Error(`${err.message}: running ${JSON.stringify(command)}:\n${combined}`)));
        child.on("close", (code, signal) => {
            if (pendingLine !== "") log(pendingLine);
            if (code === 0) {
                resolve({ stdout: stdout.replace(/\n$/, ""), stderr: stderr.replace(/\n$/, "") });
                return;
            }
            // Go's exec error text, so messages read like the real provider's.
            const status = signal ? `signal: ${signal}` : `exit status ${code}`;
            reject(new Error(`${status}: running ${JSON.stringify(command)}:\n${combined}`));
        });
    });
}
