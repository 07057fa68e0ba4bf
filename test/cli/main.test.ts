import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { colorEnabled } from "../../tools/cli/color";
import { lockedMessage, lockHolders } from "../../tools/cli/errors";
import { EXIT } from "../../tools/cli/flags";
import { run } from "../../tools/cli/main";

/** The ANSI escape character that starts every colour code. */
const ESC = String.fromCharCode(27);

// The CLI's contract with a shell: exit codes, refusals before anything is touched, one line when
// Pulumi is missing, colour only for a terminal that wants it. Every case here runs without a
// Pulumi CLI (PATH has none), which is itself what proves nothing reached a backend.

const ROOT = path.resolve(__dirname, "../..");

async function cli(argv: string[], o: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}) {
    let stdout = "";
    let stderr = "";
    const code = await run(argv, {
        env: { PATH: "", ...o.env },
        stdout: { write: (s: string) => (stdout += s), isTTY: o.tty },
        stderr: { write: (s: string) => (stderr += s), isTTY: o.tty },
    });
    return { code, stdout, stderr };
}

describe("exit codes", () => {
    it.each([["--help"], ["open", "--help"], ["escalate", "--help"], ["status", "--help"], ["verify", "--help"], ["close", "--help"], ["report", "--help"]])(
        "%s %s prints usage with an example and exits 0",
        async (...argv) => {
            const r = await cli(argv.filter(Boolean));
            expect(r.code).toBe(EXIT.ok);
            expect(r.stdout).toMatch(/^Usage: quarantine/);
            expect(r.stdout).toMatch(/\nExample:\n {2}\$ quarantine /);
        },
    );

    it.each([
        [["open", "42", "--pod", "default/x", "--bogus"], "unknown option '--bogus'"],
        [["status", "--all"], "unknown option '--all'"],
        [["verify"], "missing required argument 'id'"],
        [["verify", "42", "43"], "too many arguments"],
        [["report", "42", "--format", "pdf"], "Allowed choices are md, html"],
        [["nuke", "42"], "unknown command 'nuke'"],
    ])("refuses %j with exit 64", async (argv, message) => {
        const r = await cli(argv);
        expect(r.code).toBe(EXIT.usage);
        expect(r.stderr).toContain(message);
    });

    it("refuses a bad value naming flag and key (exit 64), before it looks for Pulumi or any stack", async () => {
        const r = await cli(["open", "42", "--pod", "Default/Bad_Name", "--project", "acme-prod", "--context", "ctx"]);
        expect(r.code).toBe(EXIT.usage);
        expect(r.stderr.trim()).toBe(
            '--pod "Default/Bad_Name" → quarantine:pods[0] "Default/Bad_Name" is not a valid pod name: namespace "Default" is not a Kubernetes namespace name (lowercase letters, digits, \'-\'; ≤ 63), e.g. default/web-5d9f',
        );
        expect(r.stdout).toBe("");
    });

    it.each([["status"], ["verify", "42"], ["open", "42", "--pod", "default/x", "--project", "acme-prod", "--context", "ctx"]])(
        "%s without a Pulumi CLI: one line saying how to install it, exit 2",
        async (...argv) => {
            const r = await cli(argv);
            expect(r.code).toBe(EXIT.noPulumi);
            expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^quarantine needs the Pulumi CLI on the PATH: install it with `curl -fsSL https:\/\/get\.pulumi\.com \| sh`/)]);
        },
    );

    it("bin/quarantine (what npx runs) exits with the same codes", () => {
        const env = { PATH: path.dirname(process.execPath), HOME: process.env.HOME ?? "/tmp" };
        const missing = spawnSync(process.execPath, [path.join(ROOT, "bin/quarantine"), "status"], { encoding: "utf8", env, timeout: 60_000 });
        expect([missing.status, missing.stderr.trim().split("\n").length]).toEqual([EXIT.noPulumi, 1]);
        const bad = spawnSync(process.execPath, [path.join(ROOT, "bin/quarantine"), "escalate", "42", "nuke"], { encoding: "utf8", env, timeout: 60_000 });
        expect(bad.status).toBe(EXIT.usage);
        expect(bad.stderr).toContain('<level> "nuke" → quarantine:level must be one of');
    });
});

describe("colour", () => {
    const refused = (env: NodeJS.ProcessEnv, tty: boolean) => cli(["open", "42", "--node", "Bad_Node", "--project", "acme-prod", "--context", "ctx"], { env, tty });

    it("colours a refusal on a terminal", async () => {
        expect((await refused({}, true)).stderr.startsWith(`${ESC}[31m--node "Bad_Node"`)).toBe(true);
    });

    it.each([
        ["NO_COLOR on a terminal", { NO_COLOR: "1" }, true],
        ["a pipe", {}, false],
        ["TERM=dumb", { TERM: "dumb" }, true],
    ])("prints none for %s", async (_what, env, tty) => {
        const r = await refused(env, tty);
        expect(r.stderr).toContain('--node "Bad_Node" → quarantine:nodes[0]');
        expect(r.stderr).not.toContain(ESC);
    });

    it.each([
        [{ NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
        [{ NO_COLOR: "" }, true, true],
        [{ FORCE_COLOR: "1" }, false, true],
        [{ FORCE_COLOR: "0" }, false, false],
    ])("env %j, tty %s → colour %s (NO_COLOR wins; an empty NO_COLOR is unset)", (env, tty, expected) => {
        expect(colorEnabled(env, tty)).toBe(expected);
    });
});

describe("a stack locked by another responder", () => {
    // What the Pulumi CLI 3.248 prints for a DIY backend's lock (pkg/backend/diy/lock.go).
    const stderr =
        "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
        "  gs://acme-ir-state/.pulumi/locks/organization/quarantine/incident-42/5b1f7c9e.json: created by alice@ir-laptop-1 (pid 48121) at 2026-11-25T12:03:55Z\n";

    it("says who holds the lock, since when, and how to cancel a stale one", () => {
        expect(lockHolders(stderr)).toEqual([{ lockFile: "gs://acme-ir-state/.pulumi/locks/organization/quarantine/incident-42/5b1f7c9e.json", by: "alice@ir-laptop-1", pid: "48121", since: "2026-11-25T12:03:55Z" }]);
        const m = lockedMessage("incident-42", stderr);
        expect(m).toContain("held by alice@ir-laptop-1 (pid 48121) since 2026-11-25T12:03:55Z");
        expect(m).toContain("pulumi cancel --stack incident-42 --yes");
    });

    it("still says how to cancel when Pulumi Cloud does not name the holder", () => {
        const m = lockedMessage("incident-42", "error: [409] Conflict: Another update is currently in progress.");
        expect(m).toContain("Pulumi Cloud does not say by whom");
        expect(m).toContain("pulumi cancel --stack incident-42 --yes");
    });
});
