import { describe, expect, it } from "vitest";
import { triggersDeleteBeforeReplace } from "../../policies/rules/triggersDeleteBeforeReplace";
import { resourceArgs, skipReason, UNKNOWN_ARRAY, violations } from "./args";
import { command, firewall } from "./fixtures";

const TAG = `gcloud compute instances add-tags "$INSTANCE" --tags "$TAG" --zone "$ZONE" --project "$PROJECT" >&2`;
const tag = (props: Record<string, any>, deleteBeforeReplace?: boolean) =>
    resourceArgs(command("vm/n1/tag", { create: TAG, delete: TAG.replace("add-tags", "remove-tags") }, { props, deleteBeforeReplace }));
const MESSAGE =
    "has triggers but not deleteBeforeReplace: on replacement the old command's delete would run after the new create and undo it; set deleteBeforeReplace: true";

describe("command-triggers-delete-before-replace", () => {
    it.each([
        ["a command without triggers", tag({})],
        ["a command with empty triggers", tag({ triggers: [] })],
        ["a command with triggers and deleteBeforeReplace", tag({ triggers: ["quarantine-42"] }, true)],
        ["a command with unknown triggers and deleteBeforeReplace", tag({ triggers: UNKNOWN_ARRAY }, true)],
    ])("passes %s", async (_, args) => {
        expect(await violations(triggersDeleteBeforeReplace, args)).toEqual([]);
    });

    it.each([
        ["unset", undefined],
        ["false", false],
    ])("refuses triggers with deleteBeforeReplace %s", async (_, dbr) => {
        expect(await violations(triggersDeleteBeforeReplace, tag({ triggers: ["quarantine-42"] }, dbr))).toEqual([MESSAGE]);
    });

    it("fails closed on triggers unknown at preview without deleteBeforeReplace", async () => {
        expect(await violations(triggersDeleteBeforeReplace, tag({ triggers: UNKNOWN_ARRAY }))).toEqual([
            "Array value at .triggers can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("skips resources that are not commands", async () => {
        expect(await skipReason(triggersDeleteBeforeReplace, resourceArgs(firewall.egressDeny()))).toBe("applies to commands only");
    });
});
