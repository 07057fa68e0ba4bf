import { describe, expect, it } from "vitest";
import { escalateConfig, listKeys, openConfig, parallelFor, toConfigMap, upParallel, UsageError, validate, type OpenFlags } from "../../tools/cli/flags";
import { parseConfig } from "../../stacks/config";

// The CLI's flags become `quarantine:*` keys and go through the program's own parseConfig: each
// refusal must name the flag the responder typed AND the key it maps to, before any stack exists.

const STACK_CONFIG = { "gcp:project": "acme-prod", "kubernetes:context": "gke_acme-prod_us-central1_prod" };
const flags = (f: Partial<OpenFlags>): OpenFlags => ({ pod: [], node: [], ...f });

function refusals(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        if (e instanceof UsageError) return e.problems;
        throw e;
    }
    throw new Error("expected a UsageError");
}

describe("open's flags → config", () => {
    it("maps every flag to its key, in the allConfig shape the program parses", () => {
        const set = openConfig("42", flags({ pod: ["default/compromised-pod", "web/api-7c"], node: ["gke-n1"], level: "observe", immediate: true, project: "acme-prod", context: "ctx" }));
        expect(set).toEqual({
            "quarantine:pods": '["default/compromised-pod","web/api-7c"]',
            "quarantine:nodes": '["gke-n1"]',
            "quarantine:level": "observe",
            "quarantine:nodeIsolation": "immediate",
            "gcp:project": "acme-prod",
            "kubernetes:context": "ctx",
        });
        const parsed = parseConfig(set, "incident-42");
        expect(parsed.pods).toEqual([{ namespace: "default", name: "compromised-pod" }, { namespace: "web", name: "api-7c" }]);
        expect(parsed).toMatchObject({ level: "observe", nodeIsolation: "immediate", nodes: ["gke-n1"], incidentId: "42" });
    });

    it("maps --image and --credential to their keys, only when given (a stack config's own lists stay)", () => {
        const set = openConfig("42", flags({ image: ["nginx:1.25"], credential: ["serviceaccount:default/web", "user:mallory@acme.com"] }));
        expect(set["quarantine:images"]).toBe('["nginx:1.25"]');
        expect(set["quarantine:credentials"]).toBe('["serviceaccount:default/web","user:mallory@acme.com"]');
        expect(parseConfig({ ...STACK_CONFIG, ...set }, "incident-42").credentials).toHaveLength(2);
        expect(openConfig("42", flags({ pod: ["default/x"] }))).not.toHaveProperty("quarantine:images");
        expect(openConfig("42", flags({ pod: ["default/x"] }))).not.toHaveProperty("quarantine:credentials");
    });

    it.each([
        ["a bad image", flags({ image: ["nginx:1.25", "Bad Image"] }), '--image "Bad Image" → quarantine:images[1] "Bad Image"'],
        ["a bad credential", flags({ credential: ["serviceaccount:Default/web"] }), '--credential "serviceaccount:Default/web" → quarantine:credentials[0] "serviceaccount:Default/web" is not a valid service account'],
    ])("refuses %s naming the flag and the key", (_what, f, expected) => {
        const problems = refusals(() => validate("42", STACK_CONFIG, openConfig("42", f), f));
        expect(problems.some((p) => p.startsWith(expected))).toBe(true);
    });

    it("defaults to isolate, after-drain (the program's defaults, written explicitly)", () => {
        const set = openConfig("42", flags({ pod: ["default/x"] }));
        expect(set["quarantine:level"]).toBe("isolate");
        expect(set["quarantine:nodeIsolation"]).toBe("after-drain");
        expect(set).not.toHaveProperty("gcp:project");
    });

    it.each([
        ["a bad pod name", flags({ pod: ["default/ok", "Default/Bad_Name"] }), '--pod "Default/Bad_Name" → quarantine:pods[1] "Default/Bad_Name" is not a valid pod name'],
        ["a pod without namespace", flags({ pod: ["compromised-pod"] }), '--pod "compromised-pod" → quarantine:pods[0] "compromised-pod" is not a valid pod name: expected namespace/name'],
        ["a pod listed twice", flags({ pod: ["default/x", "default/x"] }), '--pod "default/x" → quarantine:pods[1] "default/x" is listed twice'],
        ["a bad node name", flags({ node: ["Bad_Node"] }), '--node "Bad_Node" → quarantine:nodes[0] "Bad_Node" is not a Kubernetes node name'],
        ["a bad project", flags({ pod: ["default/x"], project: "Acme" }), '--project "Acme" → gcp:project "Acme" is not a GCP project id'],
        ["a context that reads as a flag", flags({ pod: ["default/x"], context: "--all" }), '--context "--all" → kubernetes:context "--all" is not a kubeconfig context name'],
    ])("refuses %s naming the flag and the key", (_what, f, expected) => {
        const problems = refusals(() => validate("42", STACK_CONFIG, openConfig("42", f), f));
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(expected);
    });

    it.each([
        ["no target", flags({}), "--pod, --node, --image or --credential is required → quarantine:pods / quarantine:nodes / quarantine:images / quarantine:credentials"],
        ["an unknown level", flags({ pod: ["default/x"], level: "contain" }), '--level "contain" → quarantine:level must be one of observe | isolate'],
        ["a destructive level, sent to escalate", flags({ pod: ["default/x"], level: "delete-node" }), "use quarantine escalate 42 delete-node"],
    ])("refuses %s before the schema runs, naming flag and key", (_what, f, expected) => {
        expect(refusals(() => openConfig("42", f)).join("\n")).toContain(expected);
    });

    it("refuses a bad incident id as <id> and quarantine:incident, with the schema's message", () => {
        expect(refusals(() => openConfig("Bad_Id", flags({ pod: ["default/x"] })))).toEqual([
            '<id> "Bad_Id" → quarantine:incident "Bad_Id" is not a valid incident id (lowercase letters, digits, \'-\'; ≤ 20; not ending in -bastion), e.g. 42',
        ]);
    });

    it("lists every problem at once, each with its flag", () => {
        const f = flags({ pod: ["Default/Bad"], node: ["Bad_Node"], project: "Acme" });
        const problems = refusals(() => validate("42", STACK_CONFIG, openConfig("42", f), f));
        expect(problems.map((p) => p.split(" → ")[0])).toEqual(['--pod "Default/Bad"', '--node "Bad_Node"', '--project "Acme"']);
    });

    it("says which flag supplies a required key the stack config lacks", () => {
        const problems = refusals(() => validate("42", {}, openConfig("42", flags({ pod: ["default/x"] }))));
        expect(problems).toEqual([
            expect.stringMatching(/^gcp:project \(unset\) is required .*; pass --project, e.g. --project acme-prod$/),
            expect.stringMatching(/^kubernetes:context \(unset\) is required .*; pass --context, e.g. --context gke_acme-prod_us-central1_prod$/),
        ]);
    });

    it("attributes a bad key that no flag set to the stack's config", () => {
        const problems = refusals(() => validate("42", { ...STACK_CONFIG, "quarantine:drainTimeout": "forever" }, openConfig("42", flags({ pod: ["default/x"] }))));
        expect(problems).toEqual([expect.stringMatching(/^stack config incident-42: quarantine:drainTimeout "forever" is not a drain timeout/)]);
    });
});

describe("escalate", () => {
    it("writes the level and the typed-back id as the acknowledgement a destructive level needs", () => {
        const set = escalateConfig("42", "delete-node", " 42 ");
        expect(set).toEqual({ "quarantine:level": "delete-node", "quarantine:confirm": "incident-42" });
        expect(validate("42", { ...STACK_CONFIG, "quarantine:pods": '["default/x"]' }, set).level).toBe("delete-node");
    });

    it("refuses an id typed back for another incident, naming the prompt and quarantine:confirm", () => {
        const problems = refusals(() => validate("42", { ...STACK_CONFIG, "quarantine:pods": '["default/x"]' }, escalateConfig("42", "redeploy", "43")));
        expect(problems).toEqual([expect.stringMatching(/^the incident id typed back → quarantine:confirm "incident-43" does not match incident 42/)]);
    });

    it("asks no acknowledgement to lower the level", () => {
        expect(escalateConfig("42", "observe", "")).toEqual({ "quarantine:level": "observe" });
    });

    it("refuses an unknown level naming <level> and quarantine:level", () => {
        expect(refusals(() => escalateConfig("42", "nuke", "42"))[0]).toMatch(/^<level> "nuke" → quarantine:level must be one of observe \| isolate \| redeploy/);
    });
});

describe("the update's settings", () => {
    it("writes lists as indexed keys (what `pulumi config set --path` writes) and clears them first", () => {
        const set = openConfig("42", flags({ pod: ["default/a", "default/b"] }));
        expect(toConfigMap(set)).toMatchObject({
            "quarantine:pods[0]": { value: "default/a", secret: false },
            "quarantine:pods[1]": { value: "default/b", secret: false },
            "quarantine:level": { value: "isolate", secret: false },
        });
        expect(Object.keys(toConfigMap(set)).filter((k) => k.startsWith("quarantine:nodes"))).toEqual([]);
        expect(listKeys(set).sort()).toEqual(["quarantine:nodes", "quarantine:pods"]);
    });

    it.each([
        [1, 0, 32],
        [10, 0, 180],
        [50, 10, 500],
    ])("gives %i pods on %i named nodes --parallel %i: never fewer than the CLI's 4×CPUs of a laptop, capped at 500", (pods, nodes, expected) => {
        expect(parallelFor(pods, nodes)).toBe(expected);
    });

    it.each([
        [32, 12, 32],
        [32, 140, 140],
        [180, 900, 500],
    ])("updates with --parallel %i from the flags and %i steps previewed as --parallel %i: a slot per planned step (pods found by image included), capped at 500", (flags, steps, expected) => {
        expect(upParallel(flags, steps)).toBe(expected);
    });
});
