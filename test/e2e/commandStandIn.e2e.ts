import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The stand-in `command` provider (test/e2e/standIns/command) under the real Pulumi CLI: installed
// with `pulumi plugin install --file`, driven by `pulumi up` / `pulumi destroy` of a tiny program
// (test/e2e/fixtures/commandStandIn) on a file:// backend. Every assertion is on a file or log
// line the scripts wrote, or on stack state, never on the CLI's progress output.
// Run with `npm run test:e2e` (not part of `npm test`).

const ROOT = path.resolve(__dirname, "../..");
const FIXTURE = path.join(__dirname, "fixtures/commandStandIn");
const LAUNCHER = path.join(__dirname, "standIns/command/pulumi-resource-command");
const CHILD_TIMEOUT_MS = 240_000;

/** The bin dir test/e2e/tools/build.sh fills: its key is computed the same way, never built here. */
function binDir(): string {
    if (process.env.QUARANTINE_E2E_BIN) return process.env.QUARANTINE_E2E_BIN;
    const keyScript =
        "find . -type f \\( -name go.mod -o -name go.sum -o -name '*.go' \\) -print0 | " +
        "LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12";
    const key = spawnSync("bash", ["-c", keyScript], { cwd: path.join(__dirname, "tools"), encoding: "utf8", timeout: 30_000 })
        .stdout.trim();
    const cache = process.env.QUARANTINE_E2E_CACHE ?? path.join(homedir(), ".cache/quarantine-e2e");
    return path.join(cache, key, "bin");
}

const BIN = binDir();
const missing = ["pulumi", "pulumi-language-nodejs"].filter((b) => !existsSync(path.join(BIN, b)));
const skipReason = missing.length > 0 ? `no ${missing.join(", ")} in ${BIN}: run test/e2e/tools/build.sh` : undefined;
if (skipReason) console.warn(`commandStandIn.e2e: skipped, ${skipReason}`);

interface Result {
    status: number | null;
    stdout: string;
    /** stdout and stderr: where the CLI reports a failed step. */
    output: string;
}

describe.skipIf(skipReason !== undefined)("stand-in command provider under the real Pulumi CLI", () => {
    let tmp = "";
    let prog = "";
    let out = "";
    let env: NodeJS.ProcessEnv = {};

    /** Runs the CLI in the program dir; `expectFailure` turns a zero exit into the error instead. */
    function pulumi(args: string[], opts: { expectFailure?: boolean } = {}): Result {
        const r = spawnSync(path.join(BIN, "pulumi"), [...args, "--non-interactive"], {
            cwd: prog,
            env,
            encoding: "utf8",
            timeout: CHILD_TIMEOUT_MS,
            killSignal: "SIGKILL",
        });
        const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
        const failed = r.status !== 0;
        if (failed !== (opts.expectFailure ?? false)) {
            throw new Error(`pulumi ${args.join(" ")}: exit ${r.status} ${r.signal ?? ""} ${r.error?.message ?? ""}\n${output}`);
        }
        return { status: r.status, stdout: r.stdout ?? "", output };
    }
    const up = (opts: { expectFailure?: boolean } = {}): Result => pulumi(["up", "--yes"], opts);
    const config = (key: string, value: string): Result => pulumi(["config", "set", key, value]);
    const log = (): string[] => readFileSync(path.join(out, "log"), "utf8").trim().split("\n");
    const commandsInState = (): string[] => {
        const deployment = JSON.parse(pulumi(["stack", "export"]).stdout).deployment;
        return (deployment.resources ?? [])
            .filter((r: any) => r.type === "command:local:Command")
            .map((r: any) => r.urn.split("::").pop());
    };

    beforeAll(() => {
        tmp = mkdtempSync(path.join(tmpdir(), "quarantine-command-standin-"));
        prog = path.join(tmp, "prog");
        out = path.join(tmp, "out");
        mkdirSync(out);
        cpSync(FIXTURE, prog, { recursive: true });
        // The program resolves @pulumi/pulumi, @pulumi/command and ts-node from the repo.
        symlinkSync(path.join(ROOT, "node_modules"), path.join(prog, "node_modules"));
        // The caller's Pulumi/ts-node settings must not leak in; the PATH keeps only system dirs
        // so that no other pulumi-resource-command can be picked up.
        env = Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !/^(PULUMI_|TS_NODE_|NODE_OPTIONS$|NODE_PATH$)/.test(k)),
        );
        Object.assign(env, {
            PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
            PULUMI_HOME: path.join(tmp, "home"),
            PULUMI_CONFIG_PASSPHRASE: "e2e-not-secret",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            // `plugin install --file` copies the launcher; this tells the copy where the sources are.
            QUARANTINE_REPO: ROOT,
        });
        mkdirSync(path.join(tmp, "state")); // the file backend does not create its dir
        pulumi(["login", `file://${path.join(tmp, "state")}`]);
        pulumi(["plugin", "install", "resource", "command", "1.2.1", "--file", LAUNCHER]);
        pulumi(["stack", "init", "e2e"]);
        config("outDir", out);
    });

    afterAll(() => {
        if (tmp && !process.env.QUARANTINE_E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
    });

    it("creates: create runs with environment, in the program dir; dir, stdin, interpreter, secrets; run invoke", () => {
        up();
        expect(log()).toEqual(["create hello prev="]);
        expect(readFileSync(path.join(out, "cwd"), "utf8").trim()).toBe(prog);
        expect(readFileSync(path.join(out, "stdin.txt"), "utf8")).toBe("from-stdin");
        expect(readFileSync(path.join(out, "token.txt"), "utf8")).toBe("t0ken");
        expect(existsSync(path.join(out, "invoked"))).toBe(true);
        expect(pulumi(["stack", "output", "markerStdout"]).stdout.trim()).toBe("out-hello");
        expect(pulumi(["stack", "output", "ranStdout"]).stdout.trim()).toBe("ran-1");
        // A secret input makes stdout secret, as the real provider's default dependency wiring does.
        expect(pulumi(["stack", "output", "knobsStdout"]).stdout.trim()).toBe("[secret]");
        expect(pulumi(["stack", "output", "knobsStdout", "--show-secrets"]).stdout.trim()).toMatch(/^\d+\.\d+/);
    });

    it("a trigger change replaces: the new create runs before the old delete, which sees the old stdout", () => {
        config("trigger", "2");
        up();
        expect(log()).toEqual(["create hello prev=", "create hello prev=", "delete prev=out-hello"]);
    });

    it("any other change updates: with no update script, create runs again and sees the previous stdout", () => {
        config("greeting", "bye");
        up();
        expect(log().slice(3)).toEqual(["create bye prev=out-hello"]);
        expect(pulumi(["stack", "output", "markerStdout"]).stdout.trim()).toBe("out-bye");
    });

    it("a failing create fails the update with the script's output, and leaves nothing in state", () => {
        config("failCreate", "true");
        const r = up({ expectFailure: true });
        expect(r.output).toContain("exit status 3");
        expect(r.output).toContain("boom-err");
        expect(commandsInState()).not.toContain("broken");
        config("failCreate", "false");
    });

    it("a failing delete fails and keeps the resource; it is deleted once the script succeeds", () => {
        config("sticky", "true");
        up();
        config("sticky", "false");
        const r = up({ expectFailure: true });
        expect(r.output).toContain("exit status 4");
        expect(r.output).toContain("refusing-delete");
        expect(commandsInState()).toContain("sticky");
        writeFileSync(path.join(out, "allow-delete"), "");
        up();
        expect(commandsInState()).not.toContain("sticky");
        expect(log()).toContain("delete sticky");
    });

    it("destroy runs each delete script, with the last stdout unless addPreviousOutputInEnv is false", () => {
        pulumi(["destroy", "--yes"]);
        expect(log()).toEqual(expect.arrayContaining(["delete prev=out-bye", "knobs-delete prev=[]"]));
        expect(commandsInState()).toEqual([]);
    });
});
