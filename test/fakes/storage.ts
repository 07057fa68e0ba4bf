import { ApiError, FakeApi, Media, Violation, strictFields, strictQuery, type Req, type Route } from "./http";
import { checkVersioning, notFound, parseMultipartRelated, renderObject, type Bucket, type StorageState, type StoredObject } from "./storageState";

export { emptyStorage, type StorageState, type StoredObject } from "./storageState";

/**
 * A Cloud Storage JSON API fake (https://cloud.google.com/storage/docs/json_api/v1), for the
 * stand-in gcp provider (test/e2e/standIns/gcp) and anything else that takes a base URL:
 * buckets insert / get / patch / delete / lockRetentionPolicy, objects media upload / get / list /
 * delete, media download (`alt=media`). It enforces what the evidence bucket relies on, each with its documentation: unique
 * bucket names (409), no Object Versioning beside a retention policy, no overwrite or delete of an
 * object under retention (403), the `ifGenerationMatch=0` no-clobber precondition (412), no
 * delete of a bucket that is not empty (409).
 */


const BUCKET_FIELDS = ["kind", "name", "location", "storageClass", "labels", "iamConfiguration", "retentionPolicy", "versioning", "lifecycle", "cors",
    "logging", "website", "encryption", "billing", "autoclass", "softDeletePolicy", "defaultEventBasedHold", "rpo", "hierarchicalNamespace", "customPlacementConfig"];
const BUCKET_QUERY = ["alt", "prettyPrint", "projection", "userProject", "predefinedAcl", "predefinedDefaultObjectAcl", "ifMetagenerationMatch"];

export class StorageFake extends FakeApi<StorageState> {
    now(): Date {
        return new Date(Date.now() + this.state.clockOffsetMs);
    }

    object(bucket: string, name: string): StoredObject | undefined {
        return this.state.objects[`${bucket}/${name}`];
    }

    protected errorBody(e: ApiError): unknown {
        return { error: { code: e.status, message: e.message, errors: [{ message: e.message, domain: "global", reason: e.reason }] } };
    }

    protected makeStale(): boolean {
        return false;
    }

    /** A media upload's body is the object's bytes, not JSON. */
    protected parseRequestBody(text: string, method: string, path: string): unknown {
        return path.startsWith("/upload/") ? text : super.parseRequestBody(text, method, path);
    }

    protected route(req: Req): Route {
        const s = req.segments;
        if (s[0] === "upload" && s[1] === "storage" && s[2] === "v1" && s[3] === "b" && s[5] === "o" && s.length === 6 && req.method === "POST") {
            return this.upload(req, s[4]);
        }
        // An object's mediaLink (renderObject) is the download path, what `gcloud storage cat` fetches.
        if (s[0] === "download" && s[1] === "storage" && s[2] === "v1" && s[3] === "b" && s[5] === "o" && s.length === 7 && req.method === "GET") {
            return this.download(req, s[4], s[6]);
        }
        if (s[0] !== "storage" || s[1] !== "v1" || s[2] !== "b") throw new Violation(`unknown path ${req.method} ${req.path}`, 404);
        if (s.length === 3 && req.method === "POST") return this.insertBucket(req);
        const name = s[3];
        if (s.length === 4) return this.bucketRoute(req, name);
        if (s.length === 5 && s[4] === "lockRetentionPolicy" && req.method === "POST") return this.lock(req, name);
        if (s[4] === "o" && s.length === 5 && req.method === "GET") {
            strictQuery(req.query, ["alt", "prefix", "maxResults", "pageToken", "delimiter", "projection", "versions", "fields", "userProject"], "objects.list");
            return {
                op: "objects.list",
                handle: () => {
                    this.bucket(name);
                    const prefix = req.query.get("prefix") ?? "";
                    const items = Object.values(this.state.objects).filter((o) => o.bucket === name && o.name.startsWith(prefix));
                    return { kind: "storage#objects", items: items.map((o) => renderObject(o, this.base)) };
                },
            };
        }
        if (s[4] === "o" && s.length === 6) return this.objectRoute(req, name, s[5]);
        throw new Violation(`unknown path ${req.method} ${req.path}`, 404);
    }

    private bucket(name: string): Bucket & { project: string } {
        return this.state.buckets[name] ?? notFound("The specified bucket does not exist.");
    }

    private renderBucket(b: Bucket): unknown {
        return { ...b.resource, metageneration: String(b.metageneration) };
    }

    private insertBucket(req: Req): Route {
        strictQuery(req.query, ["project", "enableObjectRetention", ...BUCKET_QUERY], "buckets.insert");
        return {
            op: "buckets.insert",
            handle: () => {
                const project = req.query.get("project");
                if (!project) throw new ApiError(400, "Required parameter: project", "required");
                const b = strictFields(req.body, BUCKET_FIELDS, "buckets.insert body");
                const name = String(b.name ?? "");
                // https://cloud.google.com/storage/docs/buckets#naming: 3-63 characters of lowercase
                // letters, digits, dashes, underscores and dots, starting and ending with a letter or digit.
                if (!/^[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]$/.test(name) || name.startsWith("goog")) throw new ApiError(400, "Invalid bucket name: '" + name + "'", "invalid");
                const taken = this.state.buckets[name];
                // Bucket names are globally unique (same page): 409 either way, worded by who owns it.
                if (taken && taken.project === project) throw new ApiError(409, "Your previous request to create the named bucket succeeded and you already own it.", "conflict");
                if (taken) throw new ApiError(409, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", "conflict");
                checkVersioning(b);
                const now = this.now().toISOString();
                const resource = {
                    kind: "storage#bucket",
                    id: name,
                    selfLink: `${this.base}/storage/v1/b/${name}`,
                    projectNumber: this.state.projectNumber,
                    timeCreated: now,
                    updated: now,
                    storageClass: "STANDARD",
                    etag: "CAE=",
                    ...b,
                    name,
                    // The API upper-cases locations ("US-CENTRAL1"), as the bucket resource shows.
                    location: String(b.location ?? "US").toUpperCase(),
                    locationType: String(b.location ?? "US").includes("-") ? "region" : "multi-region",
                    ...(b.retentionPolicy ? { retentionPolicy: { retentionPeriod: String(b.retentionPolicy.retentionPeriod), effectiveTime: now, isLocked: false } } : {}),
                };
                this.state.buckets[name] = { resource, metageneration: 1, project };
                this.effect("buckets.insert", name, "created");
                return this.renderBucket(this.state.buckets[name]);
            },
        };
    }

    private bucketRoute(req: Req, name: string): Route {
        strictQuery(req.query, BUCKET_QUERY, `buckets ${req.method}`);
        if (req.method === "GET") return { op: "buckets.get", handle: () => this.renderBucket(this.bucket(name)) };
        if (req.method === "DELETE") {
            return {
                op: "buckets.delete",
                handle: () => {
                    this.bucket(name);
                    // "The bucket you tried to delete is not empty" (buckets.delete: a bucket must be empty).
                    if (Object.values(this.state.objects).some((o) => o.bucket === name)) throw new ApiError(409, "The bucket you tried to delete is not empty.", "conflict");
                    delete this.state.buckets[name];
                    this.effect("buckets.delete", name, "deleted");
                    return {};
                },
            };
        }
        if (req.method === "PATCH") {
            return {
                op: "buckets.patch",
                handle: () => {
                    const b = this.bucket(name);
                    const patch = strictFields(req.body, BUCKET_FIELDS.filter((f) => !["name", "location"].includes(f)), "buckets.patch body");
                    const old = b.resource.retentionPolicy;
                    // A locked retention policy can't be removed or shortened
                    // (https://cloud.google.com/storage/docs/bucket-lock#policy-locks).
                    if (old?.isLocked && "retentionPolicy" in patch && (patch.retentionPolicy === null || Number(patch.retentionPolicy.retentionPeriod) < Number(old.retentionPeriod))) {
                        throw new ApiError(403, "Cannot reduce retention period or remove retention policy of a locked bucket.", "forbidden");
                    }
                    const next: Record<string, any> = { ...b.resource, ...patch, updated: this.now().toISOString() };
                    if (patch.retentionPolicy === null) delete next.retentionPolicy;
                    else if (patch.retentionPolicy) next.retentionPolicy = { retentionPeriod: String(patch.retentionPolicy.retentionPeriod), effectiveTime: this.now().toISOString(), isLocked: old?.isLocked ?? false };
                    checkVersioning(next);
                    b.resource = next;
                    b.metageneration++;
                    this.effect("buckets.patch", name, Object.keys(patch).join(","));
                    return this.renderBucket(b);
                },
            };
        }
        throw new Violation(`unknown buckets call ${req.method}`, 404);
    }

    private lock(req: Req, name: string): Route {
        strictQuery(req.query, ["ifMetagenerationMatch", "alt", "userProject"], "buckets.lockRetentionPolicy");
        return {
            op: "buckets.lockRetentionPolicy",
            handle: () => {
                const b = this.bucket(name);
                // ifMetagenerationMatch is required: the lock applies to the policy the caller saw.
                if (req.query.get("ifMetagenerationMatch") !== String(b.metageneration)) throw new ApiError(412, "Precondition Failed", "conditionNotMet");
                if (!b.resource.retentionPolicy) throw new ApiError(400, "Bucket does not have a retention policy to lock.", "invalid");
                b.resource.retentionPolicy.isLocked = true;
                b.metageneration++;
                this.effect("buckets.lockRetentionPolicy", name, "locked");
                return this.renderBucket(b);
            },
        };
    }

    private upload(req: Req, bucket: string): Route {
        strictQuery(req.query, ["uploadType", "name", "ifGenerationMatch", "contentEncoding", "predefinedAcl", "kmsKeyName", "projection", "alt", "userProject"], "objects.insert");
        const uploadType = req.query.get("uploadType");
        // multipart is what `gcloud storage cp` sends for a small file; resumable is not faked.
        if (uploadType !== "media" && uploadType !== "multipart") throw new Violation(`objects.insert: uploadType=${uploadType} is not faked (only media and multipart)`);
        return {
            op: "objects.insert",
            handle: () => {
                const b = this.bucket(bucket);
                const part = uploadType === "multipart" ? this.multipart(req) : undefined;
                if (part?.metadata.bucket !== undefined && part.metadata.bucket !== bucket) throw new ApiError(400, `Multipart upload: metadata bucket ${part.metadata.bucket} is not ${bucket}.`, "invalid");
                const name = part ? part.metadata.name : req.query.get("name");
                if (!name) throw new ApiError(400, "Required parameter: name", "required");
                const old = this.object(bucket, name);
                this.precondition(req, old);
                this.retained(old, "overwritten");
                const now = this.now();
                const period = b.resource.retentionPolicy?.retentionPeriod;
                const o: StoredObject = {
                    bucket,
                    name,
                    generation: String(Date.now() * 1000 + this.state.counter++),
                    contentType: part ? (part.metadata.contentType ?? part.contentType) : req.contentType || "application/octet-stream",
                    data: part ? part.data : String(req.body ?? ""),
                    timeCreated: now.toISOString(),
                    ...(period ? { retentionExpirationTime: new Date(now.getTime() + Number(period) * 1000).toISOString() } : {}),
                };
                this.state.objects[`${bucket}/${name}`] = o;
                this.effect("objects.insert", `${bucket}/${name}`, old ? "overwritten" : "created");
                return renderObject(o, this.base);
            },
        };
    }

    /**
     * A multipart upload's metadata and data (storageState.ts): the object's name comes from the
     * metadata part, and its content type from the metadata's `contentType`, else from the media
     * part's Content-Type (https://cloud.google.com/storage/docs/json_api/v1/how-tos/multipart-upload;
     * the fake's reading of it, not checked against the service).
     */
    private multipart(req: Req): ReturnType<typeof parseMultipartRelated> {
        if (req.contentType !== "multipart/related") throw new ApiError(400, `Multipart upload needs Content-Type multipart/related, not ${req.contentType || "none"}.`, "invalid");
        const part = parseMultipartRelated(String(req.body ?? ""));
        strictFields(part.metadata, ["bucket", "name", "contentType", "md5Hash", "crc32c", "metadata", "contentEncoding", "contentDisposition", "cacheControl"], "multipart upload metadata");
        return part;
    }

    private objectRoute(req: Req, bucket: string, name: string): Route {
        const get = () => (this.bucket(bucket), this.object(bucket, name) ?? notFound(`No such object: ${bucket}/${name}`));
        if (req.method === "GET") {
            strictQuery(req.query, ["alt", "projection", "generation", "ifGenerationMatch", "userProject", "fields"], "objects.get");
            if (req.query.get("alt") === "media") return this.download(req, bucket, name);
            return { op: "objects.get", handle: () => renderObject(get(), this.base) };
        }
        if (req.method === "DELETE") {
            strictQuery(req.query, ["alt", "generation", "ifGenerationMatch", "userProject"], "objects.delete");
            return {
                op: "objects.delete",
                handle: () => {
                    const o = get();
                    this.precondition(req, o);
                    this.retained(o, "deleted");
                    delete this.state.objects[`${bucket}/${name}`];
                    this.effect("objects.delete", `${bucket}/${name}`, "deleted");
                    return {};
                },
            };
        }
        throw new Violation(`unknown objects call ${req.method}`, 404);
    }

    /**
     * objects.get with `alt=media`: the object's bytes, with the `x-goog-hash` header the service
     * sends (crc32c and md5, https://cloud.google.com/storage/docs/xml-api/reference-headers#xgooghash).
     * A `generation` that is not the live one is 404, as for a deleted version without versioning.
     */
    private download(req: Req, bucket: string, name: string): Route {
        strictQuery(req.query, ["alt", "generation", "ifGenerationMatch", "userProject"], "objects.get alt=media");
        if (req.query.get("alt") !== "media") throw new Violation("download path without alt=media");
        return {
            op: "objects.get media",
            handle: () => {
                this.bucket(bucket);
                const o = this.object(bucket, name);
                const generation = req.query.get("generation");
                if (!o || (generation !== null && generation !== o.generation)) notFound(`No such object: ${bucket}/${name}`);
                this.precondition(req, o);
                const data = Buffer.from(o.data);
                const meta = renderObject(o, this.base) as { md5Hash: string; crc32c: string };
                return new Media(o.contentType, data, { "x-goog-hash": `crc32c=${meta.crc32c},md5=${meta.md5Hash}`, "x-goog-generation": o.generation });
            },
        };
    }

    /** `ifGenerationMatch`: 0 means "only if there is no live object" (https://cloud.google.com/storage/docs/request-preconditions). */
    private precondition(req: Req, o: StoredObject | undefined): void {
        const want = req.query.get("ifGenerationMatch");
        if (want === null) return;
        if ((want === "0" && o) || (want !== "0" && o?.generation !== want)) {
            throw new ApiError(412, "At least one of the pre-conditions you specified did not hold.", "conditionNotMet");
        }
    }

    /**
     * "Objects in the bucket can only be deleted or replaced once their age is greater than the
     * retention period" (https://cloud.google.com/storage/docs/bucket-lock#retention-policy).
     */
    private retained(o: StoredObject | undefined, what: string): void {
        if (o?.retentionExpirationTime && this.now().toISOString() < o.retentionExpirationTime) {
            throw new ApiError(403, `Object '${o.bucket}/${o.name}' is subject to bucket's retention policy or object retention and cannot be ${what} until '${o.retentionExpirationTime}'`, "retentionPolicyNotMet");
        }
    }
}
