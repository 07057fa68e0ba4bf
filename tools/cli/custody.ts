/**
 * The chain of custody checked against the bucket: each artifact's sha256 as the manifest
 * recorded it, beside the sha256 of the object's bytes as the bucket serves them now. The reads
 * (`custodyRead.ts`, through gcloud) are passed in, so the verdicts are tested on recorded reads.
 * Precise words, because an incident commander acts on them: `verified`, `mismatch` (the bytes
 * differ from what was captured), `missing` (no such object, or no such bucket), `not reachable`
 * (the bucket could not be read: credentials, network, no gcloud; says nothing about the evidence).
 */

export type CustodyStatus = "verified" | "mismatch" | "missing" | "not reachable";

/** A read that failed: `missing` when the API said 404, `unreachable` for anything else. */
export interface ReadError {
    readonly kind: "missing" | "unreachable";
    readonly detail: string;
}

/** What was read from the bucket(s), keyed by `gs://bucket` and by `gs://bucket/object`. */
export interface CustodyReads {
    /** Per bucket: absent when it could be read. */
    readonly buckets: Record<string, ReadError | undefined>;
    readonly objects: Record<string, { readonly sha256?: string; readonly error?: ReadError }>;
}

export interface CustodyCheck {
    readonly object: string;
    readonly what: string;
    readonly status: CustodyStatus;
    readonly detail: string;
}

export interface CustodyVerification {
    /** One line for the report: how many artifacts were verified, and what was not. */
    readonly summary: string;
    readonly artifacts: CustodyCheck[];
    readonly manifest?: CustodyCheck;
}

/** `gs://bucket/a/b` → `gs://bucket`; undefined for anything that is not a gs:// URL. */
export function bucketOf(url: string): string | undefined {
    return /^(gs:\/\/[^/]+)\/./.exec(url)?.[1];
}

const failed = (e: ReadError): { status: CustodyStatus; detail: string } => (e.kind === "missing" ? { status: "missing", detail: e.detail } : { status: "not reachable", detail: e.detail });

/** The read behind one object, after its bucket's: a bucket that can't be read decides for all its objects. */
function readOf(r: CustodyReads, object: string): { sha256?: string; error?: ReadError } {
    const bucket = bucketOf(object);
    if (bucket === undefined) return { error: { kind: "unreachable", detail: `${object} is not a gs:// object URL` } };
    const b = r.buckets[bucket];
    if (b) return { error: b };
    return r.objects[object] ?? { error: { kind: "unreachable", detail: "not read" } };
}

export function checkArtifact(r: CustodyReads, a: { what: string; object: string; sha256: string }): CustodyCheck {
    const read = readOf(r, a.object);
    if (read.error) return { object: a.object, what: a.what, ...failed(read.error) };
    if (read.sha256 === a.sha256) return { object: a.object, what: a.what, status: "verified", detail: `sha256 ${a.sha256} as recorded` };
    return { object: a.object, what: a.what, status: "mismatch", detail: `the object's sha256 is ${read.sha256}, the manifest recorded ${a.sha256}` };
}

/** The manifest object is named by the first 16 hex digits of its own sha256 (components/chainOfCustody.ts). */
export function checkManifest(r: CustodyReads, object: string): CustodyCheck {
    const what = "custody manifest";
    const expected = /manifest-([0-9a-f]{16})\.json$/.exec(object)?.[1];
    const read = readOf(r, object);
    if (read.error) return { object, what, ...failed(read.error) };
    if (expected === undefined) return { object, what, status: "mismatch", detail: "its name carries no content hash to check it against" };
    if (read.sha256?.startsWith(expected)) return { object, what, status: "verified", detail: `sha256 ${read.sha256} begins with ${expected}, as its name says` };
    return { object, what, status: "mismatch", detail: `the object's sha256 is ${read.sha256}, its name says it begins with ${expected}` };
}

export function verifyCustody(r: CustodyReads, artifacts: readonly { what: string; object: string; sha256: string }[], manifestObject?: string): CustodyVerification {
    const checks = artifacts.map((a) => checkArtifact(r, a));
    const manifest = manifestObject ? checkManifest(r, manifestObject) : undefined;
    const all = [...checks, ...(manifest ? [manifest] : [])];
    const count = (s: CustodyStatus) => all.filter((c) => c.status === s).length;
    const buckets = [...new Set(all.map((c) => bucketOf(c.object)).filter((b): b is string => b !== undefined))];
    const unreachable = buckets.filter((b) => r.buckets[b]?.kind === "unreachable");
    let summary: string;
    if (all.length === 0) summary = "Nothing recorded in the manifest to verify.";
    else if (count("verified") === all.length) summary = `Verified against ${buckets.join(", ")}: all ${all.length} objects (${checks.length} artifacts${manifest ? " and the manifest" : ""}) have the sha256 the manifest recorded.`;
    else {
        const parts = (["mismatch", "missing", "not reachable", "verified"] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`);
        summary = `Checked against ${buckets.join(", ") || "the bucket"}: ${parts.join(", ")} of ${all.length} objects.`;
        if (unreachable.length) summary += ` ${unreachable.join(", ")} not reachable: ${r.buckets[unreachable[0]]!.detail}`;
    }
    return { summary, artifacts: checks, manifest };
}
