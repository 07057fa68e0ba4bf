/**
 * STAND-IN gcp provider (see ../README.md): `gcp:storage/bucket:Bucket`,
 * `gcp:storage/bucketObject:BucketObject` and `gcp:storage/getBucket:getBucket`, after the
 * Terraform google provider's google_storage_bucket and google_storage_bucket_object (and the
 * bucket data source) that pulumi-gcp 9.37.0 bridges. The evidence bucket's inputs are implemented;
 * check refuses the others.
 */
import { call, defaultProject, doing, endpoint, getOrGone, storageRoot } from "./client";
import { ATTRIBUTION, defined, labelOutputs, reveal, type Bag, type ResourceType } from "./values";

const b = (path: string): string => `${endpoint("storage")}b${path}`;
const enc = encodeURIComponent;

const BUCKET_SUPPORTED = ["name", "project", "location", "labels", "uniformBucketLevelAccess", "publicAccessPrevention", "retentionPolicy", "versioning",
    "forceDestroy", "deletionPolicy", "storageClass"];
const BUCKET_ALL = [...BUCKET_SUPPORTED, "autoclass", "cors", "customPlacementConfig", "defaultEventBasedHold", "enableObjectRetention", "encryption",
    "hierarchicalNamespace", "ipFilter", "lifecycleRules", "logging", "requesterPays", "rpo", "softDeletePolicy", "website"];

function bucketBody(i: Bag): Bag {
    const iam = defined({
        uniformBucketLevelAccess: i.uniformBucketLevelAccess !== undefined ? { enabled: i.uniformBucketLevelAccess } : undefined,
        publicAccessPrevention: i.publicAccessPrevention,
    });
    return defined({
        name: i.name,
        location: i.location,
        storageClass: i.storageClass,
        labels: { ...(i.labels ?? {}), ...ATTRIBUTION },
        iamConfiguration: Object.keys(iam).length ? iam : undefined,
        retentionPolicy: i.retentionPolicy ? { retentionPeriod: String(i.retentionPolicy.retentionPeriod) } : undefined,
        versioning: i.versioning ? { enabled: i.versioning.enabled } : undefined,
    });
}

function bucketOutputs(state: Bag, api: Bag, project: string): Bag {
    const rp = api.retentionPolicy;
    return defined({
        ...state,
        project,
        location: api.location,
        storageClass: api.storageClass,
        url: `gs://${api.name}`,
        selfLink: api.selfLink,
        projectNumber: Number(api.projectNumber),
        timeCreated: api.timeCreated,
        updated: api.updated,
        uniformBucketLevelAccess: api.iamConfiguration?.uniformBucketLevelAccess?.enabled ?? false,
        publicAccessPrevention: api.iamConfiguration?.publicAccessPrevention ?? "inherited",
        retentionPolicy: rp ? { retentionPeriod: String(rp.retentionPeriod), isLocked: rp.isLocked ?? false } : undefined,
        ...labelOutputs(state.labels),
    });
}

async function lockIfAsked(i: Bag, api: Bag): Promise<Bag> {
    if (!i.retentionPolicy?.isLocked || api.retentionPolicy?.isLocked) return api;
    return call("POST", b(`/${enc(i.name)}/lockRetentionPolicy?ifMetagenerationMatch=${api.metageneration}`));
}

export const bucket: ResourceType = {
    inputs: BUCKET_ALL,
    required: ["location", "name"],
    forceNew: ["name", "location", "project", "customPlacementConfig", "enableObjectRetention"],
    computed: ["project", "storageClass", "publicAccessPrevention", "uniformBucketLevelAccess", "rpo", "softDeletePolicy"],
    defaults: { forceDestroy: false, deletionPolicy: "DELETE" },
    validate: (i) => BUCKET_ALL.filter((k) => !BUCKET_SUPPORTED.includes(k) && i[k] !== undefined).map((k) => ({ property: k, reason: `${k} is not implemented by the gcp stand-in` })),
    async create(inputs) {
        const i = reveal(inputs);
        const project = i.project ?? defaultProject();
        return doing(`Error creating bucket ${i.name}`, async () => {
            const api = await lockIfAsked(i, await call("POST", b(`?project=${enc(project)}`), bucketBody(i)));
            return { id: i.name, outs: bucketOutputs(inputs, api, project) };
        });
    },
    async read(id, state) {
        const api = await getOrGone(b(`/${enc(id)}`));
        return api && bucketOutputs(state, api, reveal(state.project));
    },
    async update(id, olds, news) {
        const [o, n] = [reveal(olds), reveal(news)];
        return doing(`Error updating bucket ${id}`, async () => {
            const body = bucketBody(n);
            delete body.name;
            delete body.location;
            if (o.retentionPolicy && !n.retentionPolicy) body.retentionPolicy = null;
            const api = await lockIfAsked(n, await call("PATCH", b(`/${enc(id)}`), body));
            return bucketOutputs(news, api, o.project);
        });
    },
    async delete(id, state) {
        await doing(`Error deleting bucket ${id}`, async () => {
            const objects: Bag[] = (await call("GET", b(`/${enc(id)}/o`))).items ?? [];
            // The real provider refuses before calling the API, with this wording.
            if (objects.length && !reveal(state.forceDestroy)) throw new Error(`Error trying to delete bucket ${id} containing objects without \`force_destroy\` set to true`);
            for (const o of objects) await call("DELETE", b(`/${enc(id)}/o/${enc(o.name)}`));
            await call("DELETE", b(`/${enc(id)}`));
        });
    },
};

const OBJECT_SUPPORTED = ["bucket", "name", "content", "contentType", "deletionPolicy"];
const OBJECT_ALL = [...OBJECT_SUPPORTED, "cacheControl", "contentDisposition", "contentEncoding", "contentLanguage", "contexts", "customerEncryption",
    "detectMd5hash", "eventBasedHold", "forceEmptyContentType", "kmsKeyName", "metadata", "retention", "source", "sourceMd5hash", "storageClass", "temporaryHold"];

function objectOutputs(state: Bag, api: Bag): Bag {
    return defined({
        ...state,
        outputName: api.name,
        contentType: api.contentType,
        generation: Number(api.generation),
        md5hash: api.md5Hash,
        md5hexhash: Buffer.from(api.md5Hash ?? "", "base64").toString("hex"),
        crc32c: api.crc32c,
        mediaLink: api.mediaLink,
        selfLink: api.selfLink,
        storageClass: api.storageClass,
    });
}

export const bucketObject: ResourceType = {
    inputs: OBJECT_ALL,
    required: ["bucket", "name"],
    // Every content or metadata input is ForceNew in google_storage_bucket_object.
    forceNew: OBJECT_ALL.filter((k) => !["deletionPolicy", "eventBasedHold", "temporaryHold", "retention"].includes(k)),
    computed: ["contentType", "storageClass", "detectMd5hash"],
    defaults: { deletionPolicy: "DELETE" },
    validate: (i) => [
        ...OBJECT_ALL.filter((k) => !OBJECT_SUPPORTED.includes(k) && i[k] !== undefined).map((k) => ({ property: k, reason: `${k} is not implemented by the gcp stand-in` })),
    ],
    async create(inputs) {
        const i = reveal(inputs);
        // Not a check failure: under --continue-on-error an unknown `content` (it depends on a failed
        // resource) reaches check as no key at all, and a check failure is fatal to the whole update.
        if (i.content === undefined) throw new Error("the gcp stand-in needs content (source is not implemented)");
        return doing(`Error uploading object ${i.name}`, async () => {
            const url = `${storageRoot()}upload/storage/v1/b/${enc(i.bucket)}/o?uploadType=media&name=${enc(i.name)}`;
            const api = await call("POST", url, undefined, { raw: String(i.content), contentType: i.contentType ?? "text/plain; charset=utf-8" });
            return { id: `${i.bucket}-${i.name}`, outs: objectOutputs(inputs, api) };
        });
    },
    async read(_id, state) {
        const s = reveal(state);
        const api = await getOrGone(b(`/${enc(s.bucket)}/o/${enc(s.name)}`));
        return api && objectOutputs(state, api);
    },
    // Only deletionPolicy can change in place, and it is state only.
    async update(_id, olds, news) {
        return { ...olds, deletionPolicy: news.deletionPolicy };
    },
    async delete(_id, state) {
        const s = reveal(state);
        await doing(`Error deleting object ${s.name}`, () => call("DELETE", b(`/${enc(s.bucket)}/o/${enc(s.name)}`)));
    },
};

export async function getBucket(args: Bag): Promise<Bag> {
    const name = reveal(args.name);
    const api = await doing(`Error reading Storage Bucket ${name}`, () => call("GET", b(`/${enc(name)}`)));
    const rp = api.retentionPolicy;
    return defined({
        id: api.name,
        name: api.name,
        location: api.location,
        storageClass: api.storageClass,
        selfLink: api.selfLink,
        url: `gs://${api.name}`,
        projectNumber: Number(api.projectNumber),
        labels: api.labels ?? {},
        retentionPolicies: rp ? [{ retentionPeriod: String(rp.retentionPeriod), isLocked: rp.isLocked ?? false }] : [],
        versionings: api.versioning ? [{ enabled: api.versioning.enabled }] : [],
        uniformBucketLevelAccess: api.iamConfiguration?.uniformBucketLevelAccess?.enabled ?? false,
        timeCreated: api.timeCreated,
        updated: api.updated,
    });
}
