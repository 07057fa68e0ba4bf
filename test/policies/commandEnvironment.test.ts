import { describe, expect, it } from "vitest";
import { commandEnvironment } from "../../policies/rules/commandEnvironment";
import { resourceArgs, skipReason, UNKNOWN, violations } from "./args";
import { command, DRAIN, firewall, KUBECTL } from "./fixtures";

const check = (d: Parameters<typeof resourceArgs>[0]) => violations(commandEnvironment, resourceArgs(d));
const vm = { PROJECT: "acme-prod", ZONE: "us-central1-a", INSTANCE: "gke-cluster-pool-1-abcdeffff-zgt8" };
const TAG = `gcloud compute instances add-tags "$INSTANCE" --tags "$TAG" --zone "$ZONE" --project "$PROJECT" >&2\necho "tagged"`;

describe("command-names-from-environment", () => {
    it("passes a constant script that reads every name from environment", async () => {
        expect(await check(command("vm/node/tag", { create: TAG, environment: { ...vm, TAG: "quarantine-42" } }))).toEqual([]);
    });

    it("passes a drain whose flags share words with values (--zone, --timeout, booleans)", async () => {
        const environment = { CONTEXT: "gke_acme-prod_us-central1_prod", NODE: "n1", TIMEOUT: "5m", BEST_EFFORT: "true", MIG_SCOPE: "zone" };
        expect(await check(command("node/n1/drain", { create: `${DRAIN}\nif [ "$BEST_EFFORT" = "true" ]; then exit 0; fi`, environment }))).toEqual([]);
    });

    it("passes the quarantine's own annotation key, a constant of the program", async () => {
        const create = `${KUBECTL}k -n "$NAMESPACE" get pod "$POD" -o go-template='{{index .metadata.annotations "quarantine/detached-labels"}}'`;
        expect(await check(command("pods/default/p/detach", { create, environment: { NAMESPACE: "default", POD: "p", ANNOTATION: "quarantine/detached-labels" } }))).toEqual([]);
    });

    it("passes an allow-list the script checks a received value against in a case pattern", async () => {
        const create = `case "$KIND" in deployment|statefulset) ;; *) echo "won't scale $KIND" >&2; exit 1 ;; esac\nkubectl scale "$KIND" "$NAME" --replicas=0`;
        expect(await check(command("workload/web", { create, environment: { KIND: "deployment", NAME: "web" } }))).toEqual([]);
    });

    it("refuses a value spliced into a case arm's command", async () => {
        const create = `case "$KIND" in\n  deployment) kubectl scale deployment web --replicas=0 ;;\nesac`;
        expect(await check(command("workload/web", { create, environment: { KIND: "deployment", NAME: "web" } }))).toEqual([
            'create splices the value of KIND ("deployment") into the script text: refer to it as "$KIND"',
            'create splices the value of NAME ("web") into the script text: refer to it as "$NAME"',
        ]);
    });

    it("ignores names in the # step: and # destroy: header", async () => {
        expect(await check(command("vm/tag", { step: "Tag gke-cluster-pool-1-abcdeffff-zgt8", create: TAG, environment: vm }))).toEqual([]);
    });

    it.each([
        ["an instance name", TAG.replace('"$INSTANCE"', "gke-cluster-pool-1-abcdeffff-zgt8"), "INSTANCE", "gke-cluster-pool-1-abcdeffff-zgt8"],
        ["a quoted project", TAG.replace('"$PROJECT"', '"acme-prod"'), "PROJECT", "acme-prod"],
        ["a zone inside a URL", `gcloud compute instances describe "https://compute.googleapis.com/compute/v1/projects/$PROJECT/zones/us-central1-a/instances/$INSTANCE"`, "ZONE", "us-central1-a"],
    ])("refuses %s spliced into create", async (_, create, key, value) => {
        expect(await check(command("vm/tag", { create, environment: { ...vm, TAG: "quarantine-42" } }))).toEqual([
            `create splices the value of ${key} (${JSON.stringify(value)}) into the script text: refer to it as "$${key}"`,
        ]);
    });

    it("refuses a pod name spliced into delete", async () => {
        const step = { create: `${KUBECTL}k -n "$NAMESPACE" label pod "$POD" quarantine=true`, delete: `${KUBECTL}k -n default label pod compromised-pod quarantine-` };
        expect(await check(command("pods/default/compromised-pod/label", { ...step, environment: { NAMESPACE: "default", POD: "compromised-pod" } }))).toEqual([
            'delete splices the value of NAMESPACE ("default") into the script text: refer to it as "$NAMESPACE"',
            'delete splices the value of POD ("compromised-pod") into the script text: refer to it as "$POD"',
        ]);
    });

    it("refuses an incident name spliced in even when it is not in environment", async () => {
        expect(await check(command("vm/tag", { create: TAG.replace('"$TAG"', "quarantine-42"), environment: vm }))).toEqual([
            'create splices "quarantine-42", a name of incident 42, into the script text: pass it through environment',
        ]);
    });

    it("refuses a splice into update", async () => {
        const c = command("vm/tag", { create: TAG, environment: vm }, { props: { update: "gcloud compute instances update acme-prod" } });
        expect(await check(c)).toEqual(['update splices the value of PROJECT ("acme-prod") into the script text: refer to it as "$PROJECT"']);
    });

    it("accepts an environment value unknown at preview: that is what environment is for", async () => {
        expect(await check(command("vm/tag", { create: TAG, environment: { ...vm, INSTANCE: UNKNOWN } }))).toEqual([]);
    });

    it("fails closed on a script unknown at preview: it was built from another resource's output", async () => {
        const c = command("vm/tag", { create: TAG, environment: vm }, { props: { create: UNKNOWN } });
        expect(await check(c)).toEqual([
            "string value at .create can't be known during preview: this guardrail fails closed on a value it cannot see; declare it from config or a constant, not from another resource's output",
        ]);
    });

    it("skips resources that are not commands", async () => {
        expect(await skipReason(commandEnvironment, resourceArgs(firewall.egressDeny()))).toBe("applies to commands only");
    });
});
