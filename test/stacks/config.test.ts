import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../stacks/config";
import { schema } from "../../stacks/configSchema";

const CONTEXT = "gke_acme-prod_us-central1_prod";
const BASE: Record<string, string> = {
    "gcp:project": "acme-prod",
    "kubernetes:context": CONTEXT,
    "quarantine:pods": '["default/web-1"]',
};

const POD_EXAMPLE = "e.g. default/web-5d9f";
const POD_SHAPE = `is not a valid pod name: expected namespace/name, ${POD_EXAMPLE}`;
const NS_RULE = `is not a Kubernetes namespace name (lowercase letters, digits, '-'; ≤ 63), ${POD_EXAMPLE}`;
const LIST_EXAMPLE = "e.g. pulumi config set --path 'quarantine:pods[0]' default/web-5d9f";
// The known keys in the schema's order: a new key changes this list and not every refusal test.
const TOP_KEYS = Object.keys(schema.shape).join(", ");
const DEFAULTS = {
    nodes: [],
    images: [],
    imageExclude: [],
    workloadAction: "scale-to-zero",
    confirmClusterWide: [],
    evidenceBucket: undefined,
    evidenceRetentionDays: 90,
    evidenceLock: false,
    capture: { exec: false, debugImage: "busybox:1.36", namespace: "kube-system" },
    node: { blockMetadata: false },
    credentials: [],
    secrets: [],
};
const NO_PROJECT = "gcp:project (unset) is required so every gcloud command names the project, e.g. pulumi config set gcp:project acme-prod";
const NO_CONTEXT =
    "kubernetes:context (unset) is required so kubectl never acts on whatever context the shell points at, e.g. pulumi config set kubernetes:context gke_acme-prod_us-central1_prod";
const noIncident = (stack: string) =>
    `quarantine:incident (unset) is required because stack ${JSON.stringify(stack)} is not named incident-<id>; e.g. pulumi stack init incident-42, or pulumi config set quarantine:incident 42`;

/** The problems parseConfig reports; fails the test if it accepts the config. */
function problemsOf(all: Record<string, string>, stack = "incident-42"): string[] {
    try {
        parseConfig(all, stack);
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    throw new Error("parseConfig accepted the config");
}

const pods = (...refs: unknown[]) => ({ "quarantine:pods": JSON.stringify(refs) });

describe("parseConfig: defaults", () => {
    it("fills every default for the smallest config", () => {
        expect(parseConfig(BASE, "incident-42")).toEqual({
            incidentId: "42",
            pods: [{ namespace: "default", name: "web-1" }],
            level: "isolate",
            nodeIsolation: "after-drain",
            drainTimeout: "5m",
            detachLabels: true,
            cluster: undefined,
            bastion: { machineType: "e2-small", image: "debian-cloud/debian-12" },
            ...DEFAULTS,
            project: "acme-prod",
            kubeContext: CONTEXT,
        });
    });

    it("takes every setting as given", () => {
        const cfg = parseConfig(
            {
                ...BASE,
                ...pods("default/web-1", "payments/api-7c9d.canary", "kube-system/coredns-1"),
                "quarantine:level": "observe",
                "quarantine:incident": "2026-11-25a",
                "quarantine:nodeIsolation": "immediate",
                "quarantine:drainTimeout": "300s",
                "quarantine:detachLabels": "false",
                "quarantine:cluster": JSON.stringify({ name: "prod", location: "us-central1-a" }),
                "quarantine:bastion": JSON.stringify({ machineType: "n2-standard-2", image: "ubuntu-os-cloud/ubuntu-2404-lts" }),
            },
            "dev",
        );
        expect(cfg).toEqual({
            incidentId: "2026-11-25a",
            pods: [
                { namespace: "default", name: "web-1" },
                { namespace: "payments", name: "api-7c9d.canary" },
                { namespace: "kube-system", name: "coredns-1" },
            ],
            level: "observe",
            nodeIsolation: "immediate",
            drainTimeout: "300s",
            detachLabels: false,
            cluster: { name: "prod", location: "us-central1-a" },
            bastion: { machineType: "n2-standard-2", image: "ubuntu-os-cloud/ubuntu-2404-lts" },
            ...DEFAULTS,
            project: "acme-prod",
            kubeContext: CONTEXT,
        });
    });

    it("takes quarantine:node.blockMetadata", () => {
        expect(parseConfig({ ...BASE, "quarantine:node": '{"blockMetadata":true}' }, "incident-42").node).toEqual({ blockMetadata: true });
    });

    it("fills the bastion image when only the machine type is set", () => {
        const cfg = parseConfig({ ...BASE, "quarantine:bastion": '{"machineType":"e2-medium"}' }, "incident-42");
        expect(cfg.bastion).toEqual({ machineType: "e2-medium", image: "debian-cloud/debian-12" });
    });

    it("accepts a node named directly, with no pod", () => {
        const noPods = Object.fromEntries(Object.entries(BASE).filter(([k]) => k !== "quarantine:pods"));
        const cfg = parseConfig({ ...noPods, "quarantine:nodes": '["gke-prod-pool-1-abcdeffff-zgt8"]' }, "incident-42");
        expect([cfg.pods, cfg.nodes]).toEqual([[], ["gke-prod-pool-1-abcdeffff-zgt8"]]);
    });

    it("ignores other providers' keys", () => {
        const cfg = parseConfig({ ...BASE, "gcp:region": "us-central1", "aws:region": "us-east-1" }, "incident-42");
        expect(cfg.incidentId).toBe("42");
    });

    it.each([["1s"], ["300s"], ["9999s"], ["1m"], ["5m"], ["99m"]])("accepts drainTimeout %j", (t) => {
        expect(parseConfig({ ...BASE, "quarantine:drainTimeout": t }, "incident-42").drainTimeout).toBe(t);
    });

    it.each([
        ["true", true],
        ["false", false],
    ])("reads detachLabels %j as %j", (text, want) => {
        expect(parseConfig({ ...BASE, "quarantine:detachLabels": text }, "incident-42").detachLabels).toBe(want);
    });

    it.each([["observe"], ["isolate"]])("accepts level %j", (level) => {
        expect(parseConfig({ ...BASE, "quarantine:level": level }, "incident-42").level).toBe(level);
    });
});

describe("parseConfig: incident id", () => {
    it.each([
        ["incident-42", {}, "42"],
        ["incident-2026-11-25a", {}, "2026-11-25a"],
        ["incident-abcdefghij0123456789", {}, "abcdefghij0123456789"],
        ["dev", { "quarantine:incident": "42" }, "42"],
        ["dev", { "quarantine:incident": "7" }, "7"],
        ["dev", { "quarantine:incident": "0" }, "0"],
        ["prod", { "quarantine:incident": "inc-7" }, "inc-7"],
        ["incident-42", { "quarantine:incident": "42" }, "42"],
    ])("stack %j with %j gives incident %j", (stack, extra, want) => {
        expect(parseConfig({ ...BASE, ...extra }, stack).incidentId).toBe(want);
    });

    it("refuses a quarantine:incident that disagrees with the stack's name", () => {
        expect(problemsOf({ ...BASE, "quarantine:incident": "43" }, "incident-42")).toEqual([
            'quarantine:incident "43" disagrees with stack "incident-42"; unset it (pulumi config rm quarantine:incident) or set it to 42',
        ]);
    });

    it.each([["dev"], ["incident-"], ["incident-Bad"], ["incident-42-bastion"], ["incident-abcdefghij0123456789x"], ["my-incident-42"], [""]])(
        "refuses stack %j without quarantine:incident",
        (stack) => {
            expect(problemsOf(BASE, stack)).toEqual([noIncident(stack)]);
        },
    );

    it("throws a ConfigError whose message lists the problem", () => {
        expect(() => parseConfig(BASE, "dev")).toThrow(`invalid quarantine config:\n  - ${noIncident("dev")}`);
        expect(() => parseConfig(BASE, "dev")).toThrow(ConfigError);
    });
});

describe("parseConfig: every bad value names the key, shows the value and gives an example", () => {
    it.each<[string, Record<string, string>, string]>([
        ["pods: bad pod name", pods("default/Bad_Name"), `quarantine:pods[0] "default/Bad_Name" ${POD_SHAPE}`],
        ["pods: no namespace", pods("web-1"), `quarantine:pods[0] "web-1" ${POD_SHAPE}`],
        ["pods: two slashes", pods("default/web/1"), `quarantine:pods[0] "default/web/1" ${POD_SHAPE}`],
        ["pods: empty name", pods("default/"), `quarantine:pods[0] "default/" ${POD_SHAPE}`],
        ["pods: bad namespace", pods("Default/web-1"), `quarantine:pods[0] "Default/web-1" is not a valid pod name: namespace "Default" ${NS_RULE}`],
        ["pods: empty namespace", pods("/web-1"), `quarantine:pods[0] "/web-1" is not a valid pod name: namespace "" ${NS_RULE}`],
        ["pods: second entry", pods("default/web-1", "default/WEB"), `quarantine:pods[1] "default/WEB" ${POD_SHAPE}`],
        ["pods: not a string", pods(3), `quarantine:pods[0] 3 must be a string namespace/name, ${POD_EXAMPLE}`],
        ["pods: empty list", { "quarantine:pods": "[]" }, `quarantine:pods [] must name at least one pod, or quarantine:nodes a node, or quarantine:images an image, or quarantine:credentials a principal, or quarantine:secrets a secret, ${LIST_EXAMPLE}`],
        ["nodes: a bad node name", { "quarantine:nodes": '["Node_1"]' }, 'quarantine:nodes[0] "Node_1" is not a Kubernetes node name, e.g. gke-prod-pool-1-abcdeffff-zgt8'],
        ["nodes: a plain string", { "quarantine:nodes": "gke-n1" }, `quarantine:nodes "gke-n1" must be a list of node names, e.g. pulumi config set --path 'quarantine:nodes[0]' gke-prod-pool-1-abcdeffff-zgt8`],
        ["pods: plain string", { "quarantine:pods": "default/web-1" }, `quarantine:pods "default/web-1" must be a list of namespace/name, ${LIST_EXAMPLE}`],
        ["pods: object", { "quarantine:pods": '{"a":1}' }, `quarantine:pods {"a":1} must be a list of namespace/name, ${LIST_EXAMPLE}`],
        [
            "level: unknown",
            { "quarantine:level": "bogus" },
            'quarantine:level "bogus" must be one of observe | isolate | redeploy | delete-workload | delete-node, e.g. isolate',
        ],
        [
            "level: wrong case",
            { "quarantine:level": "Isolate" },
            'quarantine:level "Isolate" must be one of observe | isolate | redeploy | delete-workload | delete-node, e.g. isolate',
        ],
        [
            "incident: invalid",
            { "quarantine:incident": "Bad_42" },
            `quarantine:incident "Bad_42" is not a valid incident id (lowercase letters, digits, '-'; ≤ 20; not ending in -bastion), e.g. 42`,
        ],
        [
            "incident: too long",
            { "quarantine:incident": "abcdefghij0123456789x" },
            `quarantine:incident "abcdefghij0123456789x" is not a valid incident id (lowercase letters, digits, '-'; ≤ 20; not ending in -bastion), e.g. 42`,
        ],
        [
            "incident: empty",
            { "quarantine:incident": "" },
            `quarantine:incident "" is not a valid incident id (lowercase letters, digits, '-'; ≤ 20; not ending in -bastion), e.g. 42`,
        ],
        [
            "incident: collides with a bastion tag",
            { "quarantine:incident": "42-bastion" },
            `quarantine:incident "42-bastion" is not a valid incident id (lowercase letters, digits, '-'; ≤ 20; not ending in -bastion), e.g. 42`,
        ],
        ["incident: not a string", { "quarantine:incident": "true" }, "quarantine:incident true must be a string: an incident id, e.g. 42"],
        ["nodeIsolation: unknown", { "quarantine:nodeIsolation": "later" }, 'quarantine:nodeIsolation "later" must be one of after-drain | immediate, e.g. after-drain'],
        ["drainTimeout: bare number", { "quarantine:drainTimeout": "300" }, 'quarantine:drainTimeout "300" is not a drain timeout: seconds or minutes, e.g. 300s or 5m'],
        ["drainTimeout: hours", { "quarantine:drainTimeout": "1h" }, 'quarantine:drainTimeout "1h" is not a drain timeout: seconds or minutes, e.g. 300s or 5m'],
        ["drainTimeout: zero", { "quarantine:drainTimeout": "0m" }, 'quarantine:drainTimeout "0m" is not a drain timeout: seconds or minutes, e.g. 300s or 5m'],
        ["drainTimeout: too long", { "quarantine:drainTimeout": "100m" }, 'quarantine:drainTimeout "100m" is not a drain timeout: seconds or minutes, e.g. 300s or 5m'],
        ["drainTimeout: not a string", { "quarantine:drainTimeout": "true" }, "quarantine:drainTimeout true must be a string: seconds or minutes, e.g. 300s or 5m"],
        ["detachLabels: yes", { "quarantine:detachLabels": "yes" }, 'quarantine:detachLabels "yes" must be true or false, e.g. true'],
        ["detachLabels: 1", { "quarantine:detachLabels": "1" }, 'quarantine:detachLabels "1" must be true or false, e.g. true'],
        [
            "cluster: bad name",
            { "quarantine:cluster": '{"name":"Prod","location":"us-central1"}' },
            `quarantine:cluster.name "Prod" is not a valid GCE cluster name (lowercase letter first, then letters, digits, '-'; ≤ 63), e.g. prod-cluster`,
        ],
        [
            "cluster: name not a string",
            { "quarantine:cluster": '{"name":7,"location":"us-central1"}' },
            "quarantine:cluster.name 7 must be a string: a GCE cluster name, e.g. prod-cluster",
        ],
        [
            "cluster: bad location",
            { "quarantine:cluster": '{"name":"prod","location":"central"}' },
            'quarantine:cluster.location "central" is not a GCP region or zone, e.g. us-central1 or us-central1-a',
        ],
        [
            "cluster: no location",
            { "quarantine:cluster": '{"name":"prod"}' },
            "quarantine:cluster.location (unset) is required: the cluster's region or zone, e.g. us-central1",
        ],
        [
            "cluster: plain string",
            { "quarantine:cluster": "prod" },
            'quarantine:cluster "prod" must be an object {name, location}, e.g. pulumi config set --path quarantine:cluster.name prod-cluster',
        ],
        [
            "cluster: unknown field",
            { "quarantine:cluster": '{"name":"prod","location":"us-central1","zone":"a"}' },
            "quarantine:cluster.zone is not a known setting; known: name, location",
        ],
        [
            "bastion: bad machine type",
            { "quarantine:bastion": '{"machineType":"E2 small"}' },
            'quarantine:bastion.machineType "E2 small" is not a machine type, e.g. e2-small',
        ],
        [
            "bastion: machine type not a string",
            { "quarantine:bastion": '{"machineType":5}' },
            "quarantine:bastion.machineType 5 must be a string: a machine type, e.g. e2-small",
        ],
        [
            "bastion: bad image",
            { "quarantine:bastion": '{"image":"debian-12"}' },
            'quarantine:bastion.image "debian-12" is not an image family as project/family, e.g. debian-cloud/debian-12',
        ],
        [
            "bastion: image not a string",
            { "quarantine:bastion": '{"image":false}' },
            "quarantine:bastion.image false must be a string: an image family as project/family, e.g. debian-cloud/debian-12",
        ],
        [
            "bastion: unknown field",
            { "quarantine:bastion": '{"zone":"us-central1-a"}' },
            "quarantine:bastion.zone is not a known setting; known: machineType, image",
        ],
        ["gcp:project: invalid", { "gcp:project": "Acme_Prod" }, 'gcp:project "Acme_Prod" is not a GCP project id, e.g. acme-prod'],
        ["gcp:project: too short", { "gcp:project": "acme" }, 'gcp:project "acme" is not a GCP project id, e.g. acme-prod'],
    ])("%s", (_, extra, want) => {
        expect(problemsOf({ ...BASE, ...extra })).toEqual([want]);
    });
});

describe("parseConfig: refusals", () => {
    it.each([["redeploy"], ["delete-workload"], ["delete-node"]])("refuses level %j without an acknowledgement naming the incident", (level) => {
        const [problem] = problemsOf({ ...BASE, "quarantine:level": level });
        expect(problem).toMatch(
            new RegExp(`^quarantine:confirm \\(unset\\) is required: quarantine:level "${level}" .* needs an acknowledgement naming this incident; e.g. pulumi config set quarantine:confirm incident-42$`),
        );
    });

    it("refuses an acknowledgement copied from another incident's config", () => {
        expect(problemsOf({ ...BASE, "quarantine:level": "redeploy", "quarantine:confirm": "incident-41" })).toEqual([
            'quarantine:confirm "incident-41" does not match incident 42: quarantine:level "redeploy" deletes the quarantined pod(s) and needs an acknowledgement naming this incident; e.g. pulumi config set quarantine:confirm incident-42',
        ]);
    });

    it("accepts a destructive level acknowledged for this incident", () => {
        const cfg = parseConfig({ ...BASE, "quarantine:level": "delete-node", "quarantine:confirm": "incident-42" }, "incident-42");
        expect(cfg.level).toBe("delete-node");
    });

    it.each<[string, Record<string, string>, string]>([
        ["workloadAction", { "quarantine:workloadAction": "kill" }, 'quarantine:workloadAction "kill" must be one of scale-to-zero | delete, e.g. scale-to-zero'],
        [
            "confirmClusterWide",
            { "quarantine:confirmClusterWide": '["kube-system/fluentbit"]' },
            'quarantine:confirmClusterWide[0] "kube-system/fluentbit" is not kind/namespace/name, e.g. daemonset/kube-system/fluentbit',
        ],
        ["evidenceBucket", { "quarantine:evidenceBucket": "gs://x" }, 'quarantine:evidenceBucket "gs://x" is not a Cloud Storage bucket name (lowercase letters, digits, \'-\', \'_\', \'.\'; 3-63), e.g. acme-ir-evidence'],
        ["evidenceRetentionDays", { "quarantine:evidenceRetentionDays": "0" }, 'quarantine:evidenceRetentionDays "0" is not a number of days from 1 to 3650, e.g. 90'],
        ["evidenceRetentionDays", { "quarantine:evidenceRetentionDays": "3651" }, 'quarantine:evidenceRetentionDays "3651" is not a number of days from 1 to 3650, e.g. 90'],
        ["capture.debugImage", { "quarantine:capture": '{"debugImage":"-it;sh"}' }, 'quarantine:capture.debugImage "-it;sh" is not a container image reference, e.g. busybox:1.36'],
        ["capture.exec", { "quarantine:capture": '{"exec":"yes"}' }, 'quarantine:capture.exec "yes" must be true or false, e.g. false'],
        ["node.blockMetadata", { "quarantine:node": '{"blockMetadata":"yes"}' }, 'quarantine:node.blockMetadata "yes" must be true or false, e.g. true'],
    ])("refuses a bad %s", (_, extra, want) => {
        expect(problemsOf({ ...BASE, ...extra })).toEqual([want]);
    });

    it.each([
        ["quarantine:pod", "quarantine:pod is not a known setting; known: " + TOP_KEYS],
        ["quarantine:levels", "quarantine:levels is not a known setting; known: " + TOP_KEYS],
        ["quarantine:drain-timeout", "quarantine:drain-timeout is not a known setting; known: " + TOP_KEYS],
    ])("refuses the unknown key %j", (key, want) => {
        expect(problemsOf({ ...BASE, [key]: '["default/web-1"]' })).toEqual([want]);
    });

    it.each<[string, Record<string, string>, string[]]>([
        ["gcp:project unset", { "gcp:project": undefined as unknown as string }, [NO_PROJECT]],
        ["gcp:project empty", { "gcp:project": "" }, [NO_PROJECT]],
        ["kubernetes:context unset", { "kubernetes:context": undefined as unknown as string }, [NO_CONTEXT]],
        ["kubernetes:context empty", { "kubernetes:context": "" }, [NO_CONTEXT]],
        ["both unset", { "gcp:project": "", "kubernetes:context": "" }, [NO_PROJECT, NO_CONTEXT]],
        [
            "kubernetes:context with a leading dash",
            { "kubernetes:context": "--kubeconfig=/tmp/evil" },
            ['kubernetes:context "--kubeconfig=/tmp/evil" is not a kubeconfig context name, e.g. gke_acme-prod_us-central1_prod'],
        ],
        [
            "kubernetes:context with shell characters",
            { "kubernetes:context": "ctx$(id)" },
            ['kubernetes:context "ctx$(id)" is not a kubeconfig context name, e.g. gke_acme-prod_us-central1_prod'],
        ],
    ])("refuses %s, naming the key", (_, extra, want) => {
        const all = Object.fromEntries(Object.entries({ ...BASE, ...extra }).filter(([, v]) => v !== undefined));
        expect(problemsOf(all)).toEqual(want);
    });

    it.each([
        [["default/web-1", "default/web-1"], ['quarantine:pods[1] "default/web-1" is listed twice; list each pod once']],
        [["default/web-1", "default/web-2", "default/web-1"], ['quarantine:pods[2] "default/web-1" is listed twice; list each pod once']],
        [
            ["a/x", "a/x", "a/x"],
            ['quarantine:pods[1] "a/x" is listed twice; list each pod once', 'quarantine:pods[2] "a/x" is listed twice; list each pod once'],
        ],
    ])("refuses duplicate pods %j", (refs, want) => {
        expect(problemsOf({ ...BASE, ...pods(...refs) })).toEqual(want);
    });

    it("accepts the same pod name in two namespaces", () => {
        expect(parseConfig({ ...BASE, ...pods("a/web-1", "b/web-1") }, "incident-42").pods).toEqual([
            { namespace: "a", name: "web-1" },
            { namespace: "b", name: "web-1" },
        ]);
    });
});

describe("parseConfig: hostile names are refused", () => {
    it.each([
        // pod names
        ["default/$(touch /tmp/x)", `quarantine:pods[0] "default/$(touch /tmp/x)" ${POD_SHAPE}`],
        ["default/$(touch)", `quarantine:pods[0] "default/$(touch)" ${POD_SHAPE}`],
        ["default/`touch x`", `quarantine:pods[0] "default/\`touch x\`" ${POD_SHAPE}`],
        ["default/web;rm -rf ~", `quarantine:pods[0] "default/web;rm -rf ~" ${POD_SHAPE}`],
        ["default/web'x", `quarantine:pods[0] "default/web'x" ${POD_SHAPE}`],
        ['default/web"x', `quarantine:pods[0] "default/web\\"x" ${POD_SHAPE}`],
        ["default/web\nx", `quarantine:pods[0] "default/web\\nx" ${POD_SHAPE}`],
        ["default/web\n", `quarantine:pods[0] "default/web\\n" ${POD_SHAPE}`],
        ["default/-web", `quarantine:pods[0] "default/-web" ${POD_SHAPE}`],
        ["default/--all", `quarantine:pods[0] "default/--all" ${POD_SHAPE}`],
        ["default/web 1", `quarantine:pods[0] "default/web 1" ${POD_SHAPE}`],
        // namespaces
        ["$(touch /tmp/x)/web", `quarantine:pods[0] "$(touch /tmp/x)/web" ${POD_SHAPE}`],
        ["$(id)/web", `quarantine:pods[0] "$(id)/web" is not a valid pod name: namespace "$(id)" ${NS_RULE}`],
        ["`id`/web", `quarantine:pods[0] "\`id\`/web" is not a valid pod name: namespace "\`id\`" ${NS_RULE}`],
        ["a;b/web", `quarantine:pods[0] "a;b/web" is not a valid pod name: namespace "a;b" ${NS_RULE}`],
        ["a'b/web", `quarantine:pods[0] "a'b/web" is not a valid pod name: namespace "a'b" ${NS_RULE}`],
        ['a"b/web', `quarantine:pods[0] "a\\"b/web" is not a valid pod name: namespace "a\\"b" ${NS_RULE}`],
        // a newline is shown escaped, so it can't forge another line of the error
        ["de\nfault/web", `quarantine:pods[0] "de\\nfault/web" is not a valid pod name: namespace "de\\nfault" ${NS_RULE}`],
        ["-n/web", `quarantine:pods[0] "-n/web" is not a valid pod name: namespace "-n" ${NS_RULE}`],
        ["--all-namespaces/web", `quarantine:pods[0] "--all-namespaces/web" is not a valid pod name: namespace "--all-namespaces" ${NS_RULE}`],
    ])("refuses pod %j", (ref, want) => {
        const got = problemsOf({ ...BASE, ...pods(ref) });
        expect(got).toEqual([want]);
        expect(got[0]).not.toContain("\n");
    });

    it.each([["$(touch /tmp/x)"], ["`id`"], ["a;b"], ["a'b"], ['a"b'], ["a\nb"], ["-42"]])("refuses incident %j", (id) => {
        expect(problemsOf({ ...BASE, "quarantine:incident": id })).toEqual([
            `quarantine:incident ${JSON.stringify(id)} is not a valid incident id (lowercase letters, digits, '-'; ≤ 20; not ending in -bastion), e.g. 42`,
        ]);
    });

    it.each([["incident-$(touch /tmp/x)"], ["incident-`id`"], ["incident-a;b"], ["incident-a\nb"], ["incident--42"]])("refuses stack %j", (stack) => {
        expect(problemsOf(BASE, stack)).toEqual([noIncident(stack)]);
    });

    it.each([["$(touch /tmp/x)"], ["acme;prod"], ["-acme-prod"], ["acme-prod\n"]])("refuses gcp:project %j", (project) => {
        expect(problemsOf({ ...BASE, "gcp:project": project })).toEqual([`gcp:project ${JSON.stringify(project)} is not a GCP project id, e.g. acme-prod`]);
    });
});

describe("parseConfig: every problem at once", () => {
    it("reports schema, provider and stack problems together", () => {
        const all = {
            ...pods("default/Bad_Name", 3),
            "quarantine:level": "redeploy",
            "quarantine:drainTimeout": "1h",
            "quarantine:pod": '["default/web-1"]',
        };
        expect(problemsOf(all, "dev")).toEqual([
            `quarantine:pods[0] "default/Bad_Name" ${POD_SHAPE}`,
            `quarantine:pods[1] 3 must be a string namespace/name, ${POD_EXAMPLE}`,
            'quarantine:drainTimeout "1h" is not a drain timeout: seconds or minutes, e.g. 300s or 5m',
            `quarantine:pod is not a known setting; known: ${TOP_KEYS}`,
            NO_PROJECT,
            NO_CONTEXT,
            noIncident("dev"),
        ]);
    });

    it("reports duplicates together with provider problems", () => {
        expect(problemsOf({ ...pods("default/web-1", "default/web-1") })).toEqual([
            NO_PROJECT,
            NO_CONTEXT,
            'quarantine:pods[1] "default/web-1" is listed twice; list each pod once',
        ]);
    });

    it("reports nested problems of cluster and bastion together", () => {
        const all = {
            ...BASE,
            "quarantine:cluster": '{"name":"Prod","location":"central","zone":"a"}',
            "quarantine:bastion": '{"machineType":"E2","image":"x","disk":10}',
        };
        expect(problemsOf(all)).toEqual([
            `quarantine:cluster.name "Prod" is not a valid GCE cluster name (lowercase letter first, then letters, digits, '-'; ≤ 63), e.g. prod-cluster`,
            'quarantine:cluster.location "central" is not a GCP region or zone, e.g. us-central1 or us-central1-a',
            "quarantine:cluster.zone is not a known setting; known: name, location",
            'quarantine:bastion.machineType "E2" is not a machine type, e.g. e2-small',
            'quarantine:bastion.image "x" is not an image family as project/family, e.g. debian-cloud/debian-12',
            "quarantine:bastion.disk is not a known setting; known: machineType, image",
        ]);
    });

    it("lists every problem in the thrown message", () => {
        expect(() => parseConfig({ ...pods("default/web-1") }, "incident-42")).toThrow(`invalid quarantine config:\n  - ${NO_PROJECT}\n  - ${NO_CONTEXT}`);
    });
});
