import * as http from "http";
import type { AddressInfo } from "net";

/**
 * The part both fakes share: a strict JSON-over-HTTP server on 127.0.0.1 that keeps state, logs
 * every call, records every state change as an effect, and can make the next call of one operation
 * fail once. Anything it does not know (path, method, query parameter, body field) is answered with
 * an error *and* recorded as a violation, which the tests assert is empty: a typo in a flag or a
 * wrong API call can't pass just because the script tolerated the error.
 */

/**
 * `500`: the call fails before it takes effect. `412`: the caller's fingerprint is stale (someone
 * else changed the resource since it read it). `timeout`: the call takes effect but its answer
 * never arrives (the connection is dropped after a stall).
 */
export type Fault = "500" | "412" | "timeout";

export interface Call {
    readonly seq: number;
    readonly op: string;
    readonly method: string;
    readonly path: string;
    readonly query: Record<string, string>;
    readonly body: unknown;
    readonly status: number;
    readonly fault?: Fault;
}

/** One change of state: what the "did anything twice" checks count. */
export interface Effect {
    readonly op: string;
    readonly target: string;
    readonly change: string;
}

export class ApiError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly reason: string,
        readonly extra: Record<string, unknown> = {},
    ) {
        super(message);
    }
}

/**
 * A route's answer that is not JSON: an object's bytes (Cloud Storage `alt=media`), written as
 * they are with their own Content-Type and headers.
 */
export class Media {
    constructor(
        readonly contentType: string,
        readonly data: Buffer,
        readonly headers: Record<string, string> = {},
    ) {}
}

/** A request the fake does not implement: answered with `status` and recorded as a violation. */
export class Violation extends ApiError {
    constructor(message: string, status = 400) {
        super(status, `fake: ${message}`, "Violation");
    }
}

export interface Req {
    readonly method: string;
    readonly path: string;
    /** Decoded path segments. */
    readonly segments: string[];
    readonly query: URLSearchParams;
    readonly contentType: string;
    readonly body: any;
    /** The request's headers, lower-case names (e.g. `impersonate-user`). */
    readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface Route {
    readonly op: string;
    /** Runs the call; returns the JSON answer. Throw an `ApiError` for an error answer. */
    readonly handle: () => unknown;
    readonly status?: number;
}

const MAX_BODY = 1 << 20;
/**
 * The fakes close themselves this long after starting, whatever the tests do.
 * `QUARANTINE_FAKE_LIFETIME_MS` lengthens it for a longer run (`npm run bench:measured`).
 */
const HARD_TIMEOUT_MS = Number(process.env.QUARANTINE_FAKE_LIFETIME_MS) || 10 * 60_000;
const STALL_MS = 150;

export abstract class FakeApi<S> {
    state: S;
    readonly calls: Call[] = [];
    readonly effects: Effect[] = [];
    readonly violations: string[] = [];
    private armed: { op: string; fault: Fault; skip: number }[] = [];
    private server?: http.Server;
    private hardTimer?: NodeJS.Timeout;
    port = 0;

    /** @param token the bearer token every request must carry (the dummy one the tool is given), if any. */
    constructor(
        initial: S,
        readonly token?: string,
    ) {
        this.state = structuredClone(initial);
    }

    get base(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    /** Maps a request to an operation, or throws a `Violation`. */
    protected abstract route(req: Req): Route;
    protected abstract errorBody(e: ApiError): unknown;
    /** Makes the fingerprint or version the caller holds stale; false if `op` has none. */
    protected abstract makeStale(op: string, req: Req): boolean;

    /**
     * The request body as the route sees it: JSON, or a violation. The Storage fake overrides it
     * for media uploads, whose body is the object's bytes (a string here).
     */
    protected parseRequestBody(text: string, method: string, path: string): unknown {
        void path; // what an override tells bodies apart by
        return parseBody(text, method);
    }

    /** The `nth` next call of `op` (1: the next one) fails once with `fault`. */
    arm(op: string, fault: Fault, nth = 1): void {
        this.armed.push({ op, fault, skip: nth - 1 });
    }

    /** Faults armed but not triggered yet. */
    pending(): string[] {
        return this.armed.map((a) => `${a.fault} on ${a.op}`);
    }

    disarm(): void {
        this.armed = [];
    }

    snapshot(): S {
        return structuredClone(this.state);
    }

    restore(s: S): void {
        this.state = structuredClone(s);
    }

    protected effect(op: string, target: string, change: string): void {
        this.effects.push({ op, target, change });
    }

    async start(): Promise<void> {
        const server = http.createServer((req, res) => this.serve(req, res));
        server.requestTimeout = 30_000;
        server.headersTimeout = 10_000;
        server.keepAliveTimeout = 1_000;
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => resolve());
        });
        server.unref();
        this.server = server;
        this.port = (server.address() as AddressInfo).port;
        this.hardTimer = setTimeout(() => void this.close(), HARD_TIMEOUT_MS);
        this.hardTimer.unref();
    }

    async close(): Promise<void> {
        clearTimeout(this.hardTimer);
        const server = this.server;
        this.server = undefined;
        if (!server) return;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) req.destroy();
            else chunks.push(c);
        });
        req.on("end", () => this.answer(req, res, Buffer.concat(chunks).toString("utf8")));
    }

    private answer(raw: http.IncomingMessage, res: http.ServerResponse, text: string): void {
        const url = new URL(raw.url ?? "/", "http://fake");
        const method = raw.method ?? "GET";
        const query: Record<string, string> = {};
        url.searchParams.forEach((v, k) => (query[k] = v));
        let op = `${method} ${url.pathname}`;
        let status: number;
        let body: unknown;
        let fault: Fault | undefined;
        let parsed: unknown;
        try {
            if (this.token && raw.headers.authorization !== `Bearer ${this.token}`) throw new Violation("missing or wrong bearer token", 401);
            parsed = this.parseRequestBody(text, method, url.pathname);
            const req: Req = {
                method,
                path: url.pathname,
                segments: url.pathname.split("/").filter(Boolean).map(decodeURIComponent),
                query: url.searchParams,
                contentType: (raw.headers["content-type"] ?? "").split(";")[0].trim(),
                body: parsed,
                headers: raw.headers,
            };
            const route = this.route(req);
            op = route.op;
            const i = this.armed.findIndex((a) => a.op === op);
            if (i >= 0 && this.armed[i].skip > 0) {
                this.armed[i].skip--;
            } else if (i >= 0) {
                fault = this.armed[i].fault;
                this.armed.splice(i, 1);
            }
            if (fault === "500") throw new ApiError(500, "Internal error (injected by the test).", "InternalError");
            if (fault === "412" && !this.makeStale(op, req)) throw new Error(`fake: can't make ${op} stale`);
            body = route.handle();
            status = route.status ?? 200;
        } catch (caught) {
            // A bug in the fake itself fails the test as a violation rather than crash the worker.
            const e = caught instanceof ApiError ? caught : new Violation(`fake error: ${caught instanceof Error ? caught.stack : String(caught)}`, 500);
            if (e instanceof Violation) this.violations.push(`${method} ${raw.url}: ${e.message}`);
            status = e.status;
            body = this.errorBody(e);
        }
        this.calls.push({ seq: this.calls.length, op, method, path: url.pathname, query, body: parsed, status, fault });
        if (fault === "timeout") {
            setTimeout(() => raw.socket.destroy(), STALL_MS).unref();
            return;
        }
        if (body instanceof Media) {
            res.writeHead(status, { ...body.headers, "content-type": body.contentType, "content-length": String(body.data.length) });
            res.end(body.data);
            return;
        }
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
    }
}

function parseBody(text: string, method: string): unknown {
    if (text.trim() === "") return undefined;
    if (method === "GET") throw new Violation("GET with a body");
    try {
        return JSON.parse(text);
    } catch {
        throw new Violation(`body is not JSON: ${text.slice(0, 80)}`);
    }
}

/** Refuses any field of `obj` outside `allowed`: a misspelt or unexpected field is a violation. */
export function strictFields(obj: unknown, allowed: readonly string[], where: string): Record<string, any> {
    if (obj === undefined) return {};
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new Violation(`${where}: expected an object`);
    const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
    if (unknown.length) throw new Violation(`${where}: unknown field(s) ${unknown.join(", ")}`);
    return obj as Record<string, any>;
}

/** Refuses any query parameter outside `allowed`. */
export function strictQuery(q: URLSearchParams, allowed: readonly string[], where: string): void {
    for (const k of q.keys()) {
        if (!allowed.includes(k)) throw new Violation(`${where}: unknown query parameter ${k}`);
    }
}
