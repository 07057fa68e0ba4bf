import { matches } from "../../tools/loggingQuery/evaluate";
import { ApiError, FakeApi, Violation, strictFields, strictQuery, type Req, type Route } from "./http";

/**
 * The Google APIs the stolen-credential steps call, for gcloud, behind one server with a path
 * prefix per API (`CLOUDSDK_API_ENDPOINT_OVERRIDES_IAM=<base>/iam/`, `…_CLOUDRESOURCEMANAGER=<base>/crm/`,
 * `…_LOGGING=<base>/logging/`):
 * - IAM v1 (https://cloud.google.com/iam/docs/reference/rest): serviceAccounts get / disable /
 *   enable / getIamPolicy / setIamPolicy, keys list / disable / enable / delete;
 * - Resource Manager v1 projects getIamPolicy;
 * - Logging v2 entries.list, its filter evaluated by tools/loggingQuery.
 * It refuses what the APIs refuse, each with its documentation: a stale etag on setIamPolicy
 * (409 ABORTED), disabling or deleting a system-managed key (400), an unknown account or key (404).
 */

export interface Key {
    readonly id: string;
    readonly type: "USER_MANAGED" | "SYSTEM_MANAGED";
    disabled?: boolean;
}

export interface Binding {
    role: string;
    members: string[];
    condition?: { title: string; expression: string };
}

export interface ServiceAccount {
    readonly email: string;
    disabled?: boolean;
    keys: Key[];
    policy: { version: number; etag: string; bindings: Binding[] };
}

export interface GoogleIamState {
    project: string;
    accounts: Record<string, ServiceAccount>;
    projectPolicy: { version: number; etag: string; bindings: Binding[] };
    /** LogEntry objects (https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry). */
    entries: Record<string, unknown>[];
    counter: number;
}

export function emptyIam(project: string): GoogleIamState {
    return { project, accounts: {}, projectPolicy: { version: 1, etag: "BwAAAAAAAAA=", bindings: [] }, entries: [], counter: 1 };
}

export class GoogleIamFake extends FakeApi<GoogleIamState> {
    endpoints(): Record<string, string> {
        return {
            CLOUDSDK_API_ENDPOINT_OVERRIDES_IAM: `${this.base}/iam/`,
            CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER: `${this.base}/crm/`,
            CLOUDSDK_API_ENDPOINT_OVERRIDES_LOGGING: `${this.base}/logging/`,
        };
    }

    addAccount(email: string, a: Partial<Omit<ServiceAccount, "email">> = {}): ServiceAccount {
        const sa: ServiceAccount = { email, keys: [], policy: { version: 1, etag: this.etag(), bindings: [] }, ...structuredClone(a) };
        this.state.accounts[email] = sa;
        return sa;
    }

    account(email: string): ServiceAccount | undefined {
        return this.state.accounts[email];
    }

    protected errorBody(e: ApiError): unknown {
        return { error: { code: e.status, message: e.message, status: e.reason } };
    }

    protected makeStale(op: string, req: Req): boolean {
        if (op !== "serviceAccounts.setIamPolicy") return false;
        const sa = this.state.accounts[req.segments[5]];
        if (sa) sa.policy.etag = this.etag();
        return true;
    }

    private etag(): string {
        return Buffer.from(`etag-${this.state.counter++}`).toString("base64");
    }

    protected route(req: Req): Route {
        const [api, version, ...rest] = req.segments;
        if (api === "iam" && version === "v1") return this.iam(req, rest);
        if (api === "crm" && version === "v1" && rest.length === 2 && rest[0] === "projects" && req.method === "POST") {
            const [project, verb] = rest[1].split(":");
            if (verb !== "getIamPolicy") throw new Violation(`crm: ${rest[1]} is not faked`, 404);
            strictFields(req.body, ["options"], "getIamPolicy");
            return { op: "projects.getIamPolicy", handle: () => (project === this.state.project ? this.state.projectPolicy : denied(`projects/${project}`)) };
        }
        if (api === "logging" && version === "v2" && rest.join("/") === "entries:list" && req.method === "POST") return this.listEntries(req);
        throw new Violation(`unknown path ${req.method} ${req.path}`, 404);
    }

    private iam(req: Req, rest: string[]): Route {
        // projects/{project}/serviceAccounts/{email}[:verb] and …/keys[/{id}[:verb]]
        if (rest[0] !== "projects" || rest[2] !== "serviceAccounts" || rest.length < 4) throw new Violation(`unknown IAM path ${req.path}`, 404);
        const [email, verb] = rest[3].split(":");
        const sa = (): ServiceAccount => this.state.accounts[email] ?? notFound(`Service account projects/${rest[1]}/serviceAccounts/${email} does not exist.`);
        if (rest.length === 4) {
            if (req.method === "GET" && verb === undefined) {
                strictQuery(req.query, ["alt"], "serviceAccounts.get");
                return { op: "serviceAccounts.get", handle: () => render(sa(), this.state.project) };
            }
            if (req.method !== "POST") throw new Violation(`${req.method} ${req.path}`, 405);
            switch (verb) {
                case "disable":
                case "enable":
                    strictFields(req.body, [], verb);
                    return { op: `serviceAccounts.${verb}`, handle: () => this.setDisabled(sa(), verb === "disable") };
                case "getIamPolicy":
                    strictFields(req.body, ["options"], "getIamPolicy");
                    return { op: "serviceAccounts.getIamPolicy", handle: () => structuredClone(sa().policy) };
                case "setIamPolicy":
                    return { op: "serviceAccounts.setIamPolicy", handle: () => this.setPolicy(sa(), req.body) };
            }
            throw new Violation(`serviceAccounts:${verb} is not faked`, 404);
        }
        if (rest[4] !== "keys") throw new Violation(`unknown IAM path ${req.path}`, 404);
        if (rest.length === 5 && req.method === "GET") {
            strictQuery(req.query, ["alt", "keyTypes"], "keys.list");
            const types = req.query.getAll("keyTypes");
            return {
                op: "keys.list",
                handle: () => ({ keys: sa().keys.filter((k) => types.length === 0 || types.includes(k.type)).map((k) => renderKey(rest[1], email, k)) }),
            };
        }
        if (rest.length !== 6) throw new Violation(`unknown IAM path ${req.path}`, 404);
        const [id, keyVerb] = rest[5].split(":");
        const key = (): Key => sa().keys.find((k) => k.id === id) ?? notFound(`Service account key ${id} does not exist.`);
        if (req.method === "DELETE" && keyVerb === undefined) {
            return { op: "keys.delete", handle: () => this.deleteKey(sa(), key()) };
        }
        if (req.method === "POST" && (keyVerb === "disable" || keyVerb === "enable")) {
            strictFields(req.body, [], `keys.${keyVerb}`);
            return { op: `keys.${keyVerb}`, handle: () => this.setKeyDisabled(email, key(), keyVerb === "disable") };
        }
        throw new Violation(`${req.method} ${req.path} is not faked`, 405);
    }

    private setDisabled(sa: ServiceAccount, disabled: boolean): unknown {
        if (Boolean(sa.disabled) !== disabled) this.effect(`serviceAccounts.${disabled ? "disable" : "enable"}`, sa.email, disabled ? "disabled" : "enabled");
        sa.disabled = disabled || undefined;
        return {};
    }

    /**
     * Read-modify-write with the etag the caller read: a policy changed since is refused with 409
     * ABORTED (https://cloud.google.com/iam/docs/policies#etag).
     */
    private setPolicy(sa: ServiceAccount, body: unknown): unknown {
        const b = strictFields(body, ["policy", "updateMask"], "setIamPolicy");
        const p = strictFields(b.policy, ["version", "etag", "bindings", "auditConfigs"], "setIamPolicy policy");
        if (p.etag !== undefined && p.etag !== sa.policy.etag) throw new ApiError(409, "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.", "ABORTED");
        const bindings: Binding[] = (p.bindings ?? []).map((x: unknown) => {
            const bb = strictFields(x, ["role", "members", "condition"], "binding");
            if (!Array.isArray(bb.members) || bb.members.length === 0) throw new ApiError(400, "A binding must have at least one member.", "INVALID_ARGUMENT");
            return structuredClone(bb) as Binding;
        });
        this.effect("serviceAccounts.setIamPolicy", sa.email, JSON.stringify(bindings));
        sa.policy = { version: p.version ?? 1, etag: this.etag(), bindings };
        return structuredClone(sa.policy);
    }

    /** System-managed keys are Google's: they can't be disabled or deleted (https://cloud.google.com/iam/docs/service-account-creds#google-managed-keys). */
    private setKeyDisabled(email: string, key: Key, disabled: boolean): unknown {
        if (key.type === "SYSTEM_MANAGED") throw new ApiError(400, "System-managed keys can't be disabled or enabled.", "FAILED_PRECONDITION");
        if (Boolean(key.disabled) !== disabled) this.effect(`keys.${disabled ? "disable" : "enable"}`, `${email}/${key.id}`, disabled ? "disabled" : "enabled");
        key.disabled = disabled || undefined;
        return {};
    }

    private deleteKey(sa: ServiceAccount, key: Key): unknown {
        if (key.type === "SYSTEM_MANAGED") throw new ApiError(400, "System-managed keys can't be deleted.", "FAILED_PRECONDITION");
        sa.keys = sa.keys.filter((k) => k !== key);
        this.effect("keys.delete", `${sa.email}/${key.id}`, "deleted");
        return {};
    }

    /** entries.list (https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list). */
    private listEntries(req: Req): Route {
        const b = strictFields(req.body, ["resourceNames", "filter", "orderBy", "pageSize", "pageToken"], "entries.list");
        if (JSON.stringify(b.resourceNames) !== JSON.stringify([`projects/${this.state.project}`])) throw new Violation(`entries.list of ${JSON.stringify(b.resourceNames)}`);
        if (b.orderBy !== undefined && !["timestamp asc", "timestamp desc"].includes(b.orderBy)) throw new Violation(`orderBy ${b.orderBy}`);
        return {
            op: "entries.list",
            handle: () => {
                const hits = this.state.entries.filter((e) => (b.filter ? matches(b.filter, e) : true));
                const sorted = [...hits].sort((x, y) => String(x.timestamp).localeCompare(String(y.timestamp)));
                if (b.orderBy === "timestamp desc") sorted.reverse();
                return { entries: sorted.slice(0, b.pageSize ?? 1000) };
            },
        };
    }
}

function render(sa: ServiceAccount, project: string): unknown {
    const [id] = sa.email.split("@");
    return { name: `projects/${project}/serviceAccounts/${sa.email}`, projectId: project, uniqueId: `1${id.length}0000000000000000`, email: sa.email, etag: "MDEwMjE5MjA=", ...(sa.disabled ? { disabled: true } : {}) };
}

function renderKey(project: string, email: string, k: Key): unknown {
    return {
        name: `projects/${project}/serviceAccounts/${email}/keys/${k.id}`,
        validAfterTime: "2026-01-01T00:00:00Z",
        validBeforeTime: "9999-12-31T23:59:59Z",
        keyAlgorithm: "KEY_ALG_RSA_2048",
        keyOrigin: "GOOGLE_PROVIDED",
        keyType: k.type,
        ...(k.disabled ? { disabled: true } : {}),
    };
}

function notFound(message: string): never {
    throw new ApiError(404, message, "NOT_FOUND");
}

function denied(what: string): never {
    throw new ApiError(403, `The caller does not have permission on ${what}`, "PERMISSION_DENIED");
}
