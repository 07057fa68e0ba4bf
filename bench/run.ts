import { analyse, MACHINES, model, type MachineName, type Modelled } from "./criticalPath";
import { measureProgramCost } from "./programCost";
import { report, type Row } from "./report";
import { benchLevels, MODES, nodesFor, runScenario, SIZES } from "./scenario";
import { prestagedSection } from "./prestaged";
import { measureTools } from "./tools";

/**
 * `npm run bench`: critical paths, modelled time to containment and program cost, printed as the
 * markdown that bench/README.md keeps under "Latest figures". Progress goes to stderr.
 * `BENCH_REPS` sets the repetitions of every cold measurement (default 3).
 */

async function main(): Promise<void> {
    const reps = Math.max(1, Number(process.env.BENCH_REPS ?? 3));
    const log = (s: string) => process.stderr.write(`${s}\n`);
    const started = Date.now();

    log("local tools …");
    const tools = measureTools(5);
    log("program cost …");
    const cost = await measureProgramCost(reps, log);

    log("critical paths …");
    const rows: Row[] = [];
    for (const level of benchLevels()) {
        for (const mode of MODES) {
            for (const pods of SIZES) {
                const base = { level, mode, pods, nodes: nodesFor(pods) };
                try {
                    const result = await runScenario({ pods, mode, level });
                    const modelled = Object.fromEntries(
                        (Object.keys(MACHINES) as MachineName[]).map((k) => [k, model(result, MACHINES[k], tools)]),
                    ) as Record<MachineName, Modelled>;
                    const ignoringEvidence = model(result, MACHINES.laptop, tools, { cutOffIgnoresEvidence: true });
                    rows.push({ ...base, analysis: analyse(result), modelled, ignoringEvidence });
                } catch (e) {
                    rows.push({ ...base, error: (e instanceof Error ? e.message : String(e)).split("\n").join(" ") });
                }
                log(`  ${level}, ${mode}, ${pods} pods`);
            }
        }
    }

    process.stdout.write(report({ rows, tools, cost, reps }));
    log("pre-staged containment …");
    process.stdout.write(`\n${await prestagedSection(tools)}`);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(1);
    });
}
