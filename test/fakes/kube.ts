import { ApiError, FakeApi, Violation, strictFields, strictQuery, type Req, type Route } from "./http";
import { RESOURCES, checkPatch, gvOf, mergePatch, prune, type ResDef } from "./kubeResources";
import { servedByCrds } from "./kubeCrds";
import { impersonated, jsonPatchSubjects, newServiceAccount, rulesReview } from "./kubeRbac";
import { patchSecret } from "./kubeSecrets";
import { fieldFilter, matchesSelector, parseLabelSelector, matchesLabels } from "./selectors";

/**
 * A Kubernetes API fake for kubectl, reached through a kubeconfig whose server is
 * `http://127.0.0.1:PORT`. It serves (legacy) discovery, then only what the quarantine's commands
 * use: nodes get/list/patch; pods get/list/patch/delete with label and field selectors and the
 * eviction subresource (a PodDisruptionBudget with no disruption left answers 429 naming itself in
 * the details, as the API server does); namespaces get/list (kubectl reads one to explain a
 * NotFound); deployments, replicasets, statefulsets, daemonsets, jobs
 * and cronjobs get/list/patch/delete and the scale subresource; nodes delete; events, network
 * policies and disruption budgets read-only; secrets get/list and a patch of their data
 * (kubeSecrets.ts). Patches may touch only labels, annotations, `spec.unschedulable` (nodes),
 * `spec.suspend` (jobs), `spec.replicas` (scale) and a workload's pod template annotations
 * (`kubectl rollout restart`).
 */

export interface KubeState {
    /** `resource/namespace/name` (namespace empty for nodes) → object as the API server returns it. */
    objects: Record<string, any>;
    rv: number;
}

export const keyOf = (resource: string, namespace: string, name: string) => `${resource}/${namespace}/${name}`;

export class KubeFake extends FakeApi<KubeState> {
    get(resource: string, namespace: string, name: string): any {
        return this.state.objects[keyOf(resource, namespace, name)];
    }

    /** Adds or replaces an object directly (seeding and provider emulation; not an API call). */
    put(resource: string, obj: any): void {
        const d = this.defs()[resource];
        if (!d) throw new Error(`fake: no resource ${resource} (a custom resource needs its CRD first: kubeCrds.ts)`);
        const m = obj.metadata;
        m.uid ??= `uid-${resource}-${m.namespace ?? ""}-${m.name}`;
        m.resourceVersion = String(++this.state.rv);
        prune(obj);
        this.state.objects[keyOf(resource, d.namespaced ? m.namespace : "", m.name)] = { apiVersion: gvOf(d), kind: d.kind, ...obj };
    }

    remove(resource: string, namespace: string, name: string): void {
        delete this.state.objects[keyOf(resource, namespace, name)];
    }

    list(resource: string): any[] {
        return Object.entries(this.state.objects)
            .filter(([k]) => k.startsWith(`${resource}/`))
            .map(([, o]) => o);
    }

    protected errorBody(e: ApiError): unknown {
        const reason = e instanceof Violation ? (e.status === 404 ? "NotFound" : e.status === 405 ? "MethodNotAllowed" : "BadRequest") : e.reason;
        return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: e.message, reason, code: e.status, ...e.extra };
    }

    /** kubectl sends some built-in types as protobuf: kept as text for the route that reads them (kubeRbac.ts). */
    protected parseRequestBody(text: string, method: string, path: string): unknown {
        return text.startsWith("k8s\0") && /\/(selfsubjectrulesreviews|serviceaccounts)$/.test(path) ? text : super.parseRequestBody(text, method, path);
    }

    protected makeStale(): boolean {
        return false; // kubectl label/annotate/drain send no resourceVersion precondition.
    }

    protected route(req: Req): Route {
        const s = req.segments;
        const discovery = (body: unknown): Route => {
            strictQuery(req.query, ["timeout"], "discovery");
            if (req.method !== "GET") throw new Violation(`${req.method} on discovery`, 405);
            return { op: "discovery", handle: () => body };
        };
        if (s.length === 1 && s[0] === "version") {
            return discovery({ major: "1", minor: "32", gitVersion: "v1.32.4-gke.1", platform: "linux/amd64" });
        }
        if (s[0] === "openapi") {
            // kubectl tolerates a server without OpenAPI (it skips client-side validation).
            return { op: "openapi", handle: () => notFound("the server could not find the requested resource") };
        }
        if (s.length === 1 && s[0] === "api") return discovery({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
        if (s.length === 1 && s[0] === "apis") return discovery(this.groups());
        if (s[0] === "api" && s[1] === "v1") return s.length === 2 ? discovery(this.resources("")) : this.objectRoute(req, "", s.slice(2));
        if (s[0] === "apis" && s.length >= 3 && this.groupNames().includes(s[1]) && s[2] === this.versionOf(s[1])) {
            return s.length === 3 ? discovery(this.resources(s[1])) : this.objectRoute(req, s[1], s.slice(3));
        }
        throw new Violation(`unknown path ${req.path}`, 404);
    }

    /** The built-in resources, and those of every CustomResourceDefinition in the state. */
    private defs(): Record<string, ResDef> {
        return { ...servedByCrds(this.list("customresourcedefinitions")), ...RESOURCES };
    }

    private groupNames(): string[] {
        return [...new Set(Object.values(this.defs()).map((d) => d.group))].filter((g) => g !== "");
    }

    private versionOf(group: string): string {
        return Object.values(this.defs()).find((d) => d.group === group)?.version ?? "v1";
    }

    private groups(): unknown {
        return {
            kind: "APIGroupList",
            apiVersion: "v1",
            groups: this.groupNames().map((name) => {
                const v = { groupVersion: `${name}/${this.versionOf(name)}`, version: this.versionOf(name) };
                return { name, versions: [v], preferredVersion: v };
            }),
        };
    }

    private resources(group: string): unknown {
        const list: unknown[] = [];
        for (const [name, d] of Object.entries(this.defs()).filter(([, d]) => d.group === group)) {
            list.push({ name, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs, shortNames: d.short });
            for (const [sub, x] of Object.entries(d.sub ?? {})) {
                list.push({ name: `${name}/${sub}`, singularName: "", namespaced: d.namespaced, group: x.group, version: x.version, kind: x.kind, verbs: x.verbs });
            }
        }
        return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${this.versionOf(group)}` : "v1", resources: list };
    }

    private objectRoute(req: Req, group: string, rest: string[]): Route {
        let ns = "";
        if (rest[0] === "namespaces" && rest.length >= 3) {
            ns = rest[1];
            rest = rest.slice(2);
        }
        const [resource, name, sub, ...extra] = rest;
        const d = this.defs()[resource];
        if (!d || d.group !== group || extra.length) throw new Violation(`unknown resource path ${req.path}`, 404);
        if (ns && !d.namespaced) throw new Violation(`${resource} is not namespaced`, 404);
        const verb = name === undefined ? (req.method === "GET" ? "list" : req.method) : sub ? `${sub}.${req.method}` : req.method;
        const allowed = (v: string) => {
            if (!d.verbs.includes(v)) throw new Violation(`${v} ${resource} is not supported`, 405);
        };
        switch (verb) {
            case "list":
                allowed("list");
                strictQuery(req.query, ["labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "timeout"], `list ${resource}`);
                return { op: `${resource}.list`, handle: () => this.listObjects(req, resource, d, ns) };
            case "GET":
                allowed("get");
                strictQuery(req.query, ["timeout"], `get ${resource}`);
                return { op: `${resource}.get`, handle: () => this.mustGet(resource, d, ns, name) };
            case "PATCH":
                allowed("patch");
                strictQuery(req.query, ["fieldManager", "fieldValidation"], `patch ${resource}`);
                return { op: `${resource}.patch`, handle: () => this.patch(req, resource, this.mustGet(resource, d, ns, name), d.patchable ?? []) };
            case "POST":
                allowed("create");
                strictQuery(req.query, ["fieldManager", "fieldValidation", "dryRun"], `create ${resource}`);
                return { op: `${resource}.create`, status: 201, handle: () => this.create(req, resource, ns) };
            case "DELETE":
                allowed("delete");
                strictQuery(req.query, ["gracePeriodSeconds", "propagationPolicy"], `delete ${resource}`);
                return { op: `${resource}.delete`, handle: () => this.deleteObject(req, resource, this.mustGet(resource, d, ns, name)) };
            case "eviction.POST":
                if (resource !== "pods") break;
                strictQuery(req.query, [], "eviction");
                return { op: "pods.eviction", status: 201, handle: () => this.evict(req, ns, name) };
            case "scale.GET":
            case "scale.PATCH":
            case "scale.PUT":
                if (!d.sub?.scale) break;
                strictQuery(req.query, verb === "scale.GET" ? [] : ["fieldManager", "fieldValidation"], "scale");
                return { op: `${resource}.scale.${req.method.toLowerCase()}`, handle: () => this.scale(req, resource, this.mustGet(resource, d, ns, name)) };
        }
        throw new Violation(`${req.method} ${req.path} is not supported`, 405);
    }

    private mustGet(resource: string, d: ResDef, ns: string, name: string): any {
        const o = this.state.objects[keyOf(resource, ns, name)];
        if (!o) notFound(`${resource}${d.group ? `.${d.group}` : ""} "${name}" not found`, { name, kind: resource });
        return o;
    }

    private listObjects(req: Req, resource: string, d: ResDef, ns: string): unknown {
        const labels = parseLabelSelector(req.query.get("labelSelector") ?? "");
        const fields = fieldFilter(resource, req.query.get("fieldSelector") ?? "");
        const items = this.list(resource).filter((o) => (!ns || o.metadata.namespace === ns) && matchesLabels(labels, o.metadata.labels) && fields(o));
        return { kind: `${d.kind}List`, apiVersion: gvOf(d), metadata: { resourceVersion: String(this.state.rv) }, items };
    }

    private changed(resource: string, obj: any, change: string, mutate: () => void): any {
        const before = JSON.stringify(obj);
        mutate();
        prune(obj);
        if (JSON.stringify(obj) !== before) {
            obj.metadata.resourceVersion = String(++this.state.rv);
            this.effect(`${resource}.${change.split(" ")[0]}`, `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`, change);
        }
        return obj;
    }

    private patch(req: Req, resource: string, obj: any, patchable: string[]): any {
        if (req.contentType === "application/json-patch+json" && (resource === "rolebindings" || resource === "clusterrolebindings")) {
            return this.changed(resource, obj, `patch subjects ${JSON.stringify(req.body)}`, () => jsonPatchSubjects(obj, req.body));
        }
        if (resource === "secrets") return this.changed(resource, obj, `patch data of ${Object.keys(req.body?.data ?? {}).join(",")}`, () => patchSecret(obj, req.contentType, req.body));
        if (!["application/merge-patch+json", "application/strategic-merge-patch+json"].includes(req.contentType)) {
            throw new Violation(`patch content type ${req.contentType} is not supported`, 415);
        }
        checkPatch(req.body, patchable, "");
        return this.changed(resource, obj, `patch ${JSON.stringify(req.body)}`, () => mergePatch(obj, req.body));
    }

    private create(req: Req, resource: string, ns: string): any {
        if (resource === "selfsubjectrulesreviews") return rulesReview((r) => this.list(r), impersonated(req.headers ?? {}), req.body);
        if (resource !== "serviceaccounts") throw new Violation(`create ${resource} is not faked`, 405);
        const sa = newServiceAccount(req.body, ns, (n) => this.get(resource, ns, n) !== undefined, this.state.rv);
        this.put(resource, sa);
        this.effect(`${resource}.create`, `${ns}/${sa.metadata.name}`, "created");
        return this.get(resource, ns, sa.metadata.name);
    }

    private deleteObject(req: Req, resource: string, obj: any): any {
        const b = strictFields(req.body, ["kind", "apiVersion", "gracePeriodSeconds", "propagationPolicy", "preconditions"], "DeleteOptions");
        const policy = b.propagationPolicy ?? req.query.get("propagationPolicy") ?? "Background";
        if (!["Background", "Foreground", "Orphan"].includes(policy)) throw new Violation(`propagationPolicy ${policy}`);
        this.cascade(resource, obj, policy !== "Orphan");
        return obj;
    }

    private cascade(resource: string, obj: any, dependents: boolean): void {
        const m = obj.metadata;
        this.remove(resource, m.namespace ?? "", m.name);
        this.effect(`${resource}.delete`, `${m.namespace ?? ""}/${m.name}`, "deleted");
        if (!dependents) return;
        for (const r of Object.keys(this.defs())) {
            for (const o of this.list(r)) {
                if ((o.metadata.ownerReferences ?? []).some((ref: any) => ref.uid === m.uid)) this.cascade(r, o, true);
            }
        }
    }

    private evict(req: Req, ns: string, name: string): unknown {
        const b = strictFields(req.body, ["apiVersion", "kind", "metadata", "deleteOptions"], "Eviction");
        const meta = strictFields(b.metadata, ["name", "namespace", "creationTimestamp"], "Eviction metadata");
        if (b.apiVersion !== "policy/v1" || b.kind !== "Eviction") throw new Violation(`eviction as ${b.apiVersion} ${b.kind}`);
        if (meta.name !== name) throw new ApiError(400, "name in URL does not match name in Eviction object", "BadRequest");
        strictFields(b.deleteOptions, ["kind", "apiVersion", "gracePeriodSeconds", "propagationPolicy", "preconditions"], "Eviction deleteOptions");
        const pod = this.mustGet("pods", RESOURCES.pods, ns, name);
        const pdbs = this.list("poddisruptionbudgets").filter((p) => p.metadata.namespace === ns && matchesSelector(p.spec?.selector, pod.metadata.labels));
        if (pdbs.length > 1) throw new ApiError(500, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", "InternalError");
        const pdb = pdbs[0];
        if (pdb && !(pdb.status?.disruptionsAllowed > 0)) {
            throw new ApiError(429, "Cannot evict pod as it would violate the pod's disruption budget.", "TooManyRequests", {
                details: {
                    causes: [
                        {
                            reason: "DisruptionBudget",
                            message: `The disruption budget ${pdb.metadata.name} needs ${pdb.status?.desiredHealthy ?? 1} healthy pods and has ${pdb.status?.currentHealthy ?? 1} currently`,
                        },
                    ],
                },
            });
        }
        if (pdb) this.changed("poddisruptionbudgets", pdb, "status disruption used", () => (pdb.status.disruptionsAllowed -= 1));
        this.remove("pods", ns, name);
        this.effect("pods.eviction", `${ns}/${name}`, "evicted");
        return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
    }

    private scale(req: Req, resource: string, obj: any): unknown {
        if (req.method === "PATCH") {
            if (req.contentType !== "application/merge-patch+json" && req.contentType !== "application/strategic-merge-patch+json") {
                throw new Violation(`scale patch content type ${req.contentType}`, 415);
            }
            checkPatch(req.body, ["spec.replicas"], "");
        }
        if (req.method === "PUT") {
            const b = strictFields(req.body, ["kind", "apiVersion", "metadata", "spec", "status"], "Scale");
            strictFields(b.spec, ["replicas"], "Scale spec");
        }
        const replicas = req.method === "GET" ? undefined : req.body?.spec?.replicas;
        if (replicas !== undefined) {
            if (!Number.isInteger(replicas) || replicas < 0) throw new ApiError(422, `spec.replicas: Invalid value: ${replicas}`, "Invalid");
            this.changed(resource, obj, `scale replicas=${replicas}`, () => (obj.spec.replicas = replicas));
        }
        const m = obj.metadata;
        return {
            kind: "Scale",
            apiVersion: "autoscaling/v1",
            metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion },
            spec: { replicas: obj.spec.replicas },
            status: { replicas: obj.spec.replicas, selector: "" },
        };
    }
}

function notFound(message: string, details: Record<string, string> = {}): never {
    throw new ApiError(404, message, "NotFound", { details });
}
