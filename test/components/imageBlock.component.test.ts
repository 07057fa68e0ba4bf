import { describe, expect, it } from "vitest";
import { ImageBlock } from "../../components/imageBlock";
import { incidentNames } from "../../core/incidentNames";
import { mockEngine } from "./componentMocks";

const engine = mockEngine();
const names = incidentNames("42");
const block = new ImageBlock("t", { names, images: ["docker.io/library/nginx:1.25", "ghcr.io/acme/tool"] });

describe("ImageBlock", () => {
    it("declares the policy and a binding to it, each labelled with the incident, and nothing else", async () => {
        const children = await engine.children(block);
        expect(children.map((c) => [c.type, c.name, c.inputs.metadata.name, c.inputs.metadata.labels])).toEqual([
            ["kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy", "t/policy", "quarantine-42-block-images", { "quarantine/incident": "42" }],
            ["kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding", "t/binding", "quarantine-42-block-images", { "quarantine/incident": "42" }],
        ]);
    });

    it("binds with Deny and Audit, no parameter and no narrower match, after the policy exists", async () => {
        const [policy, binding] = await Promise.all([engine.child(block, "t/policy"), engine.child(block, "t/binding")]);
        expect(binding.inputs.spec).toEqual({ policyName: "quarantine-42-block-images", validationActions: ["Deny", "Audit"] });
        expect(binding.dependencies).toEqual([policy.urn]);
        expect(policy.dependencies).toEqual([]);
        expect([policy.inputs.spec.failurePolicy, policy.inputs.spec.paramKind]).toEqual(["Fail", undefined]);
    });

    it.each([
        ["a reference that is not normalised", "nginx:1.25", '"nginx:1.25" is not a normalised image reference'],
        ["a quote that would end the CEL string", "docker.io/library/nginx:1.25'", "is not a normalised image reference"],
        ["no image at all", undefined, "an image block needs at least one image"],
    ])("refuses %s before registering anything", async (_what, image, why) => {
        const before = engine.registrations.length;
        expect(() => new ImageBlock(`bad-${before}`, { names, images: image === undefined ? [] : [image] })).toThrow(why);
        await engine.settled();
        expect(engine.registrations.filter((r) => r.name.startsWith(`bad-${before}/`))).toEqual([]);
    });
});
