// The policy pack the Pulumi CLI loads: `pulumi preview --diff --policy-pack policies`.
// Constructing a PolicyPack starts its gRPC server and prints the port, so this is the only file
// that does; the policies themselves live in rules/, one per file, and the tests import those.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./policies";

new PolicyPack(PACK_NAME, {
    description: "Guardrails that stop a dangerous quarantine in preview: scoped firewall rules and NetworkPolicies, a hardened bastion, evidence before deletion, constant command scripts.",
    enforcementLevel: "mandatory",
    policies: POLICIES,
});
