import { beforeAll, describe, expect, it } from "vitest";
import { destructiveAction } from "../../policies/lib/evidence";
import { isDestructive, LEVELS } from "../../core/levels";
import { imageCluster, scaledCluster } from "../../tools/mockEngine/sampleCluster";
import { run, type Scenario } from "../harness";
import { coverage, engineView, evaluate, type EngineResource } from "./engineView";

/**
 * The real program, under the mock engine, at every level this release supports (new levels are
 * picked up from LEVELS as they land), in an update and in a preview: the pack finds
 * nothing to refuse.
 */
const shapes: [string, Scenario][] = [
    ["the sample incident", {}],
    ["the sample incident in preview", { preview: true }],
    ["4 pods on 2 nodes, immediate, in preview", { cluster: scaledCluster(4, 2), config: { "quarantine:nodeIsolation": "immediate" }, preview: true }],
    ["the sample incident without detaching labels", { config: { "quarantine:detachLabels": "false" } }],
    [
        "a malicious image on two nodes, beside the named pod",
        { cluster: imageCluster(), config: { "quarantine:pods": '["default/compromised-pod"]', "quarantine:images": '["nginx:1.25", "ghcr.io/acme/tool"]' } },
    ],
    [
        "stolen credentials of every kind, beside the named pod",
        {
            config: {
                "quarantine:credentials": JSON.stringify([
                    "serviceaccount:default/web",
                    "gsa:web-app@acme-prod.iam.gserviceaccount.com",
                    "user:mallory@acme.com",
                    "key:web-app@acme-prod.iam.gserviceaccount.com/0123456789abcdef0123456789abcdef01234567",
                ]),
            },
        },
    ],
    // Rotation is destructive from isolate up (kubectl patch secret, rollout restart): the pack checks it waits for the evidence.
    ["stolen secrets beside a stolen service account and the named pod", { config: { "quarantine:credentials": '["serviceaccount:default/web"]', "quarantine:secrets": '["default/db-credentials", "payments/stripe"]' } }],
];
const cases = LEVELS.flatMap((level) =>
    // Destructive levels need the responder's acknowledgement; the others ignore it.
    shapes.map(([shape, s]): [string, Scenario] => [`${level}: ${shape}`, { ...s, config: { ...s.config, "quarantine:level": level, "quarantine:confirm": "incident-42" } }]),
);

describe.each(cases)("%s", (_, scenario) => {
    let view: EngineResource[];
    beforeAll(async () => {
        view = engineView((await run(scenario)).result);
    });

    it("yields zero violations", async () => {
        expect(await evaluate(view)).toEqual([]);
    });
});

describe("the zero is not vacuous", () => {
    it.each(LEVELS.filter(isDestructive))("at the %s level, the stack policy sees destructive commands to check", async (level) => {
        const plan = await run({ config: { "quarantine:level": level, "quarantine:confirm": "incident-42" } });
        expect(plan.resources.filter((r) => destructiveAction({ type: r.type, props: r.inputs })).length).toBeGreaterThan(0);
    });

    it("at the isolate level, the stack policy sees a secret's rotation as destructive", async () => {
        const plan = await run({ config: { "quarantine:secrets": '["default/db-credentials"]', "quarantine:confirm": "incident-42" } });
        const rotation = plan.resources.filter((r) => r.name.startsWith("42/secrets/rotate/") && r.type === "command:local:Command");
        expect(rotation.map((r) => destructiveAction({ type: r.type, props: r.inputs }))).toEqual(["kubectl patch"]);
    });

    it("at the isolate level, every resource policy checks at least one resource of the program", async () => {
        const counts = await coverage(engineView((await run({ config: { "quarantine:level": "isolate" } })).result));
        for (const [name, n] of Object.entries(counts)) expect(n, name).toBeGreaterThan(0);
    });
});
