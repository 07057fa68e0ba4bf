import { ApiError, Violation, strictFields } from "./http";

/**
 * The Kubernetes fake's RBAC side, for the stolen-credential steps: JSON patches of a binding's
 * `subjects`, the SelfSubjectRulesReview that `kubectl auth can-i --list` creates (as the user it
 * impersonates), and creating a ServiceAccount.
 */

type Lookup = (resource: string) => any[];

/**
 * RFC 6902 on `/subjects` only (https://datatracker.ietf.org/doc/html/rfc6902): `test`, `remove`,
 * `add` (`/subjects/-` appends; `/subjects` sets the list when it is absent). The ops apply all or
 * none: a failed `test` or a path that does not exist refuses the whole patch, with 422 as the API
 * server answers a patch that can't be applied.
 */
export function jsonPatchSubjects(obj: any, ops: unknown): void {
    if (!Array.isArray(ops)) throw new Violation("a JSON patch must be a list of operations");
    const subjects: any[] | undefined = obj.subjects === undefined ? undefined : structuredClone(obj.subjects);
    let list = subjects;
    for (const raw of ops) {
        const op = strictFields(raw, ["op", "path", "value"], "JSON patch operation");
        const m = /^\/subjects(?:\/(-|\d+)(?:\/(kind|name|namespace|apiGroup))?)?$/.exec(String(op.path));
        if (!m) throw new Violation(`JSON patch path ${op.path}: the fake patches /subjects only`, 422);
        const [, index, field] = m;
        const at = index === undefined || index === "-" ? undefined : Number(index);
        const unprocessable = (why: string) => new ApiError(422, `the server rejected our request due to an error in our request: ${why}`, "Invalid");
        if (op.op === "test") {
            const actual = at === undefined ? list : field ? list?.[at]?.[field] : list?.[at];
            if (JSON.stringify(actual) !== JSON.stringify(op.value)) throw unprocessable(`testing value ${op.path} failed: test failed`);
        } else if (op.op === "remove") {
            if (field || at === undefined || !list || at >= list.length) throw unprocessable(`remove operation does not apply: doc is missing path: "${op.path}"`);
            list.splice(at, 1);
        } else if (op.op === "add") {
            if (field) throw new Violation(`JSON patch add of a subject's field`, 422);
            if (index === undefined) {
                if (!Array.isArray(op.value)) throw new Violation("add /subjects needs a list", 422);
                list = structuredClone(op.value);
            } else {
                if (!list) throw unprocessable(`add operation does not apply: doc is missing path: "${op.path}"`);
                checkSubject(op.value);
                if (at === undefined) list.push(structuredClone(op.value));
                else list.splice(at, 0, structuredClone(op.value));
            }
        } else {
            throw new Violation(`JSON patch op ${op.op} is not faked`, 422);
        }
    }
    for (const s of list ?? []) checkSubject(s);
    // The API server omits an empty list (`subjects` is omitempty).
    if (list && list.length > 0) obj.subjects = list;
    else delete obj.subjects;
}

/** A subject as RBAC validates it (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects). */
function checkSubject(s: any): void {
    const x = strictFields(s, ["kind", "name", "namespace", "apiGroup"], "subject");
    const invalid = (why: string) => new ApiError(422, `subjects: Invalid value: ${why}`, "Invalid");
    if (x.kind === "ServiceAccount") {
        if (!x.namespace) throw invalid("a ServiceAccount subject needs a namespace");
        if (x.apiGroup) throw invalid('a ServiceAccount subject has apiGroup ""');
    } else if (x.kind === "User" || x.kind === "Group") {
        if (x.apiGroup !== "rbac.authorization.k8s.io") throw invalid(`a ${x.kind} subject needs apiGroup rbac.authorization.k8s.io`);
    } else {
        throw invalid(`kind ${x.kind}`);
    }
    if (!x.name) throw invalid("a subject needs a name");
}

/**
 * Who a request acts as. With `Impersonate-User` and no `Impersonate-Group`, the API server adds
 * a service account's groups, and every authenticated user's
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation).
 */
export function impersonated(headers: Record<string, unknown>): { user: string; groups: string[] } | undefined {
    const user = headers["impersonate-user"];
    if (typeof user !== "string") return undefined;
    if (headers["impersonate-group"] !== undefined) throw new Violation("Impersonate-Group is not faked");
    const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(user);
    return { user, groups: [...(sa ? ["system:serviceaccounts", `system:serviceaccounts:${sa[1]}`] : []), "system:authenticated"] };
}

/**
 * kubectl sends built-in types it creates (a SelfSubjectRulesReview, a ServiceAccount) as protobuf
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding): the `k8s\0`
 * magic, then a runtime.Unknown with the type (field 1: apiVersion 1, kind 2) and the object
 * (field 2). This reads the few fields the fake needs and no more. The body reaches the fake as
 * UTF-8 text: a byte above 0x7f would arrive mangled, so it is refused rather than misread.
 */
export function protobufObject(text: string): { apiVersion: string; kind: string; object: Map<number, Buffer> } {
    if (!text.startsWith("k8s\0")) throw new Violation("a protobuf body without the k8s magic");
    if ([...text].some((c) => c.charCodeAt(0) > 0x7f)) throw new Violation("a protobuf body with bytes the fake can't read from text");
    const unknown = fields(Buffer.from(text.slice(4), "latin1"));
    const type = fields(unknown.get(1) ?? Buffer.alloc(0));
    return { apiVersion: type.get(1)?.toString("latin1") ?? "", kind: type.get(2)?.toString("latin1") ?? "", object: fields(unknown.get(2) ?? Buffer.alloc(0)) };
}

/** A SelfSubjectRulesReview's spec (field 2) namespace (field 1). */
function rulesReviewFromProtobuf(text: string): { spec: { namespace?: string } } {
    const { kind, object } = protobufObject(text);
    if (kind !== "SelfSubjectRulesReview") throw new Violation(`a ${kind} posted as a SelfSubjectRulesReview`);
    const ns = fields(object.get(2) ?? Buffer.alloc(0)).get(1);
    return { spec: ns ? { namespace: ns.toString("latin1") } : {} };
}

/** An object's metadata (field 1) name (1) and namespace (3), in the JSON shape. */
function metadataFromProtobuf(text: string): { kind: string; apiVersion: string; metadata: { name?: string; namespace?: string } } {
    const { apiVersion, kind, object } = protobufObject(text);
    const meta = fields(object.get(1) ?? Buffer.alloc(0));
    const str = (n: number) => meta.get(n)?.toString("latin1");
    return { apiVersion, kind, metadata: { ...(str(1) ? { name: str(1) } : {}), ...(str(3) ? { namespace: str(3) } : {}) } };
}

/** The length-delimited fields of a protobuf message by number (other wire types are skipped). */
function fields(b: Buffer): Map<number, Buffer> {
    const out = new Map<number, Buffer>();
    let i = 0;
    const varint = () => {
        let v = 0;
        for (let shift = 0; ; shift += 7) {
            const byte = b[i++];
            v += (byte & 0x7f) * 2 ** shift;
            if (byte < 0x80) return v;
        }
    };
    while (i < b.length) {
        const tag = varint();
        const wire = tag & 7;
        if (wire === 2) {
            const len = varint();
            out.set(tag >> 3, b.subarray(i, i + len));
            i += len;
        } else if (wire === 0) varint();
        else throw new Violation(`protobuf wire type ${wire} is not faked`);
    }
    return out;
}

/** The SelfSubjectRulesReview answer: the rules of every binding that grants to the user or its groups in the namespace. */
export function rulesReview(list: Lookup, who: { user: string; groups: string[] } | undefined, body: unknown): unknown {
    if (!who) throw new Violation("a rules review without Impersonate-User: the fake has no identity of its own");
    const b = typeof body === "string" ? rulesReviewFromProtobuf(body) : strictFields(body, ["kind", "apiVersion", "metadata", "spec", "status"], "SelfSubjectRulesReview");
    const spec = strictFields(b.spec, ["namespace"], "SelfSubjectRulesReview spec");
    const ns: string = spec.namespace ?? "";
    const grants = (s: any) =>
        (s.kind === "ServiceAccount" && who.user === `system:serviceaccount:${s.namespace}:${s.name}`) || (s.kind === "User" && s.name === who.user) || (s.kind === "Group" && who.groups.includes(s.name));
    const role = (ref: any, bindingNs: string) =>
        ref.kind === "ClusterRole" ? list("clusterroles").find((r) => r.metadata.name === ref.name) : list("roles").find((r) => r.metadata.namespace === bindingNs && r.metadata.name === ref.name);
    const bindings = [...list("clusterrolebindings"), ...list("rolebindings").filter((rb) => rb.metadata.namespace === ns)];
    const rules = bindings.filter((x) => (x.subjects ?? []).some(grants)).flatMap((x) => role(x.roleRef, x.metadata.namespace)?.rules ?? []);
    return {
        kind: "SelfSubjectRulesReview",
        apiVersion: "authorization.k8s.io/v1",
        metadata: {},
        spec: { namespace: ns },
        status: {
            resourceRules: rules.filter((r: any) => r.resources).map((r: any) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) })),
            nonResourceRules: rules.filter((r: any) => r.nonResourceURLs).map((r: any) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
            incomplete: false,
        },
    };
}

/** The ServiceAccount `kubectl create serviceaccount` posts; 409 AlreadyExists if the name is taken. */
export function newServiceAccount(body: unknown, ns: string, exists: (name: string) => boolean, rv: number): any {
    const b = typeof body === "string" ? metadataFromProtobuf(body) : strictFields(body, ["kind", "apiVersion", "metadata"], "ServiceAccount");
    const meta = strictFields(b.metadata, ["name", "namespace", "creationTimestamp"], "ServiceAccount metadata");
    if (b.kind !== "ServiceAccount" || b.apiVersion !== "v1") throw new Violation(`create ${b.apiVersion} ${b.kind} as a ServiceAccount`);
    if (meta.namespace !== undefined && meta.namespace !== ns) throw new ApiError(400, "the namespace of the provided object does not match the namespace sent on the request", "BadRequest");
    if (exists(meta.name)) throw new ApiError(409, `serviceaccounts "${meta.name}" already exists`, "AlreadyExists");
    // A new object gets a new uid: what makes the tokens of the old account invalid.
    return { metadata: { name: meta.name, namespace: ns, uid: `uid-serviceaccounts-${ns}-${meta.name}-${rv}` } };
}
