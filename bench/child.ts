import { performance } from "perf_hooks";

/**
 * One cold measurement of the program under the recording mock engine, in a fresh process started
 * by bench/programCost.ts: `node bench/child.js <pods>` (tsc output).
 *
 * Prints one JSON line: milliseconds since the process started (`performance.now()`) at the last
 * resource registration and when the run finished, and the peak resident set size.
 */

interface Measurement {
    readonly lastRegistrationMs: number;
    readonly outputsMs: number;
    readonly registrations: number;
    readonly maxRssKb: number;
}

/** Notes the time of every registration the mock monitor receives. */
async function countRegistrations(): Promise<() => { last: number; count: number }> {
    const { MockMonitor } = await import("@pulumi/pulumi/runtime/mocks");
    const proto = MockMonitor.prototype as unknown as { registerResource: (...args: unknown[]) => Promise<void> };
    const original = proto.registerResource;
    let last = 0;
    let count = 0;
    proto.registerResource = function (this: unknown, ...args: unknown[]) {
        last = performance.now();
        count++;
        return original.apply(this, args);
    };
    return () => ({ last, count });
}

async function program(pods: number): Promise<Measurement> {
    const registrations = await countRegistrations();
    const { runScenario } = await import("./scenario");
    await runScenario({ pods, mode: "after-drain", level: "isolate" });
    const outputsMs = performance.now();
    const { last, count } = registrations();
    return { lastRegistrationMs: last, outputsMs, registrations: count, maxRssKb: process.resourceUsage().maxRSS };
}

async function main(): Promise<void> {
    const warn = console.warn;
    console.warn = () => undefined; // the program's warnings are not the measurement
    const m = await program(Number(process.argv[2]));
    console.warn = warn;
    process.stdout.write(`${JSON.stringify(m)}\n`);
    process.exit(0);
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
