import { describe, expect, it } from "vitest";
import { verifyCustody, type CustodyReads } from "../../tools/cli/custody";
import { reportModel, renderMarkdown } from "../../tools/cli/report";
import { renderHtml } from "../../tools/cli/reportHtml";
import { outputs, record, resources } from "./fixtures";

// The report rendered from a recorded history, outputs and resources: what an incident commander
// reads must match what the stack recorded, action by action and artifact by artifact.

const AT = "2026-11-26T10:00:00.000Z";
const closed = () => reportModel({ record: record(4), resources: resources(), generatedAt: AT });
const open = () => reportModel({ record: record(2), resources: resources(), generatedAt: AT });

describe("the report's model", () => {
    it("has the timeline oldest first, with who ran each operation and at which level", () => {
        expect(closed().timeline.map((e) => [e.version, e.kind, e.by, e.level, e.result])).toEqual([
            [1, "update", "alice@ir-laptop-1", "observe", "succeeded"],
            [2, "update", "alice@ir-laptop-1", "isolate", "succeeded"],
            [3, "refresh", "bob@ir-laptop-2", "isolate", "succeeded"],
            [4, "destroy", "bob@ir-laptop-2", "isolate", "succeeded"],
        ]);
        expect(closed().state).toBe("closed (destroy #4 by bob@ir-laptop-2 at 2026-11-26T09:14:40.000Z)");
    });

    it("lists every recorded action once, with what destroy did about it", () => {
        const m = closed();
        const declared = resources().filter((r) => r.type !== "pulumi:pulumi:Stack");
        expect(m.actions).toHaveLength(declared.length);
        const outcome = (title: RegExp) => m.actions.filter((a) => title.test(a.title)).map((a) => a.outcome);
        expect(outcome(/^Deny all traffic of pods/)).toEqual(["reversed by destroy"]);
        expect(outcome(/^Firewall rule quarantine-42-egress-deny/)).toEqual(["reversed by destroy"]);
        expect(outcome(/^Snapshot disk/)).toEqual(["kept (evidence)", "kept (evidence)"]);
        expect(outcome(/^Evidence bucket/)).toEqual(["kept (evidence)"]);
        expect(outcome(/^Remove the VM's external IP/)).toEqual(["partly reversed (see destroy)"]);
        expect(outcome(/^Check that no other NetworkPolicy/)).toEqual(["nothing to undo"]);
        const abandon = m.actions.find((a) => /abandon/i.test(a.title))!;
        expect(abandon.outcome).toBe("not reversed (one-way)");
        // Before close, the same action is still ahead of destroy.
        expect(open().actions.find((a) => a.title === abandon.title)!.outcome).toBe("destroy will not reverse it (one-way)");
        expect(open().actions.find((a) => /^Deny all traffic/.test(a.title))!.outcome).toBe("destroy reverses it");
    });

    it("puts the cut-off first, then the evidence", () => {
        const groups = closed().actions.map((a) => a.group);
        expect(groups.indexOf("evidence")).toBeGreaterThan(groups.lastIndexOf("cut-off"));
    });

    it("carries the custody manifest, the one-way actions and what was not captured, as recorded", () => {
        const m = closed();
        const o = outputs();
        expect(m.artifacts).toEqual(o.custodyManifest!.artifacts);
        expect(m.snapshots).toEqual(o.custodyManifest!.snapshots);
        expect(m.manifestObject).toBe("gs://acme-prod-q-42-9f3c1a2b/incident-42/custody/manifest-59e676aa5eef002f.json");
        expect(m.oneWay).toEqual(o.oneWayActions);
        expect(m.notCaptured).toEqual([
            { what: o.custodyManifest!.notCaptured[0].what, why: o.custodyManifest!.notCaptured[0].notCaptured, when: "20261125T120415Z" },
            { what: "by configuration", why: o.evidenceNotes![0], when: "" },
        ]);
    });

    it("draws the pod held by the deny-all, the node by the deny rules, the bastion and the evidence", () => {
        const d = closed().diagram;
        const node = "node-gke-cluster-pool-1-abcdeffff-zgt8";
        const edge = (from: string, to: string) => d.edges.find((e) => e.from === from && e.to === to)?.label;
        expect(edge("np-default", "pod-default/compromised-pod")).toBe("denies all traffic");
        expect(edge("pod-default/compromised-pod", node)).toBe("runs on");
        expect(edge("fw-quarantine-42-egress-deny-37a8ee", node)).toBe("deny egress");
        expect(edge("fw-quarantine-42-ingress-deny-37a8ee", node)).toBe("deny ingress");
        expect(edge("fw-quarantine-42-ssh-bastion-37a8ee", node)).toBe("allow ssh from bastion");
        expect(edge("bastion", node)).toBe("ssh");
        // One snapshot per disk, each matched to its own disk (the data disk's name contains the boot disk's).
        expect(d.edges.filter((e) => e.from === node && e.to.startsWith("snap-")).map((e) => [e.label, e.to])).toEqual([
            ["disk gke-cluster-pool-1-abcdeffff-zgt8", "snap-q-42-9f3c1a2b-gke-cluster-pool-1-abcdeffff-zgt8-13d0dc"],
            ["disk gke-cluster-pool-1-abcdeffff-zgt8-data", "snap-q-42-9f3c1a2b-gke-cluster-pool-1-abcdeffff-zgt8-data-1f4df9"],
        ]);
        // The IAP rule targets the bastion's tag, not the node's: it is not drawn onto the node.
        expect(d.boxes.some((b) => b.id.includes("iap-bastion"))).toBe(false);
    });
});

describe("Markdown", () => {
    const md = renderMarkdown(closed());

    it("has a timeline row per operation, and each artifact with its sha256", () => {
        expect(md).toContain("| 2 | 2026-11-25T12:03:55.000Z | 2026-11-25T12:05:31.000Z | alice@ir-laptop-1 | update | isolate | succeeded | create 14, same 10 |");
        for (const a of outputs().custodyManifest!.artifacts) expect(md).toContain(`\`${a.sha256}\``);
        expect(md).toContain("capture pod refused: pods \"q-42-capture\" is forbidden");
    });

    it("ends with a Mermaid flowchart whose every edge joins two declared boxes", () => {
        const block = /```mermaid\n([\s\S]*?)\n```/.exec(md)![1].split("\n");
        expect(block[0]).toBe("flowchart LR");
        const ids = new Set(block.map((l) => /^ {4}(\w+)\["/.exec(l)?.[1]).filter(Boolean));
        const edges = block.map((l) => /^ {4}(\w+) -- ".*" --> (\w+)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
        expect(edges.length).toBe(closed().diagram.edges.length);
        for (const e of edges) expect([ids.has(e[1]), ids.has(e[2])]).toEqual([true, true]);
    });
});

describe("the custody manifest checked against the bucket", () => {
    const [pod, node] = outputs().custodyManifest!.artifacts;
    const MANIFEST = "gs://acme-prod-q-42-9f3c1a2b/incident-42/custody/manifest-59e676aa5eef002f.json";
    const reads: CustodyReads = {
        buckets: { "gs://acme-prod-q-42-9f3c1a2b": undefined },
        objects: { [pod.object]: { sha256: pod.sha256 }, [node.object]: { sha256: "0".repeat(64) }, [MANIFEST]: { error: { kind: "missing", detail: `object ${MANIFEST} does not exist` } } },
    };
    const checked = () => reportModel({ record: record(4), resources: resources(), generatedAt: AT, custody: verifyCustody(reads, [pod, node], MANIFEST) });

    it("says, per artifact row, verified or what is wrong with it, and sums it up", () => {
        const md = renderMarkdown(checked());
        const row = (a: typeof pod) => md.split("\n").find((l) => l.includes(`\`${a.sha256}\``))!;
        expect(row(pod).endsWith("| verified |")).toBe(true);
        expect(row(node)).toContain(`| mismatch: the object's sha256 is ${"0".repeat(64)}, the manifest recorded ${node.sha256} |`);
        expect(md).toContain("Checked against gs://acme-prod-q-42-9f3c1a2b: 1 mismatch, 1 missing, 1 verified of 3 objects.\n");
        expect(md).toContain(`Manifest object: missing (object ${MANIFEST} does not exist).`);
        expect(md).not.toContain("Not verified against the bucket");
    });

    it("says not checked when the report could not read anything, rather than verified", () => {
        const md = renderMarkdown(closed());
        expect(md).toContain("Not verified against the bucket's objects by this report");
        expect(md.split("\n").find((l) => l.includes(`\`${pod.sha256}\``))!.endsWith("| not checked |")).toBe(true);
    });

    it("carries the same verdicts in the HTML and in --json", () => {
        const html = renderHtml(checked());
        expect(html).toContain(`<td>mismatch: the object's sha256 is ${"0".repeat(64)}, the manifest recorded ${node.sha256}</td>`);
        expect(html).toContain('<p class="oneway">Checked against gs://acme-prod-q-42-9f3c1a2b: 1 mismatch, 1 missing, 1 verified of 3 objects.</p>');
        const json = JSON.parse(JSON.stringify(checked()));
        expect(json.custody.artifacts.map((c: { status: string }) => c.status)).toEqual(["verified", "mismatch"]);
        expect(json.custody.manifest.status).toBe("missing");
    });
});

describe("HTML", () => {
    const html = renderHtml(closed());

    it("is one self-contained file: no script, no external stylesheet, image or font", () => {
        expect(html.startsWith("<!doctype html>")).toBe(true);
        expect(html).not.toMatch(/<script|<link|<img|@import|url\(http|src=/i);
        expect(html).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>/);
    });

    it("escapes what the stack recorded (a capture's refusal quotes the apiserver)", () => {
        expect(html).toContain("pods &quot;q-42-capture&quot; is forbidden");
        const withMarkup = outputs();
        const notCaptured = [{ ...withMarkup.custodyManifest!.notCaptured[0], notCaptured: "<img src=x onerror=alert(1)>" }];
        const m = reportModel({ record: record(4, { ...withMarkup, custodyManifest: { ...withMarkup.custodyManifest!, notCaptured } }), resources: resources(), generatedAt: AT });
        expect(renderHtml(m)).not.toContain("<img");
        expect(renderHtml(m)).toContain("&lt;img src=x onerror=alert(1)&gt;");
    });
});
