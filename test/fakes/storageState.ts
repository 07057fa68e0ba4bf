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
