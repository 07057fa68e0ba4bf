import { describe, expect, it } from "vitest";
import { patchNoForce } from "../../policies/rules/patchNoForce";
import { resourceArgs, skipReason, UNKNOWN, violations } from "./args";
import { networkPolicy } from "./fixtures";

const nodePatch = (annotations: Record<string, string>) => ({
    type: "kubernetes:core/v1:NodePatch",
    name: "42/node/n1/cordon",
    props: {
        metadata: { name: "n1", labels: { "quarantine/investigation": "true" }, annotations: { "pulumi.com/patchFieldManager": "quarantine-42", ...annotations } },
        spec: { unschedulable: true },
    },
});
const podPatch = (annotations: Record<string, string>) => ({
    type: "kubernetes:core/v1:PodPatch",
    name: "42/pods/default/p/label",
    props: { metadata: { name: "p", namespace: "default", labels: { quarantine: "true" }, annotations } },
});

describe("patch-no-force", () => {
    it.each([
        ["the program's cordon", nodePatch({})],
        ["the program's pod label", podPatch({ "pulumi.com/patchFieldManager": "quarantine-42", "pulumi.com/skipAwait": "true" })],
    ])("passes %s", async (_, d) => {
        expect(await violations(patchNoForce, resourceArgs(d))).toEqual([]);
    });

    it.each([
        ["a cordon", nodePatch({ "pulumi.com/patchForce": "true" }), '"true"'],
        ["a pod label, even set to false", podPatch({ "pulumi.com/patchForce": "false" }), '"false"'],
        ["a deployment patch", { type: "kubernetes:apps/v1:DeploymentPatch", name: "42/workload/web", props: { metadata: { annotations: { "pulumi.com/patchForce": "true" } } } }, '"true"'],
    ])("refuses patchForce on %s", async (_, d, value) => {
        expect(await violations(patchNoForce, resourceArgs(d))).toEqual([
            `sets pulumi.com/patchForce (${value}): a forced apply takes fields from their other managers (another incident's cordon, the cluster's controllers); remove it`,
        ]);
    });

    it("fails closed when the annotations are unknown at preview", async () => {
        expect(await violations(patchNoForce, resourceArgs({ ...nodePatch({}), props: { metadata: { name: "n1", annotations: UNKNOWN } } }))).toEqual([
            "string value at .metadata.annotations can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("skips resources that are not patches", async () => {
        expect(await skipReason(patchNoForce, resourceArgs(networkPolicy()))).toBe("applies to Kubernetes patch resources only");
    });
});
