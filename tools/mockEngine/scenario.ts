import { isDestructive, type Level } from "../../core/levels";
import { sampleCluster, SAMPLE_PROJECT, type FakeCluster, type FakePod } from "./sampleCluster";

/** One incident to run the program on: the fake cluster, the stack's config and its name. */
export interface Scenario {
    readonly cluster: FakeCluster;
    readonly config: Record<string, string>;
    readonly stack: string;
}

export interface ScenarioOptions {
    /** The fake cluster. Default: the runbook's sample (`sampleCluster()`). */
    readonly cluster?: FakeCluster;
    /** The pods named in `quarantine:pods`. Default: every pod of a given cluster that has pods, else the sample's compromised pod. */
    readonly pods?: readonly FakePod[];
    /** `quarantine:level`, with the acknowledgement a destructive level needs. Default: unset (the program's `isolate`). */
    readonly level?: Level;
    /** Set `quarantine:cluster` so preview verifies NetworkPolicy enforcement. Default true. */
    readonly verifyCluster?: boolean;
    /** Extra or overriding config keys. */
    readonly config?: Record<string, string>;
    /** Default `incident-42`. */
    readonly stack?: string;
}

export const SAMPLE_CONTEXT = "gke_acme-prod_us-central1_prod";

/**
 * The one builder of sample incidents: the tests, the contract suite, the bench, the offline plan
 * and the CLI load test all start from it, so they agree on what "the sample incident" is.
 */
export function sampleScenario(o: ScenarioOptions = {}): Scenario {
    const cluster = o.cluster ?? sampleCluster();
    const pods = o.pods ?? (o.cluster && o.cluster.pods.length > 0 ? cluster.pods : [sampleCluster().pods[0]]);
    const stack = o.stack ?? "incident-42";
    const config: Record<string, string> = {
        "gcp:project": SAMPLE_PROJECT,
        "kubernetes:context": SAMPLE_CONTEXT,
        "quarantine:pods": JSON.stringify(pods.map((p) => `${p.namespace}/${p.name}`)),
        ...(o.verifyCluster === false ? {} : { "quarantine:cluster": JSON.stringify({ name: "prod", location: "us-central1" }) }),
        ...(o.level ? { "quarantine:level": o.level } : {}),
        ...(o.level && isDestructive(o.level) ? { "quarantine:confirm": stack } : {}),
        ...o.config,
    };
    return { cluster, config, stack };
}
