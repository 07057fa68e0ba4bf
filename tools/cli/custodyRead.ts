import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { bucketOf, type CustodyReads, type ReadError } from "./custody";

/**
 * Reads the evidence back from Cloud Storage the way the capture scripts wrote it: through
 * `gcloud storage` (components/scripts/lib/capture.sh), so the responder's gcloud credentials and
 * endpoint settings apply (and the test suites point it at the Storage fake with
 * `CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE`). Each object is streamed through sha256, never kept.
 * Cloud Storage holds only MD5 and CRC32C of an object, so its bytes must be read to compare the
 * sha256 the manifest recorded.
 */

const TIMEOUT_MS = 120_000;
/** Parallel downloads: a handful of artifacts per pod and node. */
const PARALLEL = 4;

interface Run {
    readonly code: number | null;
    readonly sha256: string;
    readonly stderr: string;
    readonly spawnError?: string;
}

function gcloud(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
    return new Promise((resolve) => {
        const hash = createHash("sha256");
        let stderr = "";
        const p = spawn("gcloud", args, { env, stdio: ["ignore", "pipe", "pipe"] });
        const timer = setTimeout(() => p.kill("SIGKILL"), TIMEOUT_MS);
        p.stdout.on("data", (c: Buffer) => hash.update(c));
        p.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
        p.on("error", (e: NodeJS.ErrnoException) => {
            clearTimeout(timer);
            resolve({ code: null, sha256: "", stderr, spawnError: e.code === "ENOENT" ? "gcloud is not on the PATH" : e.message });
        });
        p.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, sha256: hash.digest("hex"), stderr });
        });
    });
}

/** gcloud's words for a 404 of a bucket or an object; anything else is "could not read". */
const NOT_FOUND = /\b404\b|NotFound|not found|matched no objects|does not exist/i;

function errorOf(r: Run, what: string): ReadError | undefined {
    if (r.spawnError) return { kind: "unreachable", detail: r.spawnError };
    if (r.code === 0) return undefined;
    const lines = r.stderr.trim().split("\n").filter(Boolean);
    const line = lines.find((l) => l.startsWith("ERROR:")) ?? lines.pop() ?? `gcloud exited ${r.code}`;
    if (NOT_FOUND.test(r.stderr)) return { kind: "missing", detail: `${what} does not exist (${line.slice(0, 200)})` };
    return { kind: "unreachable", detail: `${what} could not be read: ${line.slice(0, 300)}` };
}

/** Each bucket once (`buckets describe`), then every object of a readable bucket (`storage cat`). */
export async function readCustody(objects: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CustodyReads> {
    const buckets: CustodyReads["buckets"] = {};
    for (const b of new Set(objects.map(bucketOf).filter((x): x is string => x !== undefined))) {
        buckets[b] = errorOf(await gcloud(["storage", "buckets", "describe", b, "--format=json"], env), `bucket ${b}`);
    }
    const reads: CustodyReads["objects"] = {};
    const queue = [...new Set(objects)].filter((o) => {
        const b = bucketOf(o);
        return b !== undefined && buckets[b] === undefined;
    });
    const worker = async () => {
        for (let o = queue.shift(); o !== undefined; o = queue.shift()) {
            const r = await gcloud(["storage", "cat", o], env);
            const error = errorOf(r, `object ${o}`);
            reads[o] = error ? { error } : { sha256: r.sha256 };
        }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    return { buckets, objects: reads };
}
