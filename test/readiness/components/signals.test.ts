import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { alertDocumentation, DOCUMENTATION_LIMIT } from "../../../components/readiness/alertDocumentation";
import { SIGNALS, type SignalContext } from "../../../components/readiness/signals";
import { matches } from "../../../tools/loggingQuery/evaluate";
import { extract } from "../../../tools/loggingQuery/extract";
import { parse } from "../../../tools/loggingQuery/parse";

/** The context the fixtures were recorded for: cluster `prod` watched, `staging` not. */
const CONTEXT: SignalContext = { clusters: ["prod"], trustedCidrs: ["203.0.113.0/24", "10.0.0.0/8", "2001:db8:1::/48"] };
const UNRESTRICTED: SignalContext = { clusters: [], trustedCidrs: ["203.0.113.0/24"] };

interface Case {
    readonly why: string;
    /** Labels the alert must extract from the entry. */
    readonly labels?: Record<string, string>;
    readonly entry: unknown;
}

/** Recorded entries per signal id, from every fixture file (a signal's may span two files). */
function fixtures(): Map<string, { match: Case[]; noMatch: Case[] }> {
    const dir = path.join(__dirname, "..", "fixtures");
    const bySignal = new Map<string, { match: Case[]; noMatch: Case[] }>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
        const f = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { signal: string; match: Case[]; noMatch: Case[] };
        const into = bySignal.get(f.signal) ?? { match: [], noMatch: [] };
        into.match.push(...f.match);
        into.noMatch.push(...f.noMatch);
        bySignal.set(f.signal, into);
    }
    return bySignal;
}

const recorded = fixtures();
const filterOf = (id: string, ctx = CONTEXT) => {
    const f = SIGNALS.find((s) => s.id === id)!.filter(ctx);
    if (f === undefined) throw new Error(`${id} has no filter for this context`);
    return f;
};
const cases = (kind: "match" | "noMatch") => [...recorded].flatMap(([id, f]) => f[kind].map((c) => [id, c.why, c] as const));

describe("signals", () => {
    it("have unique ids, and every fixture names one of them", () => {
        const ids = SIGNALS.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...recorded.keys()].filter((id) => !ids.includes(id))).toEqual([]);
    });

    it.each(SIGNALS.map((s) => [s.id]))("%s has recorded entries it must match and entries it must not", (id) => {
        expect(recorded.get(id)?.match.length ?? 0).toBeGreaterThan(0);
        expect(recorded.get(id)?.noMatch.length ?? 0).toBeGreaterThan(0);
    });

    it.each(SIGNALS.map((s) => [s.id]))("%s's filter parses, with and without a cluster restriction", (id) => {
        expect(() => parse(filterOf(id))).not.toThrow();
        expect(() => parse(filterOf(id, UNRESTRICTED))).not.toThrow();
    });

    it.each(cases("match"))("%s matches: %s", (id, _why, c) => {
        expect(matches(filterOf(id), c.entry)).toBe(true);
    });

    it.each(cases("noMatch"))("%s does not match: %s", (id, _why, c) => {
        expect(matches(filterOf(id), c.entry)).toBe(false);
    });

    it.each(cases("match").filter(([, , c]) => c.labels))("%s extracts the responder's labels: %s", (id, _why, c) => {
        const signal = SIGNALS.find((s) => s.id === id)!;
        if (signal.kind !== "log") throw new Error(`${id} is not log-based`);
        const got = Object.fromEntries(Object.keys(c.labels!).map((k) => [k, signal.labels[k] === undefined ? "(no extractor)" : extract(signal.labels[k], c.entry)]));
        expect(got).toEqual(c.labels);
    });

    it("match the kubectl 1.29 create exec and the kubectl 1.30 WebSocket get exec alike", () => {
        const [create, get] = ["io.k8s.core.v1.pods.exec.create", "io.k8s.core.v1.pods.exec.get"].map((m) =>
            recorded.get("pod-exec")!.match.find((c) => (c.entry as { protoPayload: { methodName: string } }).protoPayload.methodName === m),
        );
        expect(create, "a recorded 1.29 exec").toBeDefined();
        expect(get, "a recorded 1.30 exec").toBeDefined();
        expect(matches(filterOf("pod-exec"), create!.entry) && matches(filterOf("pod-exec"), get!.entry)).toBe(true);
    });

    it("watch every cluster when none is configured", () => {
        const staging = recorded.get("pod-exec")!.noMatch.find((c) => c.why.includes("does not watch"))!;
        expect(matches(filterOf("pod-exec", UNRESTRICTED), staging.entry)).toBe(true);
    });

    it("declare the unexpected-IP signal only with trusted ranges", () => {
        expect(SIGNALS.find((s) => s.id === "untrusted-ip")!.filter({ clusters: [], trustedCidrs: [] })).toBeUndefined();
    });

    it.each(SIGNALS.filter((s) => s.kind === "log").map((s) => [s.id, s] as const))("%s extracts the principal and the node, and a valid expression for each label", (_id, s) => {
        if (s.kind !== "log") return;
        expect(Object.keys(s.labels)).toEqual(expect.arrayContaining(["principal", "node"]));
        for (const extractor of Object.values(s.labels)) expect(() => extract(extractor, {})).not.toThrow();
    });

    it.each(SIGNALS.filter((s) => s.id !== "node-ssh" && s.kind === "log").map((s) => [s.id, s] as const))("%s also extracts the pod", (_id, s) => {
        if (s.kind === "log") expect(Object.keys(s.labels)).toContain("pod");
    });

    it.each(SIGNALS.map((s) => [s.id, s] as const))("%s's documentation fits Cloud Monitoring's limit and names what it was written for", (_id, s) => {
        const doc = alertDocumentation(s, "acme-prod");
        expect(Buffer.byteLength(doc.content)).toBeLessThanOrEqual(DOCUMENTATION_LIMIT);
        expect(s.rationale).toMatch(/seed 00[0-3]/i);
        expect(s.falsePositives.length).toBeGreaterThan(0);
    });
});
