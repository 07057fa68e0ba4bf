import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { FakeCluster } from "../../../tools/mockEngine/sampleCluster";
import { ComputeFake } from "../../fakes/compute";
import { computeStateFor, withResources, type ComputeSeed } from "../../fakes/computeState";
import { ContainerFake } from "../../fakes/container";
import { emptyStorage, StorageFake } from "../../fakes/storage";
import { GCLOUD_OFFLINE, TOKENS } from "../../fakes/tools";
import { KEEP } from "./bin";

/**
 * The Google Cloud side of a scenario, in this (the vitest) process: the Compute, Storage and
 * Kubernetes Engine fakes of test/fakes, seeded from a mock-engine `FakeCluster` (its VMs with
 * their disks, groups and external IPs; its GKE clusters), and the environment that points both
 * the STAND-IN gcp provider and the real `gcloud` the program's commands run at them. A firewall
 * rule the provider creates and a tag `gcloud` adds meet in one state. The CLI must be spawned
 * asynchronously (harness/proc.ts `run`): the fakes answer from this process's event loop.
 */

/** APIs the scripts do not call: gcloud is pointed at the Compute fake, which refuses them as violations. */
const UNFAKED_APIS = ["container", "iam", "logging", "cloudresourcemanager", "serviceusage", "oslogin", "iap"];

export interface GoogleFakes {
    readonly compute: ComputeFake;
    readonly storage: StorageFake;
    readonly container: ContainerFake;
    /** For `newProject({ env })`: the CLI's environment, which its plugins and their commands inherit. */
    readonly env: Record<string, string>;
    /** Every call any fake refused as not faked: a scenario asserts this is empty. */
    violations(): string[];
    close(): Promise<void>;
}

export async function startGoogleFakes(cluster: FakeCluster, seed: ComputeSeed = {}): Promise<GoogleFakes> {
    const compute = new ComputeFake(withResources(computeStateFor(cluster, seed)), TOKENS.compute);
    const storage = new StorageFake(emptyStorage(), TOKENS.compute);
    const container = new ContainerFake({ project: cluster.project, clusters: [...cluster.clusters] }, TOKENS.compute);
    await Promise.all([compute.start(), storage.start(), container.start()]);
    const dir = mkdtempSync(path.join(tmpdir(), "quarantine-gcloud-"));
    mkdirSync(path.join(dir, "config"));
    writeFileSync(path.join(dir, "token"), `${TOKENS.compute}\n`);
    const env: Record<string, string> = {
        // The stand-in gcp provider (standIns/README.md, "Environment").
        QUARANTINE_FAKE_COMPUTE: compute.base,
        QUARANTINE_FAKE_STORAGE: storage.base,
        QUARANTINE_FAKE_CONTAINER: container.base,
        GOOGLE_OAUTH_ACCESS_TOKEN: TOKENS.compute,
        // The real gcloud, as the contract suite points it (test/fakes/tools.ts), plus Storage:
        // `gcloud storage cp` goes to the Storage fake's JSON API (multipart uploads).
        CLOUDSDK_CONFIG: path.join(dir, "config"),
        CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: path.join(dir, "token"),
        ...Object.fromEntries(UNFAKED_APIS.map((api) => [`CLOUDSDK_API_ENDPOINT_OVERRIDES_${api.toUpperCase()}`, `${compute.base}/unfaked/${api}/`])),
        CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: compute.endpoint,
        CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE: `${storage.base}/storage/v1/`,
        ...GCLOUD_OFFLINE,
    };
    return {
        compute,
        storage,
        container,
        env,
        violations: () => [...compute.violations, ...storage.violations, ...container.violations],
        async close() {
            await Promise.all([compute.close(), storage.close(), container.close()]);
            if (!KEEP) rmSync(dir, { recursive: true, force: true });
        },
    };
}
