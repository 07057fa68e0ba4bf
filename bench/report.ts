import { cpus } from "os";
import type { Analysis, Modelled, MachineName } from "./criticalPath";
import { MACHINES } from "./criticalPath";
import { LATENCY, providerPolls, runbook, runbookTimes, type Tools } from "./latency";
import { COMMITTED, PRECOMPILED, type ProgramCost } from "./programCost";

/** Markdown for `npm run bench`: the three sections of bench/README.md's "Latest figures". */

export interface Row {
    readonly level: string;
    readonly mode: string;
    readonly pods: number;
    readonly nodes: number;
    readonly analysis?: Analysis;
    readonly modelled?: Record<MachineName, Modelled>;
    /** The laptop, had node isolation not waited for evidence. */
    readonly ignoringEvidence?: Modelled;
    readonly error?: string;
}

export interface Inputs {
    readonly rows: readonly Row[];
    readonly tools: Tools;
    readonly cost: ProgramCost;
    readonly reps: number;
}

const NA = "n/a at this level";
const table = (head: string[], rows: (string | number)[][]) =>
    [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const n = (x: number | undefined, digits = 0) => (x === undefined ? NA : x.toFixed(digits));
const sec = (x: number | undefined) => (x === undefined ? NA : x < 10 ? x.toFixed(1) : x.toFixed(0));

/** Plugins, discovery reads and the program run twice (preview, then update): before any step. */
export function prefix(inputs: Inputs, pods: number): number {
    const start = (loader: string) => inputs.cost.startup.find((s) => s.loader === loader)!.ms;
    const loaderOverhead = Math.max(0, start(COMMITTED) - start(PRECOMPILED)) / 1000;
    const evaluation = inputs.cost.sizes.find((s) => s.pods === pods)!.sample.lastRegistrationMs / 1000;
    const discovery = 3 * LATENCY.apiCall.s; // Pod.get → Node.get → getInstance, one after another
    return PLUGINS + 2 * (loaderOverhead + evaluation + discovery);
}
const PLUGINS = 2; // estimate: CLI, language host and three provider plugins starting

function structure(inputs: Inputs): string {
    const ok = inputs.rows.filter((r) => r.analysis);
    const out = [
        "### 1. Critical path (operations on the longest dependency chain; structure, no clock)",
        "",
        "Every run first reads the pod, its node and its VM (three reads, one after another, at every N); they are not counted.",
        "",
        table(
            ["level", "node isolation", "pods", "nodes", "steps", "pod isolated", "node isolated", "ext. IP removed", "before the last snapshot starts", "before the first destructive step", "runbook: before the node is cut off"],
            ok.map((r) => {
                const d = r.analysis!.depths;
                return [r.level, r.mode, r.pods, r.nodes, r.analysis!.steps, n(d.podIsolated), n(d.nodeIsolated), n(d.externalIpRemoved), n(d.snapshotsStarted), n(d.firstDestructive), runbookTimes(runbook(r.pods, r.nodes, inputs.tools)).nodeIsolated.steps];
            }),
        ),
    ];
    for (const r of inputs.rows.filter((x) => x.error)) out.push("", `${r.level}, ${r.mode}, ${r.pods} pods: the program refused: ${r.error}`);
    for (const r of ok.filter((x) => x.pods === 1)) {
        out.push("", `Longest chain to node isolation, ${r.level}, ${r.mode}, 1 pod: ${r.analysis!.nodeChain.join(" → ")}`);
        if (r.analysis!.destructiveChain.length) out.push(`Longest chain to the first destructive step: ${r.analysis!.destructiveChain.join(" → ")}`);
    }
    const seed = runbook(1, 1, inputs.tools);
    out.push("", "The seed runbook, in its order, for 1 pod (sequential; the node is cut off after step 8):", "");
    seed.forEach((s, i) => out.push(`${i + 1}. ${s.title}${s.marks?.includes("node-isolated") ? " ← node cut off" : ""}`));
    return out.join("\n");
}

function times(inputs: Inputs): string {
    const ok = inputs.rows.filter((r) => r.modelled);
    const out = [
        "### 2. Modelled time to containment (seconds)",
        "",
        `Machine: the responder's laptop — 8 cores, \`--parallel 32\` (the CLI default, 4 × CPUs), local state. Times count from the update's first step; "before the first step" is the CLI and plugins (${PLUGINS} s, estimate), the program run twice (preview, then update; loaded as Pulumi.yaml says, measured in section 3) and the discovery reads. The runbook columns apply the same latency table to the runbook's order, one command after another, without the time a responder takes to read and type.`,
        "",
        table(
            ["level", "node isolation", "pods", "before the first step", "pod isolated", "node isolated", "node isolated from `pulumi up --yes`", "ext. IP removed", "last snapshot started", "first destructive step", "update done", "runbook: pod and node isolated", "runbook: last snapshot started"],
            ok.map((r) => {
                const m = r.modelled!.laptop;
                const rb = runbookTimes(runbook(r.pods, r.nodes, inputs.tools));
                const p = prefix(inputs, r.pods);
                return [r.level, r.mode, r.pods, sec(p), sec(m.podIsolated), sec(m.nodeIsolated), sec(m.nodeIsolated === undefined ? undefined : p + m.nodeIsolated), sec(m.externalIpRemoved), sec(m.snapshotsStarted), sec(m.firstDestructive), sec(m.updateDone), sec(rb.nodeIsolated.s), sec(rb.snapshotsStarted.s)];
            }),
        ),
        "",
        "Where the time goes: the same graphs on other machines (isolate level; seconds from the first step to pod / node isolation).",
        "",
    ];
    const at = (pods: number, mode: string) => ok.find((r) => r.level === "isolate" && r.mode === mode && r.pods === pods);
    const sizes = [...new Set(ok.map((r) => r.pods))];
    const cells = (pick: (r: Row) => Modelled | undefined) =>
        sizes.flatMap((p) =>
            ["after-drain", "immediate"].map((mode) => {
                const row = at(p, mode);
                const m = row && pick(row);
                return m ? `${sec(m.podIsolated)} / ${sec(m.nodeIsolated)}` : NA;
            }),
        );
    out.push(
        table(
            ["machine", ...sizes.flatMap((p) => [`${p} pods, after-drain`, `${p} pods, immediate`])],
            [
                ...(Object.keys(MACHINES) as MachineName[]).map((k) => [MACHINES[k].label, ...cells((r) => r.modelled?.[k])]),
                ["laptop, had node isolation not waited for evidence captures", ...cells((r) => r.ignoringEvidence)],
            ],
        ),
    );
    out.push("", "The latency table:", "", latencyTable(inputs.tools));
    return out.join("\n");
}

function latencyTable(tools: Tools): string {
    const rows: string[][] = [
        ["gcloud start-up (per invocation)", `${tools.gcloud.wall.toFixed(2)} s wall, ${tools.gcloud.cpu.toFixed(2)} s CPU`, tools.gcloud.source],
        ["kubectl start-up (per invocation)", `${tools.kubectl.wall.toFixed(2)} s wall, ${tools.kubectl.cpu.toFixed(2)} s CPU`, tools.kubectl.source],
        ...Object.entries(LATENCY).map(([k, v]) => [k, `${v.s} s`, v.source]),
        ["pulumi-gcp operation polling", `polls at ${providerPolls(40).join(", ")} … s`, "terraform-provider-google `tpgresource.OperationWait` (MinTimeout 2 s) + plugin SDK `StateChangeConf` backoff (doubling, 10 s cap)"],
        ["`pulumi up --parallel` default", "4 × CPUs", "pulumi/pulumi#15016 (Jan 2024; unbounded before, #2065); `PULUMI_PARALLEL` since #18782"],
        ["checkpoint write, local state", "5 ms + 0.04 ms × resources in state, 2 per step, serialized", "estimate; one full-state write per step begin and end"],
        ["checkpoint write, GCS bucket", "0.5 s + the same, 2 per step, serialized", "estimate; pulumi/pulumi#10960 reports 1-3 s per save on GCS, #14967 a 2:50 → 3 s update with PULUMI_SKIP_CHECKPOINTS"],
    ];
    return table(["operation", "figure", "source"], rows);
}

function cost(inputs: Inputs): string {
    const c = inputs.cost;
    const one = c.sizes.find((s) => s.pods === 1)!.sample;
    const most = c.sizes[c.sizes.length - 1];
    const out = [
        "### 3. Program cost (fresh process per run, precompiled JS, recording mock engine)",
        "",
        table(
            ["pods", "registrations", "process start → last registration (ms)", "peak RSS (MB)", `runs: to outputs (ms)`],
            c.sizes.map((s) => [s.pods, s.sample.registrations, s.sample.lastRegistrationMs.toFixed(0), s.sample.maxRssMb.toFixed(0), s.sample.runs.join(", ")]),
        ),
        "",
        `${most.pods}/1 pods: time ×${(most.sample.lastRegistrationMs / one.lastRegistrationMs).toFixed(1)}, peak memory ×${(most.sample.maxRssMb / one.maxRssMb).toFixed(1)}, registrations ×${(most.sample.registrations / one.registrations).toFixed(1)}.`,
        "",
        `TypeScript start-up as the Pulumi CLI runs \`stacks/incident/index.ts\`: the SDK's \`cmd/run\` launched as the nodejs language host launches it, against a gRPC mock engine (1 pod; process start → exit; median of ${inputs.reps}). \`tsc\` for the precompiled build took ${(c.build.ms / 1000).toFixed(1)} s${c.build.tscErrors ? " (it reported type errors elsewhere in the tree)" : ""}.`,
        "",
        table(
            ["loader", "Pulumi.yaml runtime options", "start → exit (ms)", "peak RSS (MB)", "runs (ms)"],
            c.startup.map((s) => [s.loader, s.how, s.ms.toFixed(0), s.maxRssMb === undefined ? "?" : s.maxRssMb.toFixed(0), s.runs.join(", ")]),
        ),
    ];
    return out.join("\n");
}

export function report(inputs: Inputs): string {
    const cpu = cpus();
    const head = `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${inputs.reps} repetitions.`;
    return [head, "", structure(inputs), "", times(inputs), "", cost(inputs), ""].join("\n");
}
