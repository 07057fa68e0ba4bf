import { Violation } from "./http";

/**
 * Kubernetes label and field selectors, as the API server reads them. Anything outside the
 * grammar (or a field the fake does not index) is a violation, not "matches nothing".
 */

type Requirement = { key: string; op: "exists" | "!exists" | "=" | "!=" | "in" | "notin"; values: string[] };

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const VALUE = String.raw`[-A-Za-z0-9_.]*`;

function topLevelTerms(s: string): string[] {
    const terms: string[] = [];
    let depth = 0;
    let cur = "";
    for (const ch of s) {
        if (ch === "(") depth++;
        if (ch === ")") depth--;
        if (ch === "," && depth === 0) {
            terms.push(cur);
            cur = "";
        } else cur += ch;
    }
    terms.push(cur);
    return terms.map((t) => t.trim()).filter((t) => t !== "");
}

export function parseLabelSelector(s: string): Requirement[] {
    return topLevelTerms(s).map((t) => {
        let m: RegExpExecArray | null;
        if ((m = new RegExp(`^!\\s*(${KEY})$`).exec(t))) return { key: m[1], op: "!exists", values: [] };
        if ((m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(t))) return { key: m[1], op: m[2] === "!=" ? "!=" : "=", values: [m[3]] };
        if ((m = new RegExp(`^(${KEY})\\s+(in|notin)\\s+\\(([^()]*)\\)$`).exec(t))) {
            return { key: m[1], op: m[2] as "in" | "notin", values: m[3].split(",").map((v) => v.trim()) };
        }
        if ((m = new RegExp(`^(${KEY})$`).exec(t))) return { key: m[1], op: "exists", values: [] };
        throw new Violation(`label selector term ${JSON.stringify(t)} is not valid`);
    });
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> = {}): boolean {
    return reqs.every(({ key, op, values }) => {
        const has = Object.prototype.hasOwnProperty.call(labels, key);
        switch (op) {
            case "exists":
                return has;
            case "!exists":
                return !has;
            case "=":
                return has && labels[key] === values[0];
            case "!=":
                return !has || labels[key] !== values[0];
            case "in":
                return has && values.includes(labels[key]);
            case "notin":
                return !has || !values.includes(labels[key]);
        }
    });
}

/** A PodDisruptionBudget's or workload's `spec.selector` (matchLabels and matchExpressions). */
export function matchesSelector(selector: any, labels: Record<string, string> = {}): boolean {
    if (!selector) return false;
    const reqs: Requirement[] = Object.entries((selector.matchLabels ?? {}) as Record<string, string>).map(([key, v]) => ({ key, op: "=", values: [v] }));
    for (const e of selector.matchExpressions ?? []) {
        const op = ({ In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!exists" } as const)[e.operator as string];
        if (!op) throw new Violation(`selector operator ${e.operator}`);
        reqs.push({ key: e.key, op, values: e.values ?? [] });
    }
    return reqs.length > 0 && matchesLabels(reqs, labels);
}

const FIELDS: Record<string, (o: any) => string | undefined> = {
    "metadata.name": (o) => o.metadata?.name,
    "metadata.namespace": (o) => o.metadata?.namespace,
    "spec.nodeName": (o) => o.spec?.nodeName ?? "",
    "status.phase": (o) => o.status?.phase,
    "involvedObject.kind": (o) => o.involvedObject?.kind,
    "involvedObject.name": (o) => o.involvedObject?.name,
    "involvedObject.namespace": (o) => o.involvedObject?.namespace,
    "involvedObject.uid": (o) => o.involvedObject?.uid,
};

const FIELDS_OF: Record<string, string[]> = {
    pods: ["spec.nodeName", "status.phase"],
    events: ["involvedObject.kind", "involvedObject.name", "involvedObject.namespace", "involvedObject.uid"],
};

export function fieldFilter(resource: string, s: string): (o: any) => boolean {
    const checks = topLevelTerms(s).map((t) => {
        const m = /^([A-Za-z.]+)\s*(==|=|!=)\s*([\s\S]*)$/.exec(t);
        if (!m) throw new Violation(`field selector term ${JSON.stringify(t)} is not valid`);
        const [, field, op, value] = m;
        if (!["metadata.name", "metadata.namespace", ...(FIELDS_OF[resource] ?? [])].includes(field)) {
            throw new Violation(`field selector ${field} is not supported for ${resource}`);
        }
        return (o: any) => (FIELDS[field](o) === value) === (op !== "!=");
    });
    return (o) => checks.every((c) => c(o));
}
