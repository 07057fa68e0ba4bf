import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEEP, PULUMI_BINARIES, ROOT, skipReason as skipBecause } from "./harness/bin";
import { COMMAND_STAND_IN, PulumiCli } from "./harness/pulumiCli";

// The stand-in `command` provider (test/e2e/standIns/command) under the real Pulumi CLI: installed
// with `pulumi plugin install --file`, driven by `pulumi up` / `pulumi destroy` of a tiny program
// (test/e2e/fixtures/commandStandIn) on a file:// backend. Every assertion is on a file or log
// line the scripts wrote, or on stack state, never on the CLI's progress output.
// Run with `npm run test:e2e` (not part of `npm test`). The sealed CLI environment (private
// PULUMI_HOME, no downloads, no ambient plugins) is the harness's (harness/pulumiCli.ts).

const FIXTURE = path.join(__dirname, "fixtures/commandStandIn");
const skipReason = skipBecause("commandStandIn.e2e", PULUMI_BINARIES);

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
    let cli: PulumiCli;

    /** Runs the CLI in the program dir; `expectFailure` turns a zero exit into the error instead. */
    async function pulumi(args: string[], opts: { expectFailure?: boolean } = {}): Promise<Result> {
        const r = await cli.run(args);
        const output = `${r.stdout}${r.stderr}`;
        const failed = r.code !== 0;
        if (failed !== (opts.expectFailure ?? false)) throw new Error(`pulumi ${args.join(" ")}: exit ${r.code}\n${output}`);
        return { status: r.code, stdout: r.stdout, output };
    }
    const up = (opts: { expectFailure?: boolean } = {}): Promise<Result> => pulumi(["up", "--yes"], opts);
    const config = (key: string, value: string): Promise<Result> => pulumi(["config", "set", key, value]);
    const output = async (name: string, ...flags: string[]): Promise<string> => (await pulumi(["stack", "output", name, ...flags])).stdout.trim();
    const log = (): string[] => readFileSync(path.join(out, "log"), "utf8").trim().split("\n");
    const commandsInState = async (): Promise<string[]> => {
        const deployment = JSON.parse((await pulumi(["stack", "export"])).stdout).deployment;
        return (deployment.resources ?? [])
            .filter((r: any) => r.type === "command:local:Command")
            .map((r: any) => r.urn.split("::").pop());
    };

    beforeAll(async () => {
        tmp = mkdtempSync(path.join(tmpdir(), "quarantine-command-standin-"));
        prog = path.join(tmp, "prog");
        out = path.join(tmp, "out");
        mkdirSync(out);
        cpSync(FIXTURE, prog, { recursive: true });
        // The program resolves @pulumi/pulumi, @pulumi/command and ts-node from the repo.
        symlinkSync(path.join(ROOT, "node_modules"), path.join(prog, "node_modules"));
        cli = new PulumiCli(tmp, prog);
        await cli.login();
        await cli.installPlugin(COMMAND_STAND_IN);
        await pulumi(["stack", "init", "e2e"]);
        await config("outDir", out);
    });

    afterAll(() => {
        if (tmp && !KEEP) rmSync(tmp, { recursive: true, force: true });
    });

    it("creates: create runs with environment, in the program dir; dir, stdin, interpreter, secrets; run invoke", async () => {
        await up();
        expect(log()).toEqual(["create hello prev="]);
        expect(readFileSync(path.join(out, "cwd"), "utf8").trim()).toBe(prog);
        expect(readFileSync(path.join(out, "stdin.txt"), "utf8")).toBe("from-stdin");
        expect(readFileSync(path.join(out, "token.txt"), "utf8")).toBe("t0ken");
        expect(existsSync(path.join(out, "invoked"))).toBe(true);
        expect(await output("markerStdout")).toBe("out-hello");
        expect(await output("ranStdout")).toBe("ran-1");
        // A secret input makes stdout secret, as the real provider's default dependency wiring does.
        expect(await output("knobsStdout")).toBe("[secret]");
        expect(await output("knobsStdout", "--show-secrets")).toMatch(/^\d+\.\d+/);
    });

    it("a trigger change replaces: the new create runs before the old delete, which sees the old stdout", async () => {
        await config("trigger", "2");
        await up();
        expect(log()).toEqual(["create hello prev=", "create hello prev=", "delete prev=out-hello"]);
    });

    it("any other change updates: with no update script, create runs again and sees the previous stdout", async () => {
        await config("greeting", "bye");
        await up();
        expect(log().slice(3)).toEqual(["create bye prev=out-hello"]);
        expect(await output("markerStdout")).toBe("out-bye");
    });

    it("a failing create fails the update with the script's output, and leaves nothing in state", async () => {
        await config("failCreate", "true");
        const r = await up({ expectFailure: true });
        expect(r.output).toContain("exit status 3");
        expect(r.output).toContain("boom-err");
        expect(await commandsInState()).not.toContain("broken");
        await config("failCreate", "false");
    });

    it("a failing delete fails and keeps the resource; it is deleted once the script succeeds", async () => {
        await config("sticky", "true");
        await up();
        await config("sticky", "false");
        const r = await up({ expectFailure: true });
        expect(r.output).toContain("exit status 4");
        expect(r.output).toContain("refusing-delete");
        expect(await commandsInState()).toContain("sticky");
        writeFileSync(path.join(out, "allow-delete"), "");
        await up();
        expect(await commandsInState()).not.toContain("sticky");
        expect(log()).toContain("delete sticky");
    });

    it("destroy runs each delete script, with the last stdout unless addPreviousOutputInEnv is false", async () => {
        await pulumi(["destroy", "--yes"]);
        expect(log()).toEqual(expect.arrayContaining(["delete prev=out-bye", "knobs-delete prev=[]"]));
        expect(await commandsInState()).toEqual([]);
    });
});
