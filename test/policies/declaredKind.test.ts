import { describe, expect, it } from "vitest";
import { declaredKind } from "../../policies/rules/declaredKind";
import { resourceArgs, violations } from "./args";
import { command, KUBECTL } from "./fixtures";

describe("declared-kind", () => {
    it("passes a destructive step declared destructive", async () => {
        const d = command("escalate/redeploy/default/p", { kind: "destructive", create: `${KUBECTL}k -n "$NAMESPACE" delete "pod/$POD" --wait=false` });
        expect(await violations(declaredKind, resourceArgs(d))).toEqual([]);
    });

    it("passes a capture that only reads", async () => {
        const d = command("capture/pod/default/p", { kind: "capture", create: `${KUBECTL}k -n "$NAMESPACE" get "pod/$POD" -o yaml` });
        expect(await violations(declaredKind, resourceArgs(d))).toEqual([]);
    });

    it.each(["capture", "check", "isolation", "restore"] as const)("refuses a kubectl delete in a step declared %s", async (kind) => {
        const d = command("capture/pod/default/p", { kind, create: `${KUBECTL}k -n "$NAMESPACE" delete "pod/$POD"` });
        expect(await violations(declaredKind, resourceArgs(d))).toEqual([
            `is declared "${kind}" but its script runs kubectl delete: declare it "destructive", so it waits for the evidence, or remove the kubectl delete`,
        ]);
    });

    it.each([[["/bin/sh", "-c"]], [["python3", "-c"]], [undefined]])("refuses a command run by interpreter %j, which the pack does not read", async (interpreter) => {
        const d = command("x", { kind: "capture", create: `${KUBECTL}k get pod "$POD"` });
        const other = { ...d, props: { ...d.props, interpreter } };
        expect(await violations(declaredKind, resourceArgs(other))).toEqual([
            `runs its scripts with ${JSON.stringify(interpreter ?? "the provider's default, /bin/sh -c")}: the quarantine's scripts run under ["/bin/bash", "-c"], which is what this pack reads`,
        ]);
    });

    it("refuses a command whose script declares no kind", async () => {
        const d = command("x", { create: 'echo "hi"' });
        const headerless = { ...d, props: { ...d.props, create: "# step: Do a thing\nset -euo pipefail\necho hi\n" } };
        expect(await violations(declaredKind, resourceArgs(headerless))).toEqual([
            'declares no kind: its create script must start with the header of core/stepHeader.ts, with "# kind:" one of isolation, capture, check, destructive, restore',
        ]);
    });
});
