import { describe, expect, it } from "vitest";
import { alertDocumentation } from "../../../components/readiness/alertDocumentation";
import { SIGNALS } from "../../../components/readiness/signals";

const signal = (id: string) => SIGNALS.find((s) => s.id === id)!;
const shell = (id: string) => {
    const content = alertDocumentation(signal(id), "acme-prod").content;
    return content.slice(content.indexOf("```sh\n") + 6, content.lastIndexOf("```")).trimEnd().split("\n");
};

describe("alert documentation", () => {
    it("opens a pod's quarantine with the README's commands, the pod and cluster filled in by Cloud Monitoring", () => {
        expect(shell("pod-exec")).toEqual([
            "pulumi login --local                      # or the team's state bucket",
            "ID=<incident id, e.g. 42>",
            'pulumi stack init "incident-$ID"',
            "pulumi config set gcp:project acme-prod",
            "CTX=gke_acme-prod_${log.extracted_label.location}_${log.extracted_label.cluster}",
            'pulumi config set kubernetes:context "$CTX"',
            "pulumi config set --path quarantine:cluster.name ${log.extracted_label.cluster}",
            "pulumi config set --path quarantine:cluster.location ${log.extracted_label.location}",
            "pulumi config set --path 'quarantine:pods[0]' ${log.extracted_label.namespace}/${log.extracted_label.pod}",
            "pulumi config set quarantine:level observe   # evidence first; raise it after reading the preview",
            "pulumi preview --diff",
            "pulumi up",
        ]);
    });

    it("opens a node's quarantine for SSH, finding the node's cluster from its VM labels", () => {
        const lines = shell("node-ssh");
        expect(lines).toContain("pulumi config set --path 'quarantine:nodes[0]' ${log.extracted_label.node}");
        expect(lines).toContain(
            "read -r CLUSTER LOCATION < <(gcloud compute instances describe ${log.extracted_label.node} --zone ${log.extracted_label.zone} --project acme-prod --format='value(labels.goog-k8s-cluster-name,labels.goog-k8s-cluster-location)')",
        );
        expect(lines).toContain('CTX=gke_acme-prod_"$LOCATION"_"$CLUSTER"');
        expect(lines).toContain('pulumi config set --path quarantine:cluster.name "$CLUSTER"');
    });

    it("fills a metric alert's node from the time series' resource labels", () => {
        expect(shell("node-cpu")).toContain("pulumi config set --path 'quarantine:nodes[0]' ${resource.label.node_name}");
    });

    it("finds the pods that run as a stolen service account for a principal's alert", () => {
        expect(shell("token-creation").some((l) => l.includes('--field-selector "spec.serviceAccountName=$SA"') && l.includes('pulumi config set --path "quarantine:pods[$i]" "$NS/$pod"'))).toBe(true);
    });

    it.each(SIGNALS.map((s) => [s.id]))("%s: uses no ${...} that Cloud Monitoring would not fill", (id) => {
        const { content, subject } = alertDocumentation(signal(id), "acme-prod");
        const variables = [...`${subject}\n${content}`.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
        const s = signal(id);
        const allowed = s.kind === "log" ? Object.keys(s.labels).map((k) => `log.extracted_label.${k}`) : ["resource.label.node_name", "resource.label.cluster_name", "resource.label.location"];
        expect(variables.filter((v) => !allowed.includes(v))).toEqual([]);
    });

    it("says what happened, why it matters and what else trips it", () => {
        const s = signal("secret-read");
        const { content, subject } = alertDocumentation(s, "acme-prod");
        expect(subject).toBe("[quarantine] secret read by a principal outside system: (acme-prod)");
        for (const part of [s.what, s.rationale, ...s.falsePositives]) expect(content).toContain(part);
    });
});
