import { createHash } from "crypto";
import { crc32c } from "./crc32c";
import { ApiError } from "./http";

/** The Cloud Storage fake's state (storage.ts): plain data, so a snapshot restores into any instance of it. */

export interface StoredObject {
    bucket: string;
    name: string;
    generation: string;
    contentType: string;
    data: string;
    timeCreated: string;
    retentionExpirationTime?: string;
}

export interface Bucket {
    resource: Record<string, any>;
    metageneration: number;
}

export interface StorageState {
    projectNumber: string;
    /** Projects whose buckets these are: another project's name is a 409 "not available". */
    buckets: Record<string, Bucket & { project: string }>;
    /** `bucket/name` → live object (no versioning: a retention policy excludes it). */
    objects: Record<string, StoredObject>;
    counter: number;
    /** Added to the wall clock: lets a test move past a retention period. */
    clockOffsetMs: number;
}

export const emptyStorage = (): StorageState => ({ projectNumber: "123456789", buckets: {}, objects: {}, counter: 1, clockOffsetMs: 0 });

/** An object's resource, as objects.get / objects.insert answer it. */
export function renderObject(o: StoredObject, base: string): unknown {
    const path = `b/${o.bucket}/o/${encodeURIComponent(o.name)}`;
    return {
        kind: "storage#object",
        id: `${o.bucket}/${o.name}/${o.generation}`,
        selfLink: `${base}/storage/v1/${path}`,
        mediaLink: `${base}/download/storage/v1/${path}?generation=${o.generation}&alt=media`,
        name: o.name,
        bucket: o.bucket,
        generation: o.generation,
        metageneration: "1",
        contentType: o.contentType,
        storageClass: "STANDARD",
        size: String(Buffer.byteLength(o.data)),
        md5Hash: createHash("md5").update(o.data).digest("base64"),
        crc32c: crc32c(Buffer.from(o.data)),
        timeCreated: o.timeCreated,
        updated: o.timeCreated,
        ...(o.retentionExpirationTime ? { retentionExpirationTime: o.retentionExpirationTime } : {}),
    };
}

/**
 * "Retention policies and Object Versioning are mutually exclusive"
 * (https://cloud.google.com/storage/docs/bucket-lock#overview).
 */
export function checkVersioning(b: Record<string, any>): void {
    if (b.retentionPolicy && b.versioning?.enabled) {
        throw new ApiError(400, "Retention policies and Object Versioning are mutually exclusive.", "invalid");
    }
}

export function notFound(message: string): never {
    throw new ApiError(404, message, "notFound");
}

/** One `uploadType=multipart` request body, taken apart. */
export interface MultipartUpload {
    metadata: Record<string, any>;
    /** The media part's Content-Type header. */
    contentType: string;
    data: string;
}

/**
 * A multipart upload's body: "a multipart/related request: the first part is the object's
 * metadata in JSON, the second part is the object's data"
 * (https://cloud.google.com/storage/docs/json_api/v1/how-tos/multipart-upload). The boundary is
 * read from the body's first line (the fake sees the Content-Type without its parameters); the
 * line break before each delimiter belongs to the delimiter (RFC 2046 §5.1.1). Bodies are text
 * here (the fake reads them as UTF-8): what the evidence scripts upload is.
 */
export function parseMultipartRelated(text: string): MultipartUpload {
    const first = /^--([^\r\n]+)\r?\n/.exec(text);
    if (!first) throw new ApiError(400, "Multipart upload: the body does not start with a boundary.", "invalid");
    const parts = text.split(`--${first[1]}`).slice(1, -1);
    if (parts.length !== 2) throw new ApiError(400, `Multipart upload: expected 2 parts (metadata, media), got ${parts.length}.`, "invalid");
    const [meta, media] = parts.map((p) => {
        const body = p.replace(/^\r?\n/, "").replace(/\r?\n$/, "");
        const sep = /\r?\n\r?\n/.exec(body);
        const head = sep ? body.slice(0, sep.index) : body;
        const headers = Object.fromEntries(head.split(/\r?\n/).filter(Boolean).map((l) => [l.split(":")[0].trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
        return { headers, content: sep ? body.slice(sep.index + sep[0].length) : "" };
    });
    let metadata: Record<string, any>;
    try {
        metadata = JSON.parse(meta.content);
    } catch {
        throw new ApiError(400, "Multipart upload: the metadata part is not JSON.", "invalid");
    }
    return { metadata, contentType: media.headers["content-type"] ?? "application/octet-stream", data: media.content };
}
