import { ApiError, Violation } from "./http";

/**
 * A Secret's patch as the API server takes it, for `kubectl patch secret --type=merge`: only
 * `data` (and `metadata.resourceVersion` as its precondition) are faked.
 * - A resourceVersion in the patch that is not the object's is a 409 Conflict: the patched object
 *   goes through the update path's optimistic concurrency check
 *   (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions).
 * - Keys are `[-._a-zA-Z0-9]+`, ≤ 253 characters, values base64; a `kubernetes.io/dockerconfigjson`
 *   Secret's `.dockerconfigjson` must be JSON
 *   (https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data,
 *   https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets); 422 otherwise.
 */
export function patchSecret(obj: any, contentType: string, body: any): void {
    if (!["application/merge-patch+json", "application/strategic-merge-patch+json"].includes(contentType)) throw new Violation(`secret patch content type ${contentType}`, 415);
    const { metadata, data, ...rest } = body ?? {};
    if (Object.keys(rest).length > 0) throw new Violation(`secret patch touches ${Object.keys(rest).join(", ")}, which the fake does not allow`, 422);
    const { resourceVersion, ...otherMeta } = metadata ?? {};
    if (Object.keys(otherMeta).length > 0) throw new Violation(`secret patch touches metadata.${Object.keys(otherMeta).join(", metadata.")}`, 422);
    if (resourceVersion !== undefined && resourceVersion !== obj.metadata.resourceVersion) {
        throw new ApiError(409, `Operation cannot be fulfilled on secrets "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`, "Conflict");
    }
    for (const [k, v] of Object.entries(data ?? {})) {
        if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) throw new ApiError(422, `Secret "${obj.metadata.name}" is invalid: data[${k}]: Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`, "Invalid");
        if (v === null) continue;
        if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) throw new ApiError(400, `Secret in version "v1" cannot be handled as a Secret: illegal base64 data`, "BadRequest");
    }
    const next = { ...(obj.data ?? {}) };
    for (const [k, v] of Object.entries(data ?? {})) {
        if (v === null) delete next[k];
        else next[k] = v;
    }
    if (obj.type === "kubernetes.io/dockerconfigjson") {
        try {
            JSON.parse(Buffer.from(next[".dockerconfigjson"] ?? "", "base64").toString("utf8"));
        } catch {
            throw new ApiError(422, `Secret "${obj.metadata.name}" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character`, "Invalid");
        }
    }
    obj.data = next;
}
