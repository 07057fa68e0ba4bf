import { COMMAND_TYPES } from "../lib/evidence";
import { resourceRule } from "../lib/policy";

/**
 * A change of `triggers` replaces a command. By default Pulumi creates the replacement first and
 * deletes the old one after, so the old command's delete (remove the tag, restore the IP) runs
 * last and undoes what the new create just did. `deleteBeforeReplace` runs them the other way.
 */
export const triggersDeleteBeforeReplace = resourceRule({
    name: "command-triggers-delete-before-replace",
    description: "Commands with triggers set deleteBeforeReplace, so a replacement's create is never undone by the old command's delete.",
    appliesTo: (type) => COMMAND_TYPES.includes(type),
    scope: "commands",
    check: (r, report) => {
        if (r.deleteBeforeReplace === true) return;
        const triggers = r.props.triggers;
        if (Array.isArray(triggers) && triggers.length > 0) {
            report("has triggers but not deleteBeforeReplace: on replacement the old command's delete would run after the new create and undo it; set deleteBeforeReplace: true");
        }
    },
});
