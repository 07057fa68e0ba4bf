import { escapeXml, svg } from "./diagram";
import { changesText, custodyCell, custodyLines, type ReportModel } from "./report";

/**
 * The report as one self-contained HTML file: inline CSS and an inline SVG diagram, no scripts,
 * fonts or images fetched, so it opens the same from a mail attachment or an air-gapped laptop.
 */

const e = (s: unknown) => escapeXml(String(s ?? ""));

function table(head: string[], rows: unknown[][], code: number[] = []): string {
    const th = head.map((h) => `<th>${e(h)}</th>`).join("");
    const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td>${code.includes(i) ? `<code>${e(c)}</code>` : e(c)}</td>`).join("")}</tr>`).join("\n");
    return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

const list = (items: string[], none: string) => `<ul>${(items.length ? items : [none]).map((i) => `<li>${e(i)}</li>`).join("")}</ul>`;

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #101828; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #eaecf0; padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: 13px; }
th, td { border: 1px solid #d0d5dd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; } code { font-size: 12px; word-break: break-all; }
.meta { color: #475467; } .oneway { color: #b42318; } .kept { color: #067647; }
.diagram { overflow-x: auto; border: 1px solid #eaecf0; padding: .5rem; }
@media print { body { margin: 0; } }
`;

export function renderHtml(m: ReportModel): string {
    const outcomeClass = (o: string) => (o.includes("one-way") ? "oneway" : o.startsWith("kept") ? "kept" : "");
    const actions = m.actions
        .map((a) => `<tr><td>${e(a.title)}</td><td>${e(a.group)}</td><td>${e(a.destroy)}</td><td class="${outcomeClass(a.outcome)}">${e(a.outcome)}</td></tr>`)
        .join("\n");
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident ${e(m.incident)}: quarantine report</title><style>${CSS}</style></head>
<body>
<h1>Incident ${e(m.incident)}: quarantine report</h1>
<p class="meta">Stack <code>${e(m.stack)}</code>, ${e(m.state)}. Level <code>${e(m.level)}</code>. Generated ${e(m.generatedAt)}.</p>
<p>Pods: ${e(m.pods.join(", ") || "none")}<br>Nodes: ${e(m.nodes.join(", ") || "none")}</p>
<h2>The quarantine</h2>
<div class="diagram">${svg(m.diagram)}</div>
<h2>Timeline</h2>
${table(["#", "started (UTC)", "ended", "who", "operation", "level", "result", "changes"], m.timeline.map((t) => [t.version, t.startTime, t.endTime ?? "", t.by, t.kind, t.level ?? "", t.result, changesText(t.changes)]))}
<h2>Actions, and what destroy did about them</h2>
<table><thead><tr><th>action</th><th>kind</th><th>destroy</th><th>outcome</th></tr></thead><tbody>
${actions}
</tbody></table>
<p><strong>One-way actions</strong> (nothing brings these back):</p>
${list(m.oneWay, "none")}
<h2>Chain of custody</h2>
<p>${m.manifestObject ? `Manifest object <code>${e(m.manifestObject)}</code> (named by its content hash; the bucket's retention policy forbids overwriting it).` : "No manifest object recorded."}</p>
${table(["artifact", "object", "sha256", "taken at", "taken by", "in the bucket"], m.artifacts.map((a) => [a.what, a.object, a.sha256, a.takenAt, a.takenBy, custodyCell(m, a.object)]), [1, 2])}
${table(["snapshot", "object", "snapshot id", "taken at", "taken by"], m.snapshots.map((s) => [s.what, s.object, s.snapshotId, s.takenAt, s.takenBy]), [1])}
${custodyLines(m).map((l) => `<p class="${m.custody && !m.custody.summary.startsWith("Verified") ? "oneway" : "meta"}">${e(l).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`).join("\n")}
<h2>Not captured, and why</h2>
${list(m.notCaptured.map((n) => `${n.what}${n.when ? ` (${n.when})` : ""}: ${n.why}`), "everything planned was captured")}
<h2>Findings</h2>
${list(m.findings, "none")}
</body></html>
`;
}
