import type { RunResult } from "../tools/mockEngine/engine";
import { byUrn, chainLength, depths, isEvidence, longestChain, milestones, stepsOf, title, type Step } from "./graph";
import { costOf, LATENCY, type Tools } from "./latency";
import { simulate, type Machine } from "./simulate";

/** Milestones of one run: operations on the longest chain before each, or undefined (n/a). */
export interface Depths {
    readonly podIsolated?: number;
    readonly nodeIsolated?: number;
    readonly externalIpRemoved?: number;
    readonly snapshotsStarted?: number;
    readonly firstDestructive?: number;
}

export interface Analysis {
    readonly steps: number;
    readonly depths: Depths;
    /** Titles of one longest chain to node isolation, first step first. */
    readonly nodeChain: string[];
    /** Titles of one longest chain to the first destructive step (the step included). */
    readonly destructiveChain: string[];
}

export function analyse(result: RunResult): Analysis {
    const steps = stepsOf(result.resources);
    const depth = depths(steps);
    const m = milestones(steps);
    const firstDestructive = [...m.destructive].sort((a, b) => depth.get(a.urn)! - depth.get(b.urn)!).slice(0, 1);
    return {
        steps: steps.length,
        depths: {
            podIsolated: chainLength(m.podIsolated, depth, "complete"),
            nodeIsolated: chainLength(m.nodeIsolated, depth, "complete"),
            externalIpRemoved: chainLength(m.externalIpRemoved, depth, "complete"),
            snapshotsStarted: chainLength(m.snapshots, depth, "start-last"),
            firstDestructive: chainLength(m.destructive, depth, "start-first"),
        },
        nodeChain: longestChain(m.nodeIsolated, steps, depth).map(title),
        destructiveChain: longestChain(firstDestructive, steps, depth).map(title),
    };
}

/** Seconds from the update's first step to each milestone, or undefined (n/a). */
export interface Modelled {
    readonly podIsolated?: number;
    readonly nodeIsolated?: number;
    readonly externalIpRemoved?: number;
    readonly snapshotsStarted?: number;
    readonly firstDestructive?: number;
    readonly updateDone: number;
}

/**
 * Models one run on `machine`. With `cutOffIgnoresEvidence`, the node-isolation steps drop their
 * direct waits on evidence (captures, the bucket): what isolation would cost if it did not wait.
 */
export function model(result: RunResult, machine: Machine, tools: Tools, opts: { cutOffIgnoresEvidence?: boolean } = {}): Modelled {
    const steps = stepsOf(result.resources);
    const index = byUrn(steps);
    const m = milestones(steps);
    const cutOff = new Set(m.nodeIsolated.map((s) => s.urn));
    const keep = (s: Step, d: string) => index.has(d) && !(opts.cutOffIgnoresEvidence && cutOff.has(s.urn) && isEvidence(index.get(d)!));
    const timeline = simulate(
        steps.map((s) => {
            const c = costOf(s, tools);
            return { id: s.urn, deps: s.dependencies.filter((d) => keep(s, d)), local: c.local, remote: c.remote, startedAfter: c.startedAfter };
        }),
        machine,
    );
    const done = (set: Step[]) => (set.length ? Math.max(...set.map((s) => timeline.finished.get(s.urn)!)) : undefined);
    // Start milestones: the first destructive operation begins; the last snapshot has started.
    const firstStart = (set: Step[]) => (set.length ? Math.min(...set.map((s) => timeline.started.get(s.urn)!)) : undefined);
    const lastStart = (set: Step[]) => (set.length ? Math.max(...set.map((s) => timeline.started.get(s.urn)!)) : undefined);
    return {
        podIsolated: done(m.podIsolated),
        nodeIsolated: done(m.nodeIsolated),
        externalIpRemoved: done(m.externalIpRemoved),
        snapshotsStarted: lastStart(m.snapshots),
        firstDestructive: firstStart(m.destructive),
        updateDone: timeline.makespan,
    };
}

/**
 * Machines the model runs on, each adding one constraint to the graph alone. `parallel` is the
 * CLI default since pulumi/pulumi#15016 (Jan 2024): 4 × the CPUs it may use. Checkpoint figures
 * are estimates: a self-managed backend rewrites the whole state twice per step (the pending
 * operation, then the result), one write at a time; on a bucket every save is a remote write.
 */
const SERIALIZE_PER_RESOURCE = 0.00004; // ~6 KB of state JSON per resource at ~150 MB/s
const localState = (n: number) => 0.005 + SERIALIZE_PER_RESOURCE * n;
const bucketState = (n: number) => 0.5 + SERIALIZE_PER_RESOURCE * n;
const machine = (label: string, parallel: number, cores: number, checkpoint: (n: number) => number) => ({
    label,
    parallel,
    cores,
    checkpoint,
    stepOverhead: LATENCY.stepOverhead.s,
});

export const MACHINES = {
    ideal: machine("the graph alone: unbounded parallelism and CPU, free checkpoints", Infinity, Infinity, () => 0),
    localState: machine("+ local state checkpoints (`pulumi login --local`)", Infinity, Infinity, localState),
    cores8: machine("+ 8 CPU cores for local commands", Infinity, 8, localState),
    laptop: machine("+ `--parallel 32`, the CLI default on 8 CPUs: the responder's laptop", 32, 8, localState),
    laptopWide: machine("laptop with `pulumi up --parallel 2000`", 2000, 8, localState),
    runner: machine("2-core runner, default `--parallel 8`, local state", 8, 2, localState),
    bucket: machine("laptop with state in a GCS bucket (`pulumi login gs://…`)", 32, 8, bucketState),
    bucketSkip: machine("… and `PULUMI_EXPERIMENTAL=true PULUMI_SKIP_CHECKPOINTS=true`", 32, 8, () => 0),
} satisfies Record<string, Machine & { label: string }>;

export type MachineName = keyof typeof MACHINES;
