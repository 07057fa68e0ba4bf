import { writeFileSync } from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { isDestructive, type Level } from "../../core/levels";
import type { Colors } from "./color";
import { EXIT, escalateConfig, listKeys, openConfig, parallelFor, stackName, toConfigMap, validate, type OpenFlags } from "./flags";
import { oneWayOf } from "./record";
import { reportModel, renderMarkdown } from "./report";
import { renderHtml } from "./reportHtml";
import { renderStatus, statusOf } from "./status";
import { progressLine, renderSummary } from "./summary";
import { renderVerify, verifyReport } from "./verify";
import * as ws from "./workspace";

/** The commands, each a short script over `workspace.ts`; `main.ts` parses flags and maps errors to exit codes. */

export interface Io {
    out(s: string): void;
    err(s: string): void;
    /** Colours for stdout and for stderr: each stream is a TTY or not on its own. */
    readonly c: Colors;
    readonly ce: Colors;
    /** Reads one line from the responder; undefined when stdin is not a terminal. */
    ask?(question: string): Promise<string>;
    readonly session: ws.Session;
    /** Throws when no Pulumi CLI is on the PATH; called before the first backend call. */
    requirePulumi?(): void;
}

/** What each destructive level deletes, in the README ladder's words, shown before anything runs. */
const DELETES: Record<string, string> = {
    redeploy: "deletes every quarantined pod (kubectl delete pod --grace-period=10): one-way",
    "delete-workload": "scales the owning workload to zero (Jobs and CronJobs suspended), or deletes it with quarantine:workloadAction delete (one-way)",
    "delete-node": "deletes the node's VM (lifting the quarantine's deletion protection) and its Node object: one-way; the snapshots are what remains of its disks",
};

async function confirm(io: Io, question: string, yes: boolean): Promise<boolean> {
    if (yes) return true;
    if (!io.ask) {
        io.err("stdin is not a terminal, so nobody can confirm: pass --yes to proceed without the prompt.");
        return false;
    }
    return /^y(es)?$/i.test((await io.ask(`${question} [y/N] `)).trim());
}

const message = (what: string) => `quarantine ${what} by ${ws.responder()}`;

/** Preview with the policy pack, print what will happen, ask, then update. Returns an exit code. */
async function previewThenUp(io: Io, stack: Stack, o: { headline: string; what: string; yes: boolean; pods: number; nodes: number; policyPack: boolean; onApply?: () => void }): Promise<number> {
    const parallel = parallelFor(o.pods, o.nodes);
    const policyPacks = o.policyPack ? [ws.POLICY_PACK] : undefined;
    io.err(io.ce.dim(`previewing ${stack.name} (policy pack ${o.policyPack ? "on" : "OFF"}, --parallel ${parallel})…`));
    const preview = new ws.EventLog();
    await stack.preview({ diff: true, policyPacks, parallel, message: message(o.what), onEvent: preview.on });
    const oneWay = Array.isArray(preview.stackOutputs.oneWayActions) ? (preview.stackOutputs.oneWayActions as string[]) : undefined;
    io.out(renderSummary({ headline: o.headline, steps: preview.steps, oneWayActions: oneWay, warnings: preview.warnings, policyViolations: preview.policyViolations }, io.c));
    if (!(await confirm(io, "\nApply this quarantine?", o.yes))) return EXIT.declined;
    o.onApply?.();
    const update = new ws.EventLog((s, failed) => io.err(progressLine(s, failed, io.ce)));
    io.err(io.ce.dim(`updating ${stack.name} (continue on error: a failed capture never stops the cut-off)…`));
    // continueOnError: the engine still starts every step that does not depend on a failed one.
    await stack.up({ parallel, continueOnError: true, policyPacks, message: message(o.what), onEvent: update.on });
    const outputs = await stack.outputs();
    const oneWayNow = (outputs.oneWayActions?.value ?? []) as string[];
    io.out(io.c.green(io.c.bold(`\n${stack.name} updated.`)));
    if (oneWayNow.length) io.out(`One-way (destroy will not undo):\n${oneWayNow.map((a) => `  - ${a}`).join("\n")}`);
    if (outputs.bastionSshCommand?.value) io.out(`Inspect through the bastion: ${outputs.bastionSshCommand.value}`);
    io.out(`Next: quarantine verify ${stack.name.slice("incident-".length)}`);
    return EXIT.ok;
}

export async function open(io: Io, id: string, f: OpenFlags & { yes: boolean; policyPack: boolean }): Promise<number> {
    const set = openConfig(id, f);
    // Validated against this checkout's stack config before the backend is touched.
    validate(id, ws.localStackConfig(stackName(id)), set, f);
    io.requirePulumi?.();
    const stack = await ws.createOrSelect(io.session, stackName(id));
    validate(id, await ws.currentConfig(stack), set, f);
    await ws.writeConfig(stack, toConfigMap(set), listKeys(set));
    const level = set["quarantine:level"];
    const flags = [...f.pod.map((p) => `--pod ${p}`), ...f.node.map((n) => `--node ${n}`), `--level ${level}`, ...(f.immediate ? ["--immediate"] : [])].join(" ");
    return previewThenUp(io, stack, { headline: `Incident ${id}: ${level}${f.immediate ? ", node cut off immediately" : ""}`, what: `open ${id} ${flags}`, yes: f.yes, pods: f.pod.length, nodes: f.node.length, policyPack: f.policyPack });
}

export async function escalate(io: Io, id: string, level: string, f: { confirm?: string; yes: boolean; policyPack: boolean }): Promise<number> {
    escalateConfig(id, level, id); // refuses a bad id or level before anything else
    const stack = await ws.select(io.session, stackName(id));
    const current = await ws.currentConfig(stack);
    let typed = id;
    if (isDestructive(level as Level)) {
        io.out(io.c.red(io.c.bold(`quarantine:level ${level} ${DELETES[level]}.`)));
        if (f.confirm === undefined && !io.ask) {
            io.err("stdin is not a terminal: pass --confirm <id> to acknowledge the destructive level.");
            return EXIT.declined;
        }
        typed = f.confirm ?? (await io.ask!(`Type the incident id (${id}) to acknowledge: `));
        if (typed.trim() !== id) {
            io.err(`"${typed.trim()}" is not incident ${id}: nothing changed.`);
            return EXIT.declined;
        }
    }
    const set = escalateConfig(id, level, typed);
    validate(id, current, set);
    const before = Object.fromEntries(Object.keys(set).map((k) => [k, current[k]]));
    await ws.writeConfig(stack, toConfigMap(set), []);
    const pods = JSON.parse(current["quarantine:pods"] ?? "[]").length;
    const nodes = JSON.parse(current["quarantine:nodes"] ?? "[]").length;
    // Until the update starts, the acknowledgement must not stay behind (declined, or the preview
    // failed) for a later `pulumi up` to act on. Once it started, the config says what it ran with.
    let applying = false;
    try {
        const code = await previewThenUp(io, stack, { headline: `Incident ${id}: escalate to ${level}`, what: `escalate ${id} ${level}`, yes: f.yes, pods, nodes, policyPack: f.policyPack, onApply: () => (applying = true) });
        if (!applying) await restore(stack, before);
        return code;
    } catch (e) {
        if (!applying) await restore(stack, before);
        throw e;
    }
}

async function restore(stack: Stack, before: Record<string, string | undefined>): Promise<void> {
    for (const [k, v] of Object.entries(before)) {
        if (v === undefined) await stack.removeConfig(k);
        else await stack.setConfig(k, { value: v });
    }
}

export async function status(io: Io, id: string | undefined, json: boolean): Promise<number> {
    const stacks = (await ws.incidentStacks(io.session)).filter((s) => id === undefined || s.id === id);
    if (id !== undefined && stacks.length === 0) {
        io.err(`No stack ${stackName(id)} in this backend: quarantine open ${id} --pod ns/name creates it.`);
        return EXIT.failed;
    }
    const all = [];
    for (const s of stacks) all.push(statusOf(await ws.readRecord(await ws.select(io.session, s.name), s.id, s.updateInProgress)));
    io.out(json ? JSON.stringify(all, null, 2) : renderStatus(all, io.c));
    return EXIT.ok;
}

export async function verify(io: Io, id: string, json: boolean): Promise<number> {
    const stack = await ws.select(io.session, stackName(id));
    const declared = await ws.resourcesOf(stack);
    io.err(io.ce.dim(`refreshing ${stack.name} from the cluster and the cloud…`));
    await stack.refresh({ message: message(`verify ${id}`) });
    const record = await ws.readRecord(stack, id);
    const report = verifyReport(record, declared, await ws.resourcesOf(stack), ws.liveReads(record.outputs, await ws.currentConfig(stack)));
    io.out(json ? JSON.stringify(report, null, 2) : renderVerify(report, io.c));
    return report.holds ? EXIT.ok : EXIT.notHeld;
}

export async function close(io: Io, id: string, f: { yes: boolean; report?: string }): Promise<number> {
    const stack = await ws.select(io.session, stackName(id));
    // The outputs and resources are gone after destroy: read them first, for the report.
    const before = await ws.readRecord(stack, id);
    const resources = await ws.resourcesOf(stack);
    io.out(`Closing incident ${id}: destroy takes the quarantine down; snapshots, the bucket, its objects and the manifest stay.`);
    if (!(await confirm(io, "Release the quarantine?", f.yes))) return EXIT.declined;
    const done = new ws.EventLog((s, failed) => io.err(progressLine(s, failed, io.ce)));
    await stack.destroy({ continueOnError: true, message: message(`close ${id}`), onEvent: done.on });
    const after = { ...before, history: (await ws.readRecord(stack, id)).history };
    const file = f.report ?? `quarantine-${stackName(id)}-report.md`;
    writeFileSync(file, renderMarkdown(reportModel({ record: after, resources, generatedAt: new Date().toISOString() })));
    const o = before.outputs;
    io.out(io.c.bold("\nWhat stays:"));
    for (const s of o.snapshotNames ?? []) io.out(`  snapshot ${s}`);
    if (o.evidenceBucket) io.out(`  bucket gs://${o.evidenceBucket} and every object in it`);
    if (o.custodyManifestObject) io.out(`  custody manifest gs://${o.evidenceBucket}/${o.custodyManifestObject}`);
    for (const a of oneWayOf(o)) io.out(`  one-way: ${a}`);
    io.out(`Report written to ${file} (the stack's outputs are gone now; keep it with the case).`);
    return EXIT.ok;
}

export async function report(io: Io, id: string, f: { format: string; out?: string; json: boolean }): Promise<number> {
    const stack = await ws.select(io.session, stackName(id));
    const record = await ws.readRecord(stack, id);
    const model = reportModel({ record, resources: await ws.resourcesOf(stack), generatedAt: new Date().toISOString() });
    if (Object.keys(record.outputs).length === 0) io.err(`${stack.name} holds no outputs (closed?): the full report is the one close wrote, quarantine-${stack.name}-report.md.`);
    const text = f.json ? JSON.stringify(model, null, 2) : f.format === "html" ? renderHtml(model) : renderMarkdown(model);
    if (f.out) {
        writeFileSync(f.out, text);
        io.err(`report written to ${f.out}`);
    } else {
        io.out(text);
    }
    return EXIT.ok;
}
