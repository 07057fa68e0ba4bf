import type { Outputs } from "./record";
import type { DeployedResource } from "./verify";

/**
 * The quarantine as a picture for the incident commander: what holds the pod (the deny-all),
 * what holds the node (the deny rules on its tag), how a responder reaches it (the bastion) and
 * where the evidence went. One model, drawn as Mermaid for Markdown and as SVG for HTML, so the
 * two reports can't disagree.
 */

export type BoxKind = "control" | "pod" | "node" | "evidence";

export interface Box {
    readonly id: string;
    readonly label: string;
    readonly kind: BoxKind;
}

export interface Edge {
    readonly from: string;
    readonly to: string;
    readonly label: string;
}

export interface Diagram {
    readonly boxes: Box[];
    readonly edges: Edge[];
}

const COLUMNS: BoxKind[] = ["control", "pod", "node", "evidence"];

export function diagramModel(o: Outputs, resources: readonly DeployedResource[]): Diagram {
    const boxes: Box[] = [];
    const edges: Edge[] = [];
    const add = (b: Box) => {
        if (!boxes.some((x) => x.id === b.id)) boxes.push(b);
    };
    const policies = resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    for (const p of policies) add({ id: `np-${p.inputs?.metadata?.namespace}`, label: `deny-all ${p.inputs?.metadata?.namespace}/${p.inputs?.metadata?.name}`, kind: "control" });
    const rules = resources.filter((r) => r.type === "gcp:compute/firewall:Firewall");
    for (const n of o.nodes ?? []) {
        add({ id: `node-${n.node}`, label: `node ${n.node} (${n.zone})`, kind: "node" });
        for (const pod of n.pods) {
            add({ id: `pod-${pod}`, label: `pod ${pod}`, kind: "pod" });
            edges.push({ from: `pod-${pod}`, to: `node-${n.node}`, label: "runs on" });
            const ns = pod.split("/")[0];
            if (policies.some((p) => p.inputs?.metadata?.namespace === ns)) edges.push({ from: `np-${ns}`, to: `pod-${pod}`, label: "denies all traffic" });
        }
        for (const r of rules.filter((r) => (r.inputs?.targetTags ?? []).includes(o.isolationTag))) {
            const name = String(r.inputs?.name ?? r.urn.split("::").pop());
            const deny = r.inputs?.denies !== undefined;
            add({ id: `fw-${name}`, label: `firewall ${name}`, kind: "control" });
            edges.push({ from: `fw-${name}`, to: `node-${n.node}`, label: deny ? `deny ${String(r.inputs?.direction).toLowerCase()}` : "allow ssh from bastion" });
        }
        if (o.bastionSshCommand) {
            add({ id: "bastion", label: "bastion VM (IAP, no external IP)", kind: "control" });
            edges.push({ from: "bastion", to: `node-${n.node}`, label: "ssh" });
        }
        for (const d of n.disks) {
            // Snapshot names end in `-<disk>-<6 hex>` (components/forensicSnapshots.ts).
            const snap = (o.snapshotNames ?? []).find((s) => s.replace(/-[0-9a-f]{6}$/, "").endsWith(`-${d}`));
            if (!snap) continue;
            add({ id: `snap-${snap}`, label: `snapshot ${snap}`, kind: "evidence" });
            edges.push({ from: `node-${n.node}`, to: `snap-${snap}`, label: `disk ${d}` });
        }
        if (o.evidenceBucket) {
            add({ id: "bucket", label: `bucket ${o.evidenceBucket}`, kind: "evidence" });
            edges.push({ from: `node-${n.node}`, to: "bucket", label: "captures" });
        }
    }
    return { boxes, edges };
}

const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9]/g, "_");
const mermaidText = (s: string) => s.replace(/"/g, "#quot;");

export function mermaid(d: Diagram): string {
    const out = ["flowchart LR"];
    for (const b of d.boxes) out.push(`    ${mermaidId(b.id)}["${mermaidText(b.label)}"]:::${b.kind}`);
    for (const e of d.edges) out.push(`    ${mermaidId(e.from)} -- "${mermaidText(e.label)}" --> ${mermaidId(e.to)}`);
    out.push("    classDef control fill:#fde2e1,stroke:#b42318", "    classDef pod fill:#fff4d6,stroke:#b54708", "    classDef node fill:#fff4d6,stroke:#b54708", "    classDef evidence fill:#e3f4e8,stroke:#067647");
    return out.join("\n");
}

export const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const W = 250;
const H = 46;
const GAP_X = 90;
const GAP_Y = 26;
const FILL: Record<BoxKind, [string, string]> = { control: ["#fde2e1", "#b42318"], pod: ["#fff4d6", "#b54708"], node: ["#fff4d6", "#b54708"], evidence: ["#e3f4e8", "#067647"] };

/** A column per kind (controls, pods, nodes, evidence); every arrow runs left to right but the controls'. */
export function svg(d: Diagram): string {
    const pos = new Map<string, { x: number; y: number }>();
    let rows = 0;
    for (const [c, kind] of COLUMNS.entries()) {
        const inCol = d.boxes.filter((b) => b.kind === kind);
        inCol.forEach((b, i) => pos.set(b.id, { x: 10 + c * (W + GAP_X), y: 30 + i * (H + GAP_Y) }));
        rows = Math.max(rows, inCol.length);
    }
    const width = 20 + COLUMNS.length * W + (COLUMNS.length - 1) * GAP_X;
    const height = 50 + rows * (H + GAP_Y);
    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px;height:auto" role="img" aria-label="quarantine diagram" font-family="system-ui, sans-serif" font-size="12">`,
        `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475467"/></marker></defs>`,
    ];
    ["what holds it", "pods", "nodes", "evidence (kept)"].forEach((t, c) => parts.push(`<text x="${10 + c * (W + GAP_X)}" y="18" font-weight="bold" fill="#344054">${t}</text>`));
    for (const e of d.edges) {
        const a = pos.get(e.from);
        const b = pos.get(e.to);
        if (!a || !b) continue;
        const [x1, x2] = a.x < b.x ? [a.x + W, b.x] : [a.x, b.x + W];
        const [y1, y2] = [a.y + H / 2, b.y + H / 2];
        parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#475467" marker-end="url(#arrow)"/>`);
        // A third of the way from its source, on a white halo: arrows that converge on one box keep
        // their labels apart and legible over the lines they cross.
        const [lx, ly] = [x1 + (x2 - x1) / 3, y1 + (y2 - y1) / 3 - 4];
        // A label wider than the gap between columns would run into the boxes: cut, whole in its title.
        const label = e.label.length > 18 ? `${e.label.slice(0, 17)}…` : e.label;
        parts.push(
            `<g><title>${escapeXml(e.label)}</title><text x="${lx}" y="${ly}" text-anchor="middle" fill="#475467" font-size="10" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(label)}</text></g>`,
        );
    }
    for (const b of d.boxes) {
        const p = pos.get(b.id)!;
        const [fill, stroke] = FILL[b.kind];
        const label = b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label;
        parts.push(`<g><title>${escapeXml(b.label)}</title><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${fill}" stroke="${stroke}"/>`);
        parts.push(`<text x="${p.x + 8}" y="${p.y + H / 2 + 4}" fill="#101828">${escapeXml(label)}</text></g>`);
    }
    parts.push("</svg>");
    return parts.join("\n");
}
