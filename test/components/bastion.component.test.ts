import { describe, expect, it } from "vitest";
import { Bastion } from "../../components/bastion";
import { incidentNames } from "../../core/incidentNames";
import { mockEngine, resolve } from "./componentMocks";

const engine = mockEngine();

const args = {
    names: incidentNames("42"),
    project: "acme-prod",
    zone: "us-central1-a",
    network: "projects/acme-prod/global/networks/prod",
    subnetwork: "projects/acme-prod/regions/us-central1/subnetworks/nodes",
};
const bastion = new Bastion("t", args);
const other = new Bastion("t-other", { ...args, subnetwork: "projects/acme-prod/regions/us-central1/subnetworks/batch", machineType: "e2-medium", image: "cos-cloud/cos-stable" });

describe("Bastion", () => {
    it("carries the incident's bastion tag and labels, the tag the quarantine firewall lets SSH in from", async () => {
        const vm = await engine.registrationOf(bastion.instance);
        expect(vm.inputs.tags).toEqual(["quarantine-42-bastion"]);
        expect(vm.inputs.labels).toEqual({ "quarantine-incident": "42", "quarantine-role": "bastion" });
    });

    it("sits in the quarantined node's subnetwork with no external IP", async () => {
        const vm = await engine.registrationOf(bastion.instance);
        expect(vm.inputs.networkInterfaces).toEqual([{ network: args.network, subnetwork: args.subnetwork }]);
    });

    it("is a Shielded VM with secure boot, reached through OS Login only, never a project-wide SSH key", async () => {
        const vm = await engine.registrationOf(bastion.instance);
        expect(vm.inputs.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
        expect(vm.inputs.metadata).toEqual({ "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" });
    });

    it("holds no service account, so no cloud credentials sit next to the compromised node", async () => {
        const vm = await engine.registrationOf(bastion.instance);
        expect(Object.keys(vm.inputs)).not.toContain("serviceAccount");
    });

    it("runs an e2-small Debian 12 in the given zone unless told otherwise", async () => {
        const [vm, custom] = await Promise.all([engine.registrationOf(bastion.instance), engine.registrationOf(other.instance)]);
        expect([vm.inputs.zone, vm.inputs.machineType, vm.inputs.bootDisk.initializeParams.image]).toEqual(["us-central1-a", "e2-small", "debian-cloud/debian-12"]);
        expect([custom.inputs.machineType, custom.inputs.bootDisk.initializeParams.image]).toEqual(["e2-medium", "cos-cloud/cos-stable"]);
    });

    it("gives the bastions of two subnetworks of one incident different VM names", async () => {
        const [a, b] = await Promise.all([engine.registrationOf(bastion.instance), engine.registrationOf(other.instance)]);
        expect(a.inputs.name).toMatch(/^quarantine-42-bastion-[0-9a-f]{6}$/);
        expect(b.inputs.name).toMatch(/^quarantine-42-bastion-[0-9a-f]{6}$/);
        expect(a.inputs.name).not.toBe(b.inputs.name);
    });

    it("tells the responder the exact IAP command that reaches it", async () => {
        const vm = await engine.registrationOf(bastion.instance);
        expect(await resolve(bastion.sshCommand)).toBe(`gcloud compute ssh ${vm.inputs.name} --zone us-central1-a --project acme-prod --tunnel-through-iap`);
    });
});
