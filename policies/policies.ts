import type { Policies } from "@pulumi/policy";
import { bastionHardening } from "./rules/bastionHardening";
import { commandEnvironment } from "./rules/commandEnvironment";
import { containmentComplete } from "./rules/containmentComplete";
import { declaredKind } from "./rules/declaredKind";
import { destructiveAfterEvidence } from "./rules/destructiveAfterEvidence";
import { drainExcludesQuarantined } from "./rules/drainExcludesQuarantined";
import { firewallDenyAllow } from "./rules/firewallDenyAllow";
import { firewallTargetTags } from "./rules/firewallTargetTags";
import { incidentId } from "./rules/incidentId";
import { networkPolicySelector } from "./rules/networkPolicySelector";
import { patchNoForce } from "./rules/patchNoForce";
import { triggersDeleteBeforeReplace } from "./rules/triggersDeleteBeforeReplace";

/** Name the CLI shows with every violation. */
export const PACK_NAME = "quarantine-guardrails";

/** Every policy of the pack, all mandatory. Imported by `index.ts` and by the tests. */
export const POLICIES: Policies = [
    firewallTargetTags,
    firewallDenyAllow,
    networkPolicySelector,
    bastionHardening,
    destructiveAfterEvidence,
    containmentComplete,
    declaredKind,
    commandEnvironment,
    drainExcludesQuarantined,
    triggersDeleteBeforeReplace,
    patchNoForce,
    incidentId,
];
