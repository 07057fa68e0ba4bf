import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { alertLines, parseAlert } from "../../tools/cli/alert";
import { alertFlags } from "../../tools/cli/commands";
import { EXIT, UsageError } from "../../tools/cli/flags";
import { run } from "../../tools/cli/main";

// `quarantine open --preview-only --from-alert FILE`: the readiness stack's alert, as Cloud
// Monitoring publishes it to the Pub/Sub channel (schema 1.2), becomes the pod and node of the
// preview. The fixtures carry the readiness policies' own conditions (filter, labelExtractors,
// documentation), for the sample incident's pod and node.

const FIXTURES = path.join(__dirname, "fixtures");
const POD_EXEC = path.join(FIXTURES, "alert-pod-exec.json");
const NODE_SSH = path.join(FIXTURES, "alert-node-ssh.json");
const text = (f: string) => readFileSync(f, "utf8");
const NODE = "gke-cluster-pool-1-abcdeffff-zgt8";

/** The refusal's one line, or undefined when it parses. */
function refusal(file: string, body: string): string | undefined {
    try {
        parseAlert(file, body);
        return undefined;
    } catch (e) {
        if (e instanceof UsageError) return e.problems.join("\n");
        throw e;
    }
}

const withLabels = (labels: Record<string, string>) => {
    const n = JSON.parse(text(POD_EXEC));
    n.incident.metric.labels = labels;
    return JSON.stringify(n);
};

describe("reading an alert", () => {
    it("takes the pod, the principal, the project and the cluster's context from a pod-exec notification", () => {
        expect(parseAlert(POD_EXEC, text(POD_EXEC))).toEqual({
            policy: "quarantine: exec, attach or port-forward into a pod",
            condition: "exec, attach or port-forward into a pod",
            incidentId: "0.nb2xq5k1tq8w",
            state: "open",
            url: "https://console.cloud.google.com/monitoring/alerting/incidents/0.nb2xq5k1tq8w?project=acme-prod",
            startedAt: "2026-11-25T11:58:00.000Z",
            principal: "dev-laptop@acme-prod.iam.gserviceaccount.com",
            pod: "default/compromised-pod",
            node: undefined,
            project: "acme-prod",
            context: "gke_acme-prod_us-central1_prod",
        });
    });

    it("takes the node too when the entry names one (privileged-pod extracts spec.nodeName)", () => {
        const a = parseAlert("a.json", withLabels({ namespace: "default", pod: "compromised-pod", node: NODE }));
        expect([a.pod, a.node]).toEqual(["default/compromised-pod", NODE]);
        expect(alertLines(a)[1]).toBe(`  pod default/compromised-pod on node ${NODE}, context gke_acme-prod_us-central1_prod`);
    });

    it.each([
        ["a Pub/Sub push request", (n: string) => JSON.stringify({ message: { data: Buffer.from(n).toString("base64"), messageId: "1" }, subscription: "projects/acme-prod/subscriptions/ir" })],
        ["gcloud pubsub subscriptions pull --format=json", (n: string) => JSON.stringify([{ ackId: "x", message: { data: Buffer.from(n).toString("base64"), messageId: "1" } }])],
    ])("reads the notification inside %s", (_, wrap) => {
        expect(parseAlert(POD_EXEC, wrap(text(POD_EXEC))).pod).toBe("default/compromised-pod");
    });

    it("refuses an alert that names no pod, saying the policy extracts none, and pointing at the node it names", () => {
        expect(refusal(NODE_SSH, text(NODE_SSH))).toBe(
            `--from-alert ${JSON.stringify(NODE_SSH)}: names no pod, so there is nothing to quarantine from it: incident.metric.labels.pod is missing: policy "quarantine: SSH or serial console access to a VM" does not extract a pod (its labelExtractors: principal, node, instanceId, zone); it names node ${NODE}: quarantine open <id> --node ${NODE} quarantines that directly`,
        );
    });

    it("refuses an alert whose log entry named no pod, naming the empty field and its extractor", () => {
        expect(refusal("a.json", withLabels({ namespace: "default", pod: "" }))).toBe(
            `--from-alert "a.json": names no pod, so there is nothing to quarantine from it: incident.metric.labels.pod is missing or empty: the log entry policy "quarantine: exec, attach or port-forward into a pod" matched named no pod (pod: REGEXP_EXTRACT(protoPayload.resourceName, "/pods/([^/]+)"))`,
        );
    });

    it("refuses a pod without its namespace", () => {
        expect(refusal("a.json", withLabels({ pod: "compromised-pod" }))).toMatch(/^--from-alert "a.json": names pod compromised-pod but not its namespace: incident.metric.labels.namespace is missing or empty/);
    });

    it.each([
        ["not JSON", "{", /is not JSON/],
        ["not a notification", JSON.stringify({ hello: 1 }), /has no "incident" object: not a Cloud Monitoring notification/],
        ["two messages", JSON.stringify([{ message: { data: "" } }, { message: { data: "" } }]), /holds 2 Pub\/Sub messages/],
    ])("refuses %s", (_, body, message) => {
        expect(refusal("a.json", body)).toMatch(message);
    });
});

describe("the alert as open's flags", () => {
    const alert = parseAlert(POD_EXEC, text(POD_EXEC));

    it("fills project and context only where neither a flag nor the stack's config has them", () => {
        expect(alertFlags({ pod: [], node: [] }, alert, {})).toEqual({ pod: ["default/compromised-pod"], node: [], project: "acme-prod", context: "gke_acme-prod_us-central1_prod" });
        expect(alertFlags({ pod: [], node: [], context: "mine" }, alert, { "gcp:project": "acme-prod" })).toMatchObject({ project: undefined, context: "mine" });
    });

    it("refuses a stack pinned to another cluster than the alert's, unless --context says which", () => {
        const pinned = { "kubernetes:context": "gke_acme-prod_europe-west1_prod-eu" };
        expect(() => alertFlags({ pod: [], node: [] }, alert, pinned)).toThrow(
            '--from-alert: the alert is about kubernetes:context "gke_acme-prod_us-central1_prod", but the stack\'s config says "gke_acme-prod_europe-west1_prod-eu"; pass --context to choose',
        );
        expect(alertFlags({ pod: [], node: [], context: "gke_acme-prod_europe-west1_prod-eu" }, alert, pinned).context).toBe("gke_acme-prod_europe-west1_prod-eu");
    });
});

describe("quarantine open --from-alert on the command line (no Pulumi CLI on the PATH)", () => {
    const cli = async (argv: string[]) => {
        let stderr = "";
        const code = await run(argv, { env: { PATH: "" }, stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } });
        return { code, stderr };
    };

    it("refuses an alert without a pod with exit 64, before it looks for Pulumi", async () => {
        const r = await cli(["open", "42", "--preview-only", "--from-alert", NODE_SSH]);
        expect(r.code).toBe(EXIT.usage);
        expect(r.stderr).toContain("names no pod");
        expect(r.stderr).not.toContain("Pulumi CLI");
    });

    it("refuses --from-alert beside --pod, and a file that is not there", async () => {
        expect((await cli(["open", "42", "--from-alert", POD_EXEC, "--pod", "default/x"])).stderr).toContain("names the pod and node: leave out --pod and --node");
        const missing = await cli(["open", "42", "--preview-only", "--from-alert", "/nonexistent/alert.json"]);
        expect([missing.code, missing.stderr.trim()]).toEqual([EXIT.usage, '--from-alert "/nonexistent/alert.json": can\'t read it (ENOENT)']);
    });

    it("goes as far as looking for Pulumi (exit 2) with a good alert", async () => {
        expect((await cli(["open", "42", "--preview-only", "--from-alert", POD_EXEC])).code).toBe(EXIT.noPulumi);
    });
});
