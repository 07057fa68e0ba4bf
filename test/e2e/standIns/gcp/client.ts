/**
 * STAND-IN gcp provider (see ../README.md): its HTTP client. Like gcloud in the contract suite, it
 * talks to the Compute, Storage and Kubernetes Engine fakes (test/fakes) over their real REST
 * paths, never to Google: with no endpoint set, a call fails saying which variable to set.
 */

type Bag = Record<string, any>;

/**
 * Base URLs: the real provider's custom-endpoint variables (GOOGLE_COMPUTE_CUSTOM_ENDPOINT is
 * `.../compute/v1/`, the others the service root), or ours, which name the fake's root URL.
 */
const ENDPOINTS = {
    compute: { ours: "QUARANTINE_FAKE_COMPUTE", google: "GOOGLE_COMPUTE_CUSTOM_ENDPOINT", suffix: "compute/v1/" },
    storage: { ours: "QUARANTINE_FAKE_STORAGE", google: "GOOGLE_STORAGE_CUSTOM_ENDPOINT", suffix: "storage/v1/" },
    container: { ours: "QUARANTINE_FAKE_CONTAINER", google: "GOOGLE_CONTAINER_CUSTOM_ENDPOINT", suffix: "v1/" },
} as const;
export type Service = keyof typeof ENDPOINTS;

/** The service's base URL, ending in `/`: `compute` → `http://127.0.0.1:P/compute/v1/`. */
export function endpoint(service: Service): string {
    const e = ENDPOINTS[service];
    const google = process.env[e.google];
    if (google) return google.endsWith("/") ? google : `${google}/`;
    const ours = process.env[e.ours];
    if (!ours) throw new Error(`gcp stand-in: set ${e.ours} (the ${service} fake's base URL) or ${e.google}; it never calls Google`);
    return `${ours.replace(/\/$/, "")}/${e.suffix}`;
}

/** The storage fake's root, for media uploads (`<root>/upload/storage/v1/...`). */
export const storageRoot = (): string => endpoint("storage").replace(/storage\/v1\/$/, "");

/** The provider's project when a resource names none, as the real provider's `project` config falls back to GOOGLE_PROJECT. */
export function defaultProject(): string {
    const p = process.env.GOOGLE_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.CLOUDSDK_CORE_PROJECT;
    if (!p) throw new Error("gcp stand-in: no project on the resource and no GOOGLE_PROJECT in the environment");
    return p;
}

/** An error answer, worded as googleapi words it (`googleapi: Error 409: <message>, <reason>`). */
export class GoogleApiError extends Error {
    constructor(
        readonly code: number,
        message: string,
    ) {
        super(message);
    }
}

const TIMEOUT_MS = 30_000;

export async function call(method: string, url: string, body?: unknown, opts: { raw?: string; contentType?: string } = {}): Promise<any> {
    const token = process.env.GOOGLE_OAUTH_ACCESS_TOKEN ?? "";
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    let payload: string | undefined;
    if (opts.raw !== undefined) {
        payload = opts.raw;
        headers["content-type"] = opts.contentType ?? "application/octet-stream";
    } else if (body !== undefined) {
        payload = JSON.stringify(body);
        headers["content-type"] = "application/json";
    }
    const res = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok) {
        const e = json.error ?? {};
        const reason = e.errors?.[0]?.reason ?? e.status ?? "";
        throw new GoogleApiError(res.status, `googleapi: Error ${res.status}: ${e.message ?? text}${reason ? `, ${reason}` : ""}`);
    }
    return json;
}

/** GET that answers undefined on 404: what a read (refresh) turns into "the resource is gone". */
export async function getOrGone(url: string): Promise<any> {
    try {
        return await call("GET", url);
    } catch (e) {
        if (e instanceof GoogleApiError && e.code === 404) return undefined;
        throw e;
    }
}

/**
 * Waits for a Compute operation, as the real provider's ComputeOperationWaiter does: polls the
 * operation until DONE, then fails with its `error` if it has one.
 */
export async function waitOperation(op: Bag, what: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    let o = op;
    while (o.status !== "DONE") {
        if (Date.now() > deadline) throw new Error(`${what}: operation ${o.name} still ${o.status} after 120 s`);
        await new Promise((r) => setTimeout(r, 100));
        o = await call("GET", o.selfLink);
    }
    const errors = o.error?.errors as { code: string; message: string }[] | undefined;
    if (errors?.length) throw new Error(`${what}: ${errors.map((e) => `${e.code}: ${e.message}`).join("; ")}`);
}

/** The real provider prefixes every API error with what it was doing ("Error creating Firewall: ..."). */
export async function doing<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
        return await f();
    } catch (e) {
        throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
}

export const lastSegment = (s: string): string => s.split("/").pop() ?? s;
