import { describe, expect, it } from "vitest";
import { otherIncidentsOn } from "../../../stacks/incident/sharedVm";
import { groupIncident } from "../../../stacks/incident/group";
import {
    DiscoveryError,
    inspectCluster,
    parseCreatedBy,
    parseInstance,
    parseNode,
    parsePod,
    podIps,
    type ClusterFacts,
    type NodeFacts,
    type PodFacts,
    type VmFacts,
} from "../../../stacks/incident/facts";

const NODE = "gke-cluster-pool-1-abcdeffff-zgt8";
const ZONE = "us-central1-a";
const PROJECT = "acme-prod";
const providerId = (project = PROJECT, zone = ZONE, instance = NODE) => `gce://${project}/${zone}/${instance}`;
const DISK_URL = (zone: string, disk: string) => `https://www.googleapis.com/compute/v1/projects/${PROJECT}/zones/${zone}/disks/${disk}`;
const NETWORK = `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/default`;
const SUBNETWORK = `https://www.googleapis.com/compute/v1/projects/${PROJECT}/regions/us-central1/subnetworks/default`;
const MIG = `projects/123456789012/zones/${ZONE}/instanceGroupManagers/gke-cluster-pool-1-abcdeffff-grp`;

/** The DiscoveryError `f` throws; fails the test if it returns. */
function refusal(f: () => unknown): DiscoveryError {
    try {
        f();
    } catch (e) {
        expect(e).toBeInstanceOf(DiscoveryError);
        return e as DiscoveryError;
    }
    throw new Error("expected a DiscoveryError");
}

describe("parsePod", () => {
    const ref = { namespace: "default", name: "web-1" };

    it.each([
        [{ metadata: { labels: { app: "web", tier: "front" } }, spec: { nodeName: NODE }, status: { phase: "Running" } }, { app: "web", tier: "front" }],
        [{ metadata: {}, spec: { nodeName: NODE }, status: { phase: "Running" } }, {}],
        [{ spec: { nodeName: NODE } }, {}],
        // a pod that has failed but is still bound keeps its node: that node is what we quarantine
        [{ spec: { nodeName: NODE }, status: { phase: "Failed" } }, {}],
    ])("reads a scheduled pod %j", (raw, labels) => {
        expect(parsePod(ref, 3, raw)).toEqual({ ref, configIndex: 3, nodeName: NODE, labels });
    });

    it.each([
        [0, { spec: {}, status: { phase: "Pending" } }, "Pending"],
        [2, { spec: { nodeName: "" }, status: { phase: "Pending" } }, "Pending"],
        [1, { status: { phase: "Succeeded" } }, "Succeeded"],
        [0, {}, "unknown"],
    ])("refuses an unscheduled pod at quarantine:pods[%i] %j", (index, raw, phase) => {
        const e = refusal(() => parsePod(ref, index, raw));
        expect(e.message).toBe(
            `quarantine:pods[${index}] "default/web-1" is not running on a node (phase ${phase}): there is no node to quarantine; remove it from quarantine:pods`,
        );
        expect(e.name).toBe("DiscoveryError");
    });

    it("keeps the pod's own addresses, dual-stack included, for the conntrack flush", () => {
        const raw = { spec: { nodeName: NODE }, status: { podIP: "10.4.0.7", podIPs: [{ ip: "10.4.0.7" }, { ip: "fd00:10:4::7" }] } };
        expect(parsePod(ref, 0, raw).ips).toEqual(["10.4.0.7", "fd00:10:4::7"]);
    });

    it("keeps no address of a hostNetwork pod: its IPs are the node's, and flushing them would cut the kubelet's own flows", () => {
        const raw = { spec: { nodeName: NODE, hostNetwork: true }, status: { podIP: "10.128.0.9" } };
        expect(parsePod(ref, 0, raw).ips).toBeUndefined();
    });

    it.each(["10.4.0.7; reboot", "-D", "10.4.0.300", "$(id)", "fd00::7 -j"])("drops a status address %j that is not an IP address", (ip) => {
        expect(podIps({ podIP: ip })).toEqual([]);
    });
});

describe("parseNode", () => {
    it.each([
        [NODE, { metadata: { labels: { "topology.kubernetes.io/zone": ZONE } }, spec: { providerID: providerId() } }, PROJECT, NODE, ZONE],
        [NODE, { spec: { providerID: providerId() } }, PROJECT, NODE, ZONE],
        ["node-a", { spec: { providerID: providerId(PROJECT, "europe-west1-b", "vm-a") } }, PROJECT, "vm-a", "europe-west1-b"],
        ["node-b", { spec: { providerID: "gce://other-proj/asia-east1-c/vm-b" } }, "other-proj", "vm-b", "asia-east1-c"],
    ])("reads node %j %j", (name, raw, project, instance, zone) => {
        expect(parseNode(name, raw, project)).toEqual({ name, instance, project, zone });
    });

    it.each([
        ["aws:///us-east-1a/i-0123456789abcdef0"],
        ["azure:///subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachines/z"],
        ["kind://docker/kind/kind-worker"],
        [""],
        ["gce://acme-prod/us-central1-a"],
        ["gce://acme-prod/us-central1-a/vm/extra"],
        ["gce:///us-central1-a/vm"],
        [`GCE://${PROJECT}/${ZONE}/${NODE}`],
    ])("refuses a node whose providerID is %j", (id) => {
        expect(() => parseNode(NODE, { spec: { providerID: id } }, PROJECT)).toThrow(
            `node ${NODE} is not a Compute Engine VM (providerID "${id}"): quarantine only isolates GKE nodes on GCE`,
        );
    });

    it.each([[{}], [{ spec: {} }]])("refuses a node without a providerID %j", (raw) => {
        expect(() => parseNode(NODE, raw, PROJECT)).toThrow(
            `node ${NODE} is not a Compute Engine VM (providerID ""): quarantine only isolates GKE nodes on GCE`,
        );
    });

    it.each([
        ["gk3-prod-pool-2-0a1b2c3d-x7k9", { spec: { providerID: providerId(PROJECT, ZONE, "gk3-prod-pool-2-0a1b2c3d-x7k9") } }],
        ["gk3-prod-nap-1-abc", {}],
        [NODE, { metadata: { labels: { "cloud.google.com/gke-provisioning": "autopilot" } }, spec: { providerID: providerId() } }],
    ])("refuses the Autopilot node %j", (name, raw) => {
        expect(() => parseNode(name, raw, PROJECT)).toThrow(
            `node ${name} belongs to a GKE Autopilot cluster: its VM can't be abandoned, tagged or inspected; contain the pod with quarantine:level observe and a NetworkPolicy instead`,
        );
    });

    it.each([
        ["other-proj", "acme-prod"],
        ["acme-prod", "acme-staging"],
    ])("refuses a node in project %j when gcp:project is %j, naming gcp:project", (vmProject, configured) => {
        const e = refusal(() => parseNode(NODE, { spec: { providerID: providerId(vmProject) } }, configured));
        expect(e.message).toBe(
            `node ${NODE} runs in project ${vmProject} but gcp:project is ${configured}; e.g. pulumi config set gcp:project ${vmProject}`,
        );
    });

    it.each([
        ["us-central1-b", ZONE],
        ["europe-west1-b", "europe-west1-c"],
    ])("refuses a zone label %j that disagrees with providerID zone %j", (label, zone) => {
        const raw = { metadata: { labels: { "topology.kubernetes.io/zone": label } }, spec: { providerID: providerId(PROJECT, zone) } };
        expect(() => parseNode(NODE, raw, PROJECT)).toThrow(
            `node ${NODE}: zone label ${label} disagrees with providerID zone ${zone}; refusing to guess`,
        );
    });
});

describe("parseCreatedBy", () => {
    it.each([
        [MIG, { scope: "zone", location: ZONE, name: "gke-cluster-pool-1-abcdeffff-grp" }],
        ["projects/123/regions/europe-west1/instanceGroupManagers/regional-mig", { scope: "region", location: "europe-west1", name: "regional-mig" }],
        ["projects/acme-prod/zones/asia-east1-c/instanceGroupManagers/m", { scope: "zone", location: "asia-east1-c", name: "m" }],
    ])("reads %j", (createdBy, want) => {
        expect(parseCreatedBy(createdBy)).toEqual(want);
    });

    it.each([
        [undefined],
        [""],
        ["hello"],
        ["projects/123/zones/us-central1-a/instanceGroups/gke-grp"],
        ["projects/123/zones/us-central1-a/instanceGroupManagers/"],
        ["projects/123/locations/us-central1/instanceGroupManagers/m"],
        ["projects/123/zones/us-central1-a/instanceGroupManagers/m/extra"],
        [`https://www.googleapis.com/compute/v1/${MIG}`],
        // Hostile metadata: the group's name and location would become gcloud arguments.
        ["projects/123/zones/us-central1-a/instanceGroupManagers/--project=evil"],
        ["projects/123/zones/us-central1-a/instanceGroupManagers/m;touch x"],
        ["projects/123/zones/--zone=x/instanceGroupManagers/m"],
        ["projects/123/zones/us-central1-a/instanceGroupManagers/m\nx"],
    ])("gives no group for %j", (createdBy) => {
        expect(parseCreatedBy(createdBy)).toBeUndefined();
    });
});

describe("parseInstance", () => {
    const node: NodeFacts = { name: NODE, instance: NODE, project: PROJECT, zone: ZONE };
    const nic = (accessConfigs: { natIp: string }[]) => ({ network: NETWORK, subnetwork: SUBNETWORK, networkIp: "10.128.0.5", accessConfigs });
    const raw = (over: Partial<Parameters<typeof parseInstance>[1]> = {}): Parameters<typeof parseInstance>[1] => ({
        bootDisks: [{ source: DISK_URL(ZONE, NODE) }],
        attachedDisks: [],
        networkInterfaces: [nic([])],
        metadata: {},
        deletionProtection: false,
        ...over,
    });

    it("reads a VM with a boot disk, two attached disks, an external IP and its MIG", () => {
        const data1 = DISK_URL(ZONE, "data-1");
        const pd = `projects/${PROJECT}/regions/us-central1/disks/shared-pd`;
        expect(
            parseInstance(
                node,
                raw({
                    attachedDisks: [{ source: data1 }, { source: pd }],
                    networkInterfaces: [nic([{ natIp: "34.1.2.3" }])],
                    metadata: { "created-by": MIG, "cluster-name": "prod" },
                    deletionProtection: true,
                }),
            ),
        ).toEqual({
            name: NODE,
            instance: NODE,
            project: PROJECT,
            zone: ZONE,
            disks: [
                { name: NODE, source: DISK_URL(ZONE, NODE), boot: true },
                { name: "data-1", source: data1, boot: false },
                { name: "shared-pd", source: pd, boot: false },
            ],
            network: "default",
            networks: ["default"],
            ipv6: false,
            subnetwork: SUBNETWORK,
            internalIp: "10.128.0.5",
            externalIp: "34.1.2.3",
            mig: { scope: "zone", location: ZONE, name: "gke-cluster-pool-1-abcdeffff-grp" },
            deletionProtection: true,
        });
    });

    it.each([
        ["no access config", [], undefined],
        ["an access config without an IP", [{ natIp: "" }], undefined],
        ["one external IP", [{ natIp: "34.1.2.3" }], "34.1.2.3"],
        ["the first access config with an IP", [{ natIp: "" }, { natIp: "35.9.9.9" }], "35.9.9.9"],
    ])("external IP with %s", (_, accessConfigs, want) => {
        expect(parseInstance(node, raw({ networkInterfaces: [nic(accessConfigs)] })).externalIp).toBe(want);
    });

    it.each([
        [{}, undefined],
        [{ "created-by": "garbage" }, undefined],
        [{ "created-by": "projects/1/regions/us-central1/instanceGroupManagers/r" }, { scope: "region", location: "us-central1", name: "r" }],
    ])("MIG from metadata %j", (metadata, want) => {
        expect(parseInstance(node, raw({ metadata })).mig).toEqual(want);
    });

    it("reads a VM with a boot disk only, no external IP and no MIG", () => {
        expect(parseInstance(node, raw())).toEqual({
            ...node,
            disks: [{ name: NODE, source: DISK_URL(ZONE, NODE), boot: true }],
            network: "default",
            networks: ["default"],
            ipv6: false,
            subnetwork: SUBNETWORK,
            internalIp: "10.128.0.5",
            externalIp: undefined,
            mig: undefined,
            deletionProtection: false,
        });
    });

    it("takes network, subnetwork and internal IP from the first interface", () => {
        const second = { network: "projects/p/global/networks/other", subnetwork: "other-sub", networkIp: "10.9.9.9", accessConfigs: [] };
        const vm = parseInstance(node, raw({ networkInterfaces: [nic([]), second] }));
        expect([vm.network, vm.subnetwork, vm.internalIp]).toEqual(["default", SUBNETWORK, "10.128.0.5"]);
    });

    it("lists every interface's network, so each gets the deny rules", () => {
        const second = { network: "projects/p/global/networks/other", subnetwork: "other-sub", networkIp: "10.9.9.9", accessConfigs: [] };
        expect(parseInstance(node, raw({ networkInterfaces: [nic([]), second] })).networks).toEqual(["default", "other"]);
    });

    it.each([
        ["IPV4_ONLY", false],
        ["IPV4_IPV6", true],
        ["IPV6_ONLY", true],
    ])("reads an interface of stack type %s as IPv6: %s", (stackType, ipv6) => {
        expect(parseInstance(node, raw({ networkInterfaces: [{ ...nic([]), stackType }] })).ipv6).toBe(ipv6);
    });

    it("refuses a VM without a network interface", () => {
        expect(() => parseInstance(node, raw({ networkInterfaces: [] }))).toThrow(`VM ${NODE} has no network interface; nothing to firewall`);
    });
});

describe("inspectCluster", () => {
    const cluster = (over: Partial<Parameters<typeof inspectCluster>[1]>): Parameters<typeof inspectCluster>[1] => ({
        enableAutopilot: false,
        datapathProvider: "",
        networkPolicyEnabled: false,
        network: "default",
        ...over,
    });

    it.each([
        ["network policy on, legacy datapath", cluster({ networkPolicyEnabled: true })],
        ["network policy on, LEGACY_DATAPATH", cluster({ networkPolicyEnabled: true, datapathProvider: "LEGACY_DATAPATH" })],
        ["Dataplane V2, network policy off", cluster({ datapathProvider: "ADVANCED_DATAPATH" })],
        ["Dataplane V2 and network policy on", cluster({ datapathProvider: "ADVANCED_DATAPATH", networkPolicyEnabled: true })],
    ])("accepts %s", (_, raw) => {
        expect(inspectCluster("prod", { ...raw, network: "vpc-2" })).toMatchObject({ name: "prod", networkPolicy: "enforced", network: "vpc-2" });
    });

    it.each([
        ["ADVANCED_DATAPATH", true],
        ["LEGACY_DATAPATH", false],
        ["", false],
    ])("says whether datapath %j is Dataplane V2 (%s), which decides the conntrack flush", (datapathProvider, v2) => {
        expect(inspectCluster("prod", cluster({ datapathProvider, networkPolicyEnabled: true })).dataplaneV2).toBe(v2);
    });

    it.each([
        ["", "legacy"],
        ["LEGACY_DATAPATH", "LEGACY_DATAPATH"],
        ["DATAPATH_PROVIDER_UNSPECIFIED", "DATAPATH_PROVIDER_UNSPECIFIED"],
        ["advanced_datapath", "advanced_datapath"],
    ])("refuses network policy off with datapath %j", (datapathProvider, shown) => {
        expect(() => inspectCluster("prod", cluster({ datapathProvider }))).toThrow(
            `quarantine:cluster prod does not enforce NetworkPolicy (network policy off, datapath ${shown}): a deny-all policy would be a silent no-op; enable it (gcloud container clusters update prod --enable-network-policy) or use Dataplane V2`,
        );
    });

    it.each([
        [cluster({ enableAutopilot: true })],
        [cluster({ enableAutopilot: true, datapathProvider: "ADVANCED_DATAPATH" })],
        [cluster({ enableAutopilot: true, networkPolicyEnabled: true })],
    ])("refuses an Autopilot cluster %j", (raw) => {
        expect(() => inspectCluster("prod", raw)).toThrow(
            "quarantine:cluster prod is an Autopilot cluster: nodes can't be abandoned or firewalled there",
        );
    });
});

describe("groupIncident", () => {
    const pod = (name: string, nodeName: string, configIndex: number): PodFacts => ({
        ref: { namespace: "default", name },
        configIndex,
        nodeName,
        labels: { app: name },
    });
    const disk = (name: string, boot = false, zone = ZONE) => ({ name, source: DISK_URL(zone, name), boot });
    const vm = (name: string, disks: ReturnType<typeof disk>[]): Omit<VmFacts, "pods"> => ({
        name,
        instance: name,
        project: PROJECT,
        zone: ZONE,
        disks,
        network: "default",
        subnetwork: SUBNETWORK,
        internalIp: "10.128.0.5",
        deletionProtection: false,
    });
    const CLUSTER: ClusterFacts = { name: "prod", networkPolicy: "enforced", network: "default" };

    it("gives one node for several pods on it, with all its pods", () => {
        const pods = [pod("web-1", "node-a", 0), pod("web-2", "node-a", 1), pod("web-3", "node-a", 2)];
        const got = groupIncident(pods, [vm("node-a", [disk("node-a", true)])], CLUSTER);
        expect(got).toEqual({ pods, nodes: [{ ...vm("node-a", [disk("node-a", true)]), pods }], cluster: CLUSTER, workloads: [] });
    });

    it("attaches each pod to its own node, in VM order", () => {
        const pods = [pod("web-1", "node-b", 0), pod("web-2", "node-a", 1), pod("web-3", "node-b", 2)];
        const got = groupIncident(pods, [vm("node-a", [disk("node-a", true)]), vm("node-b", [disk("node-b", true)])]);
        expect(got.nodes.map((n) => [n.name, n.pods.map((p) => p.ref.name)])).toEqual([
            ["node-a", ["web-2"]],
            ["node-b", ["web-1", "web-3"]],
        ]);
        expect(got.pods).toEqual(pods);
        expect(got.cluster).toBeUndefined();
    });

    it("lists a disk attached to two nodes once, under its first node", () => {
        const shared = disk("shared-data");
        const got = groupIncident(
            [pod("web-1", "node-a", 0), pod("web-2", "node-b", 1)],
            [vm("node-a", [disk("node-a", true), shared]), vm("node-b", [disk("node-b", true), shared])],
        );
        expect(got.nodes.map((n) => n.disks)).toEqual([[disk("node-a", true), shared], [disk("node-b", true)]]);
        const all = got.nodes.flatMap((n) => n.disks.map((d) => d.source));
        expect(all.filter((s) => s === shared.source)).toHaveLength(1);
    });

    it("keeps two same-named disks in different zones apart", () => {
        const a = disk("data", false, "us-central1-a");
        const b = disk("data", false, "us-central1-b");
        const got = groupIncident([], [vm("node-a", [a]), vm("node-b", [b])]);
        expect(got.nodes.map((n) => n.disks)).toEqual([[a], [b]]);
    });

    it("gives a node without any of the pods an empty pod list", () => {
        const got = groupIncident([pod("web-1", "node-a", 0)], [vm("node-a", []), vm("node-z", [])]);
        expect(got.nodes.map((n) => [n.name, n.pods.length])).toEqual([
            ["node-a", 1],
            ["node-z", 0],
        ]);
    });
});

describe("other incidents' isolation tags on a VM", () => {
    it.each<[string[], string[]]>([
        [["gke-prod-node"], []],
        [["quarantine-42"], []],
        [["quarantine-42", "quarantine-43"], ["43"]],
        [["quarantine-43-bastion"], []],
        [["quarantine-7", "quarantine-inc-9"], ["7", "inc-9"]],
    ])("%j on incident 42's VM: %j", (tags, want) => {
        expect(otherIncidentsOn(tags, "42")).toEqual(want);
    });
});
