import { IAP_RANGE } from "../../policies/lib/network";
import { scriptFrom, uses } from "../../components/shell";
import type { StepKind } from "../../core/stepHeader";
import type { Declared } from "./args";

/**
 * Happy-path resources of incident 42, declared as the program declares them; each test mutates
 * one thing. Commands are built with the program's own `script()`, so they carry its header.
 */

export const FIREWALL = "gcp:compute/firewall:Firewall";
export const COMMAND = "command:local:Command";
export const SNAPSHOT = "gcp:compute/snapshot:Snapshot";

const rule = (suffix: string, props: Record<string, any>): Declared => ({
    type: FIREWALL,
    name: `42/firewall/default/${suffix}`,
    props: { name: `quarantine-42-${suffix}-37a8ee`, network: "default", project: "acme-prod", ...props },
});

export const firewall = {
    egressDeny: (p: Record<string, any> = {}) =>
        rule("egress-deny", { direction: "EGRESS", denies: [{ protocol: "all" }], destinationRanges: ["0.0.0.0/0"], priority: 0, targetTags: ["quarantine-42"], ...p }),
    ingressDeny: (p: Record<string, any> = {}) =>
        rule("ingress-deny", { direction: "INGRESS", denies: [{ protocol: "all" }], sourceRanges: ["0.0.0.0/0"], priority: 1, targetTags: ["quarantine-42"], ...p }),
    sshBastion: (p: Record<string, any> = {}) =>
        rule("ssh-bastion", {
            direction: "INGRESS",
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceTags: ["quarantine-42-bastion"],
            priority: 0,
            targetTags: ["quarantine-42"],
            ...p,
        }),
    iapBastion: (p: Record<string, any> = {}) =>
        rule("iap-bastion", {
            direction: "INGRESS",
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceRanges: [IAP_RANGE],
            priority: 1000,
            targetTags: ["quarantine-42-bastion"],
            ...p,
        }),
};

export const networkPolicy = (spec: Record<string, any> = {}): Declared => ({
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name: "42/pods/default/deny-all",
    props: {
        metadata: { name: "quarantine-42-deny-all", namespace: "default", labels: { "quarantine/incident": "42" } },
        spec: { podSelector: { matchLabels: { "quarantine/incident": "42" } }, policyTypes: ["Ingress", "Egress"], ...spec },
    },
});

export const bastion = (p: Record<string, any> = {}): Declared => ({
    type: "gcp:compute/instance:Instance",
    name: "42/bastion/17bc1d/vm",
    props: {
        name: "quarantine-42-bastion-17bc1d",
        machineType: "e2-small",
        zone: "us-central1-a",
        tags: ["quarantine-42-bastion"],
        labels: { "quarantine-incident": "42", "quarantine-role": "bastion" },
        bootDisk: { initializeParams: { image: "debian-cloud/debian-12" } },
        networkInterfaces: [{ network: "default", subnetwork: "projects/acme-prod/regions/us-central1/subnetworks/default" }],
        shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
        metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
        ...p,
    },
});

/** `. "$QUARANTINE_LIB/kubectl.sh"`: a body that uses `k`. */
export const KUBECTL = uses("kubectl");

/** A step with an arbitrary body, for mutations the program's own script files never contain. */
export interface TestStep {
    readonly step: string;
    readonly destroy: string;
    readonly kind: StepKind;
    readonly script: string;
    readonly create: string;
    readonly delete?: string;
    readonly environment: Record<string, string>;
}

/** A command as `shellCommand` declares it: `create`/`delete` bodies get the header and prelude. */
export function command(name: string, step: Partial<TestStep> & { create: string }, extra: Partial<Declared> = {}): Declared {
    const s: TestStep = { step: "Do a thing", destroy: "reversed", kind: "isolation", script: "test", environment: {}, ...step };
    return {
        type: COMMAND,
        name: `42/${name}`,
        ...extra,
        props: {
            create: scriptFrom(s, s.create),
            delete: scriptFrom(s, s.delete ?? 'echo "one-way step, nothing to undo: $QUARANTINE_STEP" >&2\n'),
            environment: { ...s.environment, QUARANTINE_STEP: s.step },
            interpreter: ["/bin/bash", "-c"],
            addPreviousOutputInEnv: false,
            ...extra.props,
        },
    };
}

export const DRAIN = `${KUBECTL}k drain "$NODE" --pod-selector='!quarantine' --ignore-daemonsets --delete-emptydir-data --timeout="$TIMEOUT" >&2\necho "drained $NODE"`;

export const snapshot = (disk: string): Declared => ({
    type: SNAPSHOT,
    name: `42/snapshots/q-42-${disk}`,
    props: { name: `q-42-${disk}`, sourceDisk: `zones/us-central1-a/disks/${disk}`, labels: { "quarantine-incident": "42", "quarantine-evidence": "disk" } },
});
