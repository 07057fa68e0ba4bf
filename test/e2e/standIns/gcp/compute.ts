/**
 * STAND-IN gcp provider (see ../README.md): `gcp:compute/firewall:Firewall` and
 * `gcp:compute/snapshot:Snapshot`, after the Terraform google provider's google_compute_firewall
 * and google_compute_snapshot (mmv1 Firewall.yaml, Snapshot.yaml) that pulumi-gcp 9.37.0 bridges.
 */
import { call, defaultProject, doing, endpoint, getOrGone, lastSegment, waitOperation } from "./client";
import { ATTRIBUTION, defined, labelOutputs, reveal, type Bag, type ResourceType } from "./values";

export const url = (path: string): string => `${endpoint("compute")}${path}`;
const projectOf = (inputs: Bag): string => reveal(inputs.project) ?? defaultProject();

/** A network name or link as the provider sends it: `projects/P/global/networks/N` (ParseNetworkFieldValue). */
export function networkRef(network: string, project: string): string {
    return network.includes("/") ? network.replace(/^https?:\/\/[^/]+\/compute\/v1\//, "") : `projects/${project}/global/networks/${network}`;
}

/** A state value the API answered in another form (a name for a link) is kept as the user wrote it. */
const sameRef = (a: unknown, b: unknown): boolean => typeof a === "string" && typeof b === "string" && lastSegment(a) === lastSegment(b);

const rules = (list: Bag[] | undefined) => list?.map((r) => defined({ IPProtocol: r.protocol, ports: r.ports }));
const unrules = (list: Bag[] | undefined) => list?.map((r) => defined({ protocol: r.IPProtocol, ports: r.ports }));

function firewallBody(i: Bag, project: string): Bag {
    const logging = i.logConfig ? { enable: true, metadata: i.logConfig.metadata } : i.enableLogging !== undefined ? { enable: i.enableLogging } : undefined;
    return defined({
        name: i.name,
        description: i.description,
        network: networkRef(i.network, project),
        priority: i.priority,
        direction: i.direction,
        sourceRanges: i.sourceRanges,
        destinationRanges: i.destinationRanges,
        sourceTags: i.sourceTags,
        targetTags: i.targetTags,
        sourceServiceAccounts: i.sourceServiceAccounts,
        targetServiceAccounts: i.targetServiceAccounts,
        allowed: rules(i.allows),
        denied: rules(i.denies),
        disabled: i.disabled,
        logConfig: logging,
    });
}

/** The outputs: the inputs as given, then what the API chose or computed. */
function firewallOutputs(state: Bag, api: Bag, project: string): Bag {
    return defined({
        ...state,
        project,
        name: api.name,
        network: sameRef(state.network, api.network) ? state.network : api.network,
        direction: api.direction,
        priority: api.priority,
        disabled: api.disabled,
        sourceRanges: api.sourceRanges ?? [],
        destinationRanges: api.destinationRanges ?? [],
        sourceTags: api.sourceTags ?? [],
        targetTags: api.targetTags ?? [],
        allows: unrules(api.allowed) ?? [],
        denies: unrules(api.denied) ?? [],
        description: api.description,
        enableLogging: api.logConfig?.enable ?? false,
        logConfig: api.logConfig?.enable && api.logConfig.metadata ? { metadata: api.logConfig.metadata } : state.logConfig,
        creationTimestamp: api.creationTimestamp,
        selfLink: api.selfLink,
    });
}

export const firewall: ResourceType = {
    inputs: ["allows", "deletionPolicy", "denies", "description", "destinationRanges", "direction", "disabled", "enableLogging", "logConfig", "name",
        "network", "params", "priority", "project", "sourceRanges", "sourceServiceAccounts", "sourceTags", "targetServiceAccounts", "targetTags"],
    required: ["network"],
    forceNew: ["name", "network", "direction", "project", "params"],
    computed: ["direction", "destinationRanges", "sourceRanges", "enableLogging", "project", "name"],
    defaults: { priority: 1000, disabled: false, deletionPolicy: "DELETE" },
    validate: (i) => (!!i.allows?.length === !!i.denies?.length ? [{ property: "allows", reason: "one of `allows,denies` must be specified" }] : []),
    async create(inputs) {
        const i = reveal(inputs);
        const project = projectOf(i);
        return doing("Error creating Firewall", async () => {
            await waitOperation(await call("POST", url(`projects/${project}/global/firewalls`), firewallBody(i, project)), "Error waiting to create Firewall");
            const api = await call("GET", url(`projects/${project}/global/firewalls/${i.name}`));
            return { id: `projects/${project}/global/firewalls/${i.name}`, outs: firewallOutputs(inputs, api, project) };
        });
    },
    async read(id, state) {
        const api = await getOrGone(url(id));
        return api && firewallOutputs(state, api, lastSegment(id.split("/global/")[0]));
    },
    async update(id, _olds, news) {
        const i = reveal(news);
        const project = projectOf(i);
        return doing("Error updating Firewall", async () => {
            await waitOperation(await call("PATCH", url(id), firewallBody(i, project)), "Error waiting to update Firewall");
            return firewallOutputs(news, await call("GET", url(id)), project);
        });
    },
    async delete(id) {
        await doing("Error deleting Firewall", async () => waitOperation(await call("DELETE", url(id)), "Error waiting to delete Firewall"));
    },
};

/** The disk a snapshot is taken of, as `zones/Z/disks/D` (zonal) or as given (anything else). */
function diskPath(sourceDisk: string, zone: string | undefined, project: string): { project: string; path: string } {
    const m = /(?:^|\/)projects\/([^/]+)\/(zones\/[^/]+\/disks\/[^/]+)$/.exec(sourceDisk);
    if (m) return { project: m[1], path: m[2] };
    if (/^zones\/[^/]+\/disks\/[^/]+$/.test(sourceDisk)) return { project, path: sourceDisk };
    if (!sourceDisk.includes("/") && zone) return { project, path: `zones/${zone}/disks/${sourceDisk}` };
    throw new Error(`gcp stand-in: sourceDisk ${sourceDisk}: only zonal disks are implemented (a link, zones/Z/disks/D, or a name with zone)`);
}

function snapshotOutputs(state: Bag, api: Bag, project: string): Bag {
    return defined({
        ...state,
        project,
        zone: /\/zones\/([^/]+)\//.exec(api.sourceDisk ?? "")?.[1] ?? state.zone,
        creationTimestamp: api.creationTimestamp,
        diskSizeGb: Number(api.diskSizeGb),
        storageBytes: Number(api.storageBytes),
        storageLocations: api.storageLocations,
        labelFingerprint: api.labelFingerprint,
        licenses: api.licenses ?? [],
        selfLink: api.selfLink,
        snapshotId: Number(api.id),
        ...labelOutputs(state.labels),
    });
}

export const snapshot: ResourceType = {
    inputs: ["chainName", "deletionPolicy", "description", "guestFlush", "labels", "name", "params", "project", "snapshotEncryptionKey", "snapshotType",
        "sourceDisk", "sourceDiskEncryptionKey", "sourceInstantSnapshot", "storageLocations", "zone"],
    required: ["name"],
    // Only the labels (setLabels) can change in place; deletionPolicy is state only.
    forceNew: ["chainName", "description", "guestFlush", "name", "params", "project", "snapshotEncryptionKey", "snapshotType", "sourceDisk",
        "sourceDiskEncryptionKey", "sourceInstantSnapshot", "storageLocations", "zone"],
    computed: ["project", "zone", "storageLocations", "snapshotType"],
    defaults: { deletionPolicy: "DELETE" },
    validate: (i) =>
        ["snapshotEncryptionKey", "sourceDiskEncryptionKey", "sourceInstantSnapshot", "params"]
            .filter((k) => i[k] !== undefined)
            .map((k) => ({ property: k, reason: `${k} is not implemented by the gcp stand-in` })),
    async create(inputs) {
        const i = reveal(inputs);
        if (!i.sourceDisk) throw new Error("Error creating Snapshot: sourceDisk is required by the gcp stand-in");
        const disk = diskPath(i.sourceDisk, i.zone, projectOf(i));
        const project = i.project ?? disk.project;
        const body = defined({ name: i.name, description: i.description, labels: { ...(i.labels ?? {}), ...ATTRIBUTION }, storageLocations: i.storageLocations, snapshotType: i.snapshotType, chainName: i.chainName });
        return doing("Error creating Snapshot", async () => {
            const q = i.guestFlush ? "?guestFlush=true" : "";
            await waitOperation(await call("POST", url(`projects/${disk.project}/${disk.path}/createSnapshot${q}`), body), "Error waiting to create Snapshot");
            const id = `projects/${project}/global/snapshots/${i.name}`;
            return { id, outs: snapshotOutputs(inputs, await call("GET", url(id)), project) };
        });
    },
    async read(id, state) {
        const api = await getOrGone(url(id));
        return api && snapshotOutputs(state, api, id.split("/")[1]);
    },
    async update(id, olds, news) {
        return doing("Error updating Snapshot", async () => {
            const labels = { ...(reveal(news.labels) ?? {}), ...ATTRIBUTION };
            const op = await call("POST", url(`${id}/setLabels`), { labels, labelFingerprint: reveal(olds.labelFingerprint) });
            await waitOperation(op, "Error waiting to update Snapshot");
            return snapshotOutputs(news, await call("GET", url(id)), id.split("/")[1]);
        });
    },
    async delete(id) {
        await doing("Error deleting Snapshot", async () => waitOperation(await call("DELETE", url(id)), "Error waiting to delete Snapshot"));
    },
};
