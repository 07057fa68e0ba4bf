import { describe, expect, it } from "vitest";
import { hostAccessOf } from "../../../stacks/incident/hostAccess";
import { sampleCluster } from "../../../tools/mockEngine/sampleCluster";
import { run } from "../../harness";

describe("what lets a pod reach past NetworkPolicy or its sandbox", () => {
    it.each<[string, Parameters<typeof hostAccessOf>[0], string[]]>([
        ["an ordinary pod", { containers: [{ name: "app" }] }, []],
        ["hostNetwork", { hostNetwork: true }, ["hostNetwork"]],
        ["hostPID and hostIPC", { hostPID: true, hostIPC: true }, ["hostPID", "hostIPC"]],
        ["a privileged init container", { initContainers: [{ name: "setup", securityContext: { privileged: true } }] }, ["privileged container setup"]],
        ["SYS_ADMIN, written with CAP_", { containers: [{ name: "app", securityContext: { capabilities: { add: ["CAP_SYS_ADMIN"] } } }] }, ["capability SYS_ADMIN in container app"]],
        ["NET_ADMIN in an ephemeral container", { ephemeralContainers: [{ name: "debugger", securityContext: { capabilities: { add: ["NET_ADMIN"] } } }] }, ["capability NET_ADMIN in container debugger"]],
        ["a harmless capability", { containers: [{ name: "app", securityContext: { capabilities: { add: ["NET_BIND_SERVICE"] } } }] }, []],
        ["a hostPath volume", { volumes: [{ name: "root", hostPath: { path: "/" } }, { name: "tmp" }] }, ["hostPath volume /"]],
        ["no spec at all", undefined, []],
    ])("%s", (_, spec, want) => {
        expect(hostAccessOf(spec)).toEqual(want);
    });
});

describe("a pod its NetworkPolicy can't contain", () => {
    const hostNetworkPod = () => {
        const c = sampleCluster();
        return { ...c, pods: [{ ...c.pods[0], spec: { hostNetwork: true } }, ...c.pods.slice(1)] };
    };

    it("has its node cut off at once, overriding after-drain, and preview says why", async () => {
        const plan = await run({ cluster: hostNetworkPod(), config: {} });
        expect(plan.outputs.nodeIsolation).toBe("immediate");
        expect(plan.all("/capture/volatile/").length).toBe(0);
        for (const step of [...plan.all("/tag"), ...plan.all("/remove-external-ip")].filter((r) => r.custom)) {
            expect(plan.waits(step, plan.one("/drain")), step.name).toBe(false);
        }
        expect(plan.result.warnings.join("\n")).toContain(
            "quarantine:pods[0] default/compromised-pod can reach past its NetworkPolicy or its sandbox (hostNetwork): only its node's cut-off and quarantine:level delete-node contain it; quarantine:nodeIsolation after-drain is overridden",
        );
    });

    it("is listed with its reasons in the stack's outputs", async () => {
        const plan = await run({ cluster: hostNetworkPod() });
        expect(plan.outputs.hostLevelPods).toEqual(["default/compromised-pod: hostNetwork"]);
    });

    it("leaves an ordinary pod's quarantine as configured", async () => {
        const plan = await run();
        expect([plan.outputs.nodeIsolation, plan.outputs.hostLevelPods]).toEqual(["after-drain", []]);
    });
});
