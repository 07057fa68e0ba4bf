import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { SCRIPTS_DIR, assemble } from "../../components/shell";
import { standIns } from "../standIns";

/**
 * The host guard's scripts, run for real: the outer bash steps with a stand-in kubectl (the pod's
 * log is what the host printed), and the host-side sh scripts with stand-in iptables and conntrack.
 */

const header = { step: "Guard the node", destroy: "reversed", kind: "isolation" as const };
const BLOCK = assemble({ ...header, script: "metadata-block" }, "metadata-block.create.sh");
const UNBLOCK = assemble({ ...header, script: "metadata-block" }, "metadata-block.delete.sh");
const FLUSH = assemble({ ...header, script: "conntrack-flush" }, "conntrack-flush.create.sh");
const ENV = {
    CONTEXT: "ctx",
    NODE: "gke-n1",
    IMAGE: "busybox:1.36",
    POD_NAMESPACE: "kube-system",
    HOST_POD_WAIT: "1s",
    POD_STATE_TEMPLATE: "{{.status.phase}}",
    GUARD_POD_PREFIX: "quarantine-guard-42-abc",
    MARK: "quarantine-42",
    OVERRIDES: "{}",
    UNDO_OVERRIDES: "{}",
    IPS: "10.4.0.7",
};

/** A stand-in kubectl whose guard pod printed LOG; FAIL names the verb that fails (run, wait, logs). */
function kubectl(log: string, fail = "", extra = ""): string {
    return [
        extra,
        `if [ -n "${fail}" ] && [[ " $* " == *" ${fail} "* ]]; then echo 'Error from server (Forbidden): denied by policy' >&2; exit 1; fi`,
        `if [[ " $* " == *" logs "* ]]; then printf '%b\\n' ${JSON.stringify(log)}; fi`,
        "exit 0",
    ].join("\n");
}

function runStep(script: string, kube: string, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
    const s = standIns("guard", { kubectl: kube });
    try {
        return { code: 0, stdout: s.run(script, { ...ENV, ...env }), stderr: "" };
    } catch (e) {
        const x = e as { status: number; stdout: string; stderr: string };
        return { code: x.status, stdout: x.stdout, stderr: x.stderr };
    }
}

describe("metadata-block.create.sh", () => {
    it("records only the host's metadata lines, ignoring whatever else the (attacker's) host printed", () => {
        const log = "metadata: blocked for 169.254.169.254/32 in raw OUTPUT\nroot pwned\nmetadata: blocked for 169.254.169.254/32 in raw PREROUTING";
        const r = runStep(BLOCK, kubectl(log));
        expect(r.stdout.trim().split("\n")).toEqual(["metadata: blocked for 169.254.169.254/32 in raw OUTPUT", "metadata: blocked for 169.254.169.254/32 in raw PREROUTING"]);
    });

    it("records a refused guard pod as not blocked, with the reason, and exits 0 so the cut-off still runs", () => {
        const r = runStep(BLOCK, kubectl("", "run"));
        expect(r.code).toBe(0);
        expect(r.stdout.trim()).toBe("metadata: not blocked on node gke-n1: its pod was refused: Error from server (Forbidden): denied by policy");
    });

    it("records a guard pod that never finishes as not blocked, after its bounded wait", () => {
        const r = runStep(BLOCK, kubectl("", "wait", 'if [[ " $* " == *" get "* ]]; then echo Pending; exit 0; fi'));
        expect(r.stdout.trim()).toBe("metadata: not blocked on node gke-n1: its pod did not finish within 1s: Pending");
    });
});

describe("metadata-block.delete.sh", () => {
    it("does nothing when the record says nothing was blocked", () => {
        const r = runStep(UNBLOCK, "echo called >&2; exit 1", { PULUMI_COMMAND_STDOUT: "metadata: not blocked on node gke-n1: its pod was refused: x" });
        expect([r.code, r.stdout.trim()]).toEqual([0, "metadata: nothing was blocked; nothing to undo"]);
    });

    it("does nothing once the node is gone (delete-node took it)", () => {
        const kube = 'if [[ " $* " == *" get "* ]]; then exit 0; fi\necho unexpected >&2; exit 1';
        const r = runStep(UNBLOCK, kube, { PULUMI_COMMAND_STDOUT: "metadata: blocked for 169.254.169.254/32 in raw OUTPUT" });
        expect([r.code, r.stdout.trim()]).toEqual([0, "node gke-n1 is gone; nothing to undo"]);
    });

    it("removes the rules through an undo pod and reports what the host removed", () => {
        const kube = kubectl("metadata: unblocked for 169.254.169.254/32 in raw OUTPUT (1 rule(s) removed)", "", 'if [[ " $* " == *" get "* ]]; then echo node/gke-n1; exit 0; fi');
        const r = runStep(UNBLOCK, kube, { PULUMI_COMMAND_STDOUT: "metadata: blocked for 169.254.169.254/32 in raw OUTPUT" });
        expect(r.stdout.trim()).toBe("metadata: unblocked for 169.254.169.254/32 in raw OUTPUT (1 rule(s) removed)");
    });

    it("fails with one line saying how to remove the rules by hand when the undo pod can't run", () => {
        const kube = kubectl("", "run", 'if [[ " $* " == *" get "* ]]; then echo node/gke-n1; exit 0; fi');
        const r = runStep(UNBLOCK, kube, { PULUMI_COMMAND_STDOUT: "metadata: blocked for 169.254.169.254/32 in raw OUTPUT" });
        expect(r.code).toBe(1);
        expect(r.stderr.trim().split("\n").pop()).toMatch(/^could not remove the metadata block from node gke-n1: its pod was refused: .*rules commented quarantine-42/);
    });
});

describe("conntrack-flush.create.sh", () => {
    it("records the host's conntrack lines", () => {
        const r = runStep(FLUSH, kubectl("conntrack: 3 flow(s) from 10.4.0.7 flushed\nconntrack: 0 flow(s) to 10.4.0.7 flushed"));
        expect(r.stdout.trim().split("\n")).toEqual(["conntrack: 3 flow(s) from 10.4.0.7 flushed", "conntrack: 0 flow(s) to 10.4.0.7 flushed"]);
    });

    it("records a guard pod with no output as not flushed, and exits 0", () => {
        const r = runStep(FLUSH, kubectl(""));
        expect([r.code, r.stdout.trim()]).toEqual([0, "conntrack: not flushed on node gke-n1: the guard pod reported nothing"]);
    });
});

/** The host-side scripts with stand-in iptables/ip6tables/conntrack that log their arguments. */
function onHost(script: string, tools: Record<string, string>, env: Record<string, string>): { stdout: string; calls: string[] } {
    const s = standIns("host", Object.fromEntries(Object.entries(tools).map(([t, body]) => [t, `echo "${t} $*" >>"$CALLS"\n${body}`])));
    const calls = join(s.dir, "calls");
    const stdout = s.run(readFileSync(join(SCRIPTS_DIR, "host", script), "utf8"), { ...env, CALLS: calls });
    let lines: string[] = [];
    try {
        lines = readFileSync(calls, "utf8").trim().split("\n");
    } catch {
        // No tool was called.
    }
    return { stdout, calls: lines };
}

describe("host/metadata-block.sh", () => {
    it("inserts, in OUTPUT and PREROUTING of the raw table, a DROP of TCP to the metadata server except DNS, marked with the incident", () => {
        const r = onHost("metadata-block.sh", { iptables: '[ "$5" = "-C" ] && exit 1; exit 0', ip6tables: '[ "$5" = "-C" ] && exit 1; exit 0' }, { MARK: "quarantine-42" });
        expect(r.calls).toContain("iptables -w 5 -t raw -I OUTPUT -d 169.254.169.254/32 -p tcp ! --dport 53 -m comment --comment quarantine-42 -j DROP");
        expect(r.calls).toContain("iptables -w 5 -t raw -I PREROUTING -d 169.254.169.254/32 -p tcp ! --dport 53 -m comment --comment quarantine-42 -j DROP");
        expect(r.calls).toContain("ip6tables -w 5 -t raw -I OUTPUT -d fd20:ce::254/128 -p tcp ! --dport 53 -m comment --comment quarantine-42 -j DROP");
        expect(r.stdout.trim().split("\n")).toHaveLength(4);
    });

    it("adds no second rule where this incident's rule is already in place", () => {
        const r = onHost("metadata-block.sh", { iptables: "exit 0", ip6tables: "exit 0" }, { MARK: "quarantine-42" });
        expect(r.calls.filter((c) => c.includes(" -I "))).toEqual([]);
        expect(r.stdout).toContain("metadata: blocked for 169.254.169.254/32 in raw OUTPUT (already in place)");
    });

    it("says which rule could not be added and why, instead of failing", () => {
        const r = onHost("metadata-block.sh", { iptables: '[ "$5" = "-C" ] && exit 1; echo "iptables: No chain/target/match by that name." >&2; exit 1' }, { MARK: "quarantine-42" });
        expect(r.stdout).toContain("metadata: not blocked for 169.254.169.254/32 in raw OUTPUT: iptables: No chain/target/match by that name.");
    });
});

describe("host/metadata-unblock.sh", () => {
    it("deletes this incident's rule as many times as it is there, and only it", () => {
        const ipt = 'n=$(grep -c -- "-D OUTPUT" "$CALLS"); if [ "$5" = "-D" ] && [ "$6" = "OUTPUT" ] && [ "$n" -le 2 ]; then exit 0; fi; exit 1';
        const r = onHost("metadata-unblock.sh", { iptables: ipt }, { MARK: "quarantine-42" });
        expect(r.stdout).toContain("metadata: unblocked for 169.254.169.254/32 in raw OUTPUT (2 rule(s) removed)");
        expect(r.calls.every((c) => c.includes("--comment quarantine-42"))).toBe(true);
    });
});

describe("host/conntrack-flush.sh", () => {
    it("deletes the entries from and to each address, IPv6 with -f ipv6, and reports the counts", () => {
        const ct = 'echo "conntrack v1.4.7 (conntrack-tools): 3 flow entries have been deleted." >&2';
        const r = onHost("conntrack-flush.sh", { conntrack: ct }, { IPS: "10.4.0.7 fd00:4::7" });
        expect(r.calls).toEqual(["conntrack -D -s 10.4.0.7", "conntrack -D -d 10.4.0.7", "conntrack -f ipv6 -D -s fd00:4::7", "conntrack -f ipv6 -D -d fd00:4::7"]);
        expect(r.stdout.trim().split("\n")[0]).toBe("conntrack: 3 flow(s) from 10.4.0.7 flushed");
    });

    it("says what to set when neither the image nor the node has conntrack", () => {
        const r = onHost("conntrack-flush.sh", {}, { IPS: "10.4.0.7" });
        expect(r.stdout.trim()).toMatch(/^conntrack: not flushed: no conntrack .*quarantine:capture\.debugImage/);
    });
});
