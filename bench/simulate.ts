/**
 * A discrete-event model of `pulumi up` executing a recorded step graph.
 *
 * - A step becomes ready when every step it depends on has finished (the SDK sends a dependent's
 *   RegisterResource only once its dependencies' registrations have returned), and queues, first
 *   come first served (ties in registration order), for one of `parallel` engine slots
 *   (`pulumi up --parallel`).
 * - In its slot it pays the engine's per-step overhead, a checkpoint write (the pending
 *   operation), `local` seconds on one of `cores` CPU cores (process start-up of local commands),
 *   `remote` seconds of waiting on the cloud, and a second checkpoint write (the result).
 * - Checkpoint writes are serialized: the snapshot manager persists one state at a time, and a
 *   write's cost may grow with the number of resources already in the state.
 */

export interface SimStep {
    readonly id: string;
    readonly deps: readonly string[];
    readonly local: number;
    readonly remote: number;
    /** Seconds into the remote phase at which the step counts as started (snapshots). Default 0. */
    readonly startedAfter?: number;
}

export interface Machine {
    readonly parallel: number;
    readonly cores: number;
    readonly stepOverhead: number;
    /** Seconds one checkpoint write takes when the state holds `resources` resources. */
    readonly checkpoint: (resources: number) => number;
}

export interface Timeline {
    /** When the step's cloud operation began (plus `startedAfter`). */
    readonly started: Map<string, number>;
    readonly finished: Map<string, number>;
    readonly makespan: number;
}

type Pool = { capacity: number; used: number; waiting: (() => void)[] };

class Clock {
    now = 0;
    private seq = 0;
    private readonly heap: { t: number; seq: number; run: () => void }[] = [];

    at(delay: number, run: () => void): void {
        const e = { t: this.now + delay, seq: this.seq++, run };
        const h = this.heap;
        h.push(e);
        for (let i = h.length - 1; i > 0; ) {
            const p = (i - 1) >> 1;
            if (before(h[p], h[i])) break;
            [h[p], h[i]] = [h[i], h[p]];
            i = p;
        }
    }

    run(): void {
        const h = this.heap;
        while (h.length) {
            const top = h[0];
            const last = h.pop()!;
            if (h.length) {
                h[0] = last;
                for (let i = 0; ; ) {
                    const l = 2 * i + 1;
                    const r = l + 1;
                    let m = i;
                    if (l < h.length && before(h[l], h[m])) m = l;
                    if (r < h.length && before(h[r], h[m])) m = r;
                    if (m === i) break;
                    [h[m], h[i]] = [h[i], h[m]];
                    i = m;
                }
            }
            this.now = top.t;
            top.run();
        }
    }
}

const before = (a: { t: number; seq: number }, b: { t: number; seq: number }) => a.t < b.t || (a.t === b.t && a.seq < b.seq);

function pool(capacity: number): Pool {
    return { capacity, used: 0, waiting: [] };
}

function acquire(p: Pool, then: () => void): void {
    if (p.used < p.capacity) {
        p.used++;
        then();
    } else {
        p.waiting.push(then);
    }
}

function release(p: Pool): void {
    const next = p.waiting.shift();
    if (next) next();
    else p.used--;
}

/** Runs the model; every step's dependencies must be among `steps`. */
export function simulate(steps: readonly SimStep[], m: Machine): Timeline {
    const clock = new Clock();
    const slots = pool(m.parallel);
    const cpu = pool(m.cores);
    const ckpt = pool(1);
    const started = new Map<string, number>();
    const finished = new Map<string, number>();
    const dependents = new Map<string, SimStep[]>();
    const waiting = new Map<string, number>();
    let inState = 0;

    for (const s of steps) {
        waiting.set(s.id, s.deps.length);
        for (const d of s.deps) dependents.set(d, [...(dependents.get(d) ?? []), s]);
    }
    /** Holds a pool for `seconds`, then continues. */
    const hold = (p: Pool, seconds: () => number, then: () => void) =>
        acquire(p, () =>
            clock.at(seconds(), () => {
                release(p);
                then();
            }),
        );
    const write = (then: () => void) => hold(ckpt, () => m.checkpoint(inState), then);

    const start = (s: SimStep) =>
        acquire(slots, () =>
            clock.at(m.stepOverhead, () =>
                write(() => {
                    const remote = () => {
                        started.set(s.id, clock.now + (s.startedAfter ?? 0));
                        clock.at(s.remote, () => {
                            inState++;
                            write(() => {
                                finished.set(s.id, clock.now);
                                release(slots);
                                for (const d of dependents.get(s.id) ?? []) {
                                    const left = waiting.get(d.id)! - 1;
                                    waiting.set(d.id, left);
                                    if (left === 0) start(d);
                                }
                            });
                        });
                    };
                    // Provider resources need no local core; commands queue for one.
                    if (s.local > 0) hold(cpu, () => s.local, remote);
                    else remote();
                }),
            ),
        );

    for (const s of steps) if (s.deps.length === 0) start(s);
    clock.run();
    if (finished.size !== steps.length) throw new Error(`model stalled: ${steps.length - finished.size} steps never ran (a dependency outside the graph?)`);
    return { started, finished, makespan: Math.max(0, ...finished.values()) };
}
