/**
 * STAND-IN gcp provider (see ../README.md): `gcp:compute/instance:Instance` (the bastion) and the
 * `gcp:compute/getInstance:getInstance` function, after the Terraform google provider's
 * google_compute_instance resource and data source that pulumi-gcp 9.37.0 bridges. Only the
 * inputs the bastion sets are implemented; check refuses the others.
 */
import { call, defaultProject, doing, getOrGone, lastSegment, waitOperation } from "./client";
import { networkRef, url } from "./compute";
import { ATTRIBUTION, defined, labelOutputs, reveal, type Bag, type ResourceType } from "./values";

const SUPPORTED = ["name", "project", "zone", "machineType", "tags", "labels", "bootDisk", "networkInterfaces", "shieldedInstanceConfig", "metadata",
    "deletionProtection", "description", "deletionPolicy", "allowStoppingForUpdate"];
const ALL = [...SUPPORTED, "advancedMachineFeatures", "attachedDisks", "canIpForward", "confidentialInstanceConfig", "desiredStatus", "enableDisplay",
    "eraseWindowsVssSignature", "guestAccelerators", "hostname", "instanceEncryptionKey", "keyRevocationActionType", "metadataStartupScript",
    "minCpuPlatform", "networkPerformanceConfig", "params", "partnerMetadata", "reservationAffinity", "resourcePolicies", "scheduling", "scratchDisks",
    "serviceAccount", "workloadIdentityConfig"];

/** `project/family` or `family/NAME` forms the provider resolves (resolveImage): a family link for `project/family`. */
function imageRef(image: string): string {
    if (image.startsWith("projects/") || image.startsWith("https://")) return image;
    const [project, family] = image.split("/");
    if (!family) throw new Error(`gcp stand-in: image ${image}: only the project/family form and links are implemented`);
    return `projects/${project}/global/images/family/${family}`;
}

function instanceBody(i: Bag, project: string, zone: string): Bag {
    const init = i.bootDisk?.initializeParams ?? {};
    return defined({
        name: i.name,
        description: i.description,
        machineType: `zones/${zone}/machineTypes/${i.machineType}`,
        tags: i.tags ? { items: i.tags } : undefined,
        labels: { ...(i.labels ?? {}), ...ATTRIBUTION },
        disks: [defined({ boot: true, autoDelete: i.bootDisk?.autoDelete ?? true, initializeParams: defined({ sourceImage: init.image && imageRef(init.image), diskSizeGb: init.size, diskType: init.type }) })],
        networkInterfaces: (i.networkInterfaces ?? []).map((n: Bag) =>
            defined({ network: n.network && networkRef(n.network, project), subnetwork: n.subnetwork, accessConfigs: n.accessConfigs?.map((a: Bag) => defined({ name: "external-nat", type: "ONE_TO_ONE_NAT", natIP: a.natIp, networkTier: a.networkTier })) }),
        ),
        shieldedInstanceConfig: i.shieldedInstanceConfig,
        metadata: i.metadata ? { items: Object.entries(i.metadata).map(([key, value]) => ({ key, value })) } : undefined,
        deletionProtection: i.deletionProtection,
    });
}

function instanceOutputs(state: Bag, api: Bag): Bag {
    const [project, zone] = [api.selfLink.split("/projects/")[1].split("/")[0], lastSegment(api.zone)];
    const boot = api.disks?.find((d: Bag) => d.boot);
    return defined({
        ...state,
        project,
        zone,
        instanceId: api.id,
        selfLink: api.selfLink,
        creationTimestamp: api.creationTimestamp,
        currentStatus: api.status,
        machineType: lastSegment(api.machineType ?? state.machineType ?? ""),
        tags: api.tags?.items ?? [],
        tagsFingerprint: api.tags?.fingerprint,
        metadataFingerprint: api.metadata?.fingerprint,
        deletionProtection: api.deletionProtection,
        bootDisk: { ...(state.bootDisk ?? {}), source: boot?.source, deviceName: boot?.deviceName },
        networkInterfaces: api.networkInterfaces.map((n: Bag, k: number) => ({
            ...(state.networkInterfaces?.[k] ?? {}),
            name: n.name,
            networkIp: n.networkIP,
            accessConfigs: (n.accessConfigs ?? []).map((a: Bag) => ({ natIp: a.natIP, networkTier: a.networkTier })),
        })),
        ...labelOutputs(state.labels),
    });
}

export const instance: ResourceType = {
    inputs: ALL,
    required: ["bootDisk", "machineType", "networkInterfaces", "zone"],
    forceNew: ["name", "project", "zone", "bootDisk", "networkInterfaces", "description"],
    computed: ["project", "name"],
    partial: ["bootDisk", "networkInterfaces"],
    defaults: { deletionPolicy: "DELETE" },
    validate: (i) => ALL.filter((k) => !SUPPORTED.includes(k) && i[k] !== undefined).map((k) => ({ property: k, reason: `${k} is not implemented by the gcp stand-in` })),
    async create(inputs) {
        const i = reveal(inputs);
        const project = i.project ?? defaultProject();
        const id = `projects/${project}/zones/${i.zone}/instances/${i.name}`;
        return doing("Error creating instance", async () => {
            await waitOperation(await call("POST", url(`projects/${project}/zones/${i.zone}/instances`), instanceBody(i, project, i.zone)), "Error waiting for instance to create");
            return { id, outs: instanceOutputs(inputs, await call("GET", url(id))) };
        });
    },
    async read(id, state) {
        const api = await getOrGone(url(id));
        return api && instanceOutputs(state, api);
    },
    // In place: tags (setTags, with the current fingerprint) and deletionProtection. The others the
    // real provider updates (labels, metadata, machine type with allowStoppingForUpdate) are refused.
    async update(id, olds, news) {
        const [o, n] = [reveal(olds), reveal(news)];
        const refused = ["labels", "metadata", "machineType", "shieldedInstanceConfig"].filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]));
        if (refused.length) throw new Error(`gcp stand-in: updating ${refused.join(", ")} of an instance is not implemented`);
        return doing("Error updating instance", async () => {
            if (JSON.stringify(o.tags ?? []) !== JSON.stringify(n.tags ?? [])) {
                const current = await call("GET", url(id));
                await waitOperation(await call("POST", url(`${id}/setTags`), { items: n.tags ?? [], fingerprint: current.tags?.fingerprint }), "Error updating tags");
            }
            if ((o.deletionProtection ?? false) !== (n.deletionProtection ?? false)) {
                await waitOperation(await call("POST", url(`${id}/setDeletionProtection?deletionProtection=${n.deletionProtection ?? false}`)), "Error updating deletion protection");
            }
            return instanceOutputs(news, await call("GET", url(id)));
        });
    },
    async delete(id) {
        await doing("Error deleting instance", async () => waitOperation(await call("DELETE", url(id)), "Error waiting for instance to delete"));
    },
};

/** getInstance: the data source's flattening of instances.get (links kept as links, as ConvertSelfLinkToV1 does). */
export async function getInstance(args: Bag): Promise<Bag> {
    const a = reveal(args);
    const path = a.selfLink ? String(a.selfLink).replace(/^.*\/compute\/v1\//, "") : `projects/${a.project ?? defaultProject()}/zones/${a.zone}/instances/${a.name}`;
    const api = await doing(`Error reading instance ${path}`, () => call("GET", url(path)));
    const disk = (d: Bag) => ({ source: d.source, deviceName: d.deviceName, mode: d.mode ?? "READ_WRITE", autoDelete: d.autoDelete ?? false });
    const metadata = Object.fromEntries((api.metadata?.items ?? []).map((x: Bag) => [x.key, x.value]));
    const labels = api.labels ?? {};
    return defined({
        id: path,
        name: api.name,
        project: path.split("/")[1],
        zone: lastSegment(api.zone),
        selfLink: api.selfLink,
        instanceId: api.id,
        machineType: lastSegment(api.machineType ?? ""),
        currentStatus: api.status,
        deletionProtection: api.deletionProtection ?? false,
        tags: api.tags?.items ?? [],
        tagsFingerprint: api.tags?.fingerprint ?? "",
        metadata,
        metadataFingerprint: api.metadata?.fingerprint ?? "",
        labels,
        effectiveLabels: labels,
        bootDisks: (api.disks ?? []).filter((d: Bag) => d.boot).map(disk),
        attachedDisks: (api.disks ?? []).filter((d: Bag) => !d.boot).map(disk),
        scratchDisks: [],
        networkInterfaces: (api.networkInterfaces ?? []).map((n: Bag) => ({
            name: n.name,
            network: n.network,
            subnetwork: n.subnetwork,
            networkIp: n.networkIP,
            accessConfigs: (n.accessConfigs ?? []).map((x: Bag) => ({ natIp: x.natIP, networkTier: x.networkTier })),
        })),
    });
}
