import { describe, expect, it } from "vitest";
import { drainExcludesQuarantined } from "../../policies/rules/drainExcludesQuarantined";
import { resourceArgs, skipReason, UNKNOWN, violations } from "./args";
import { command, DRAIN, firewall, KUBECTL } from "./fixtures";

const check = (create: string) => violations(drainExcludesQuarantined, resourceArgs(command("node/n1/drain", { create, environment: { NODE: "n1" } })));

describe("drain-excludes-quarantined", () => {
    it("passes the program's drain", async () => {
        expect(await check(DRAIN)).toEqual([]);
    });

    it.each([
        ["an unquoted selector", `kubectl drain "$NODE" --pod-selector=!quarantine`],
        ["a selector as a separate word", `kubectl --context "$CONTEXT" drain "$NODE" --pod-selector '!quarantine'`],
        ["a narrower selector", `kubectl drain "$NODE" --pod-selector='app=web,!quarantine'`],
        ["a continued line", `kubectl drain "$NODE" \\\n  --ignore-daemonsets \\\n  --pod-selector='!quarantine'`],
    ])("passes a drain with %s", async (_, create) => {
        expect(await check(create)).toEqual([]);
    });

    it("passes a command that does not drain, even if it says the word", async () => {
        expect(await check(`${KUBECTL}k cordon "$NODE"\necho "drain of $NODE skipped"`)).toEqual([]);
    });

    it.each([
        ["kubectl", `kubectl drain "$NODE" --ignore-daemonsets`],
        ["the program's k wrapper", `${KUBECTL}k drain "$NODE" --ignore-daemonsets --delete-emptydir-data`],
        ["a wrapper of another name", `kc() { kubectl --context "$CONTEXT" "$@"; }\nkc drain "$NODE"`],
        ["a subshell", `out=$(kubectl drain "$NODE" 2>&1)`],
    ])("refuses a drain through %s without a pod selector", async (_, create) => {
        expect(await check(create)).toEqual(["create drains without --pod-selector='!quarantine': the drain would evict the quarantined pods"]);
    });

    it("refuses a drain whose selector does not exclude quarantined pods", async () => {
        expect(await check(`kubectl drain "$NODE" --pod-selector='app!=db'`)).toEqual([
            "create drains with --pod-selector='app!=db', which does not exclude quarantined pods: add !quarantine",
        ]);
    });

    it("refuses a drain that repeats --pod-selector: kubectl keeps only the last, which here drains the quarantined pod", async () => {
        expect(await check(`kubectl drain "$NODE" --pod-selector='!quarantine' --pod-selector='quarantine'`)).toEqual([
            "create drains with --pod-selector given 2 times ('!quarantine', 'quarantine'): kubectl uses only the last; pass --pod-selector='!quarantine' once",
        ]);
    });

    it("checks the delete script too", async () => {
        const c = command("node/n1/drain", { create: DRAIN, delete: `kubectl drain "$NODE"`, environment: { NODE: "n1" } });
        expect(await violations(drainExcludesQuarantined, resourceArgs(c))).toEqual([
            "delete drains without --pod-selector='!quarantine': the drain would evict the quarantined pods",
        ]);
    });

    it("fails closed on a script unknown at preview", async () => {
        const c = command("node/n1/drain", { create: DRAIN }, { props: { create: UNKNOWN } });
        expect(await violations(drainExcludesQuarantined, resourceArgs(c))).toEqual([
            "string value at .create can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("skips resources that are not commands", async () => {
        expect(await skipReason(drainExcludesQuarantined, resourceArgs(firewall.egressDeny()))).toBe("applies to commands only");
    });
});
