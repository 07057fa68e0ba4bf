import { writeFileSync } from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { isDestructive, type Level } from "../../core/levels";
import type { Colors } from "./color";
import { EXIT, UsageError, escalateConfig, listKeys, openConfig, parallelFor, stackName, toConfigMap, upParallel, validate, type OpenFlags } from "./flags";
import { alertLines, type Alert } from "./alert";
import { verifyCustody, type CustodyVerification } from "./custody";
import { readCustody } from "./custodyRead";
import { oneWayOf, type IncidentRecord } from "./record";
import { manifestUrl, reportModel, renderMarkdown } from "./report";
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
async function previewThenUp(
    io: Io,
    stack: Stack,
    o: { headline: string; what: string; yes: boolean; pods: number; nodes: number; policyPack: boolean; onApply?: () => void; previewOnly?: boolean; prelude?: string[] },
): Promise<number> {
    const parallel = parallelFor(o.pods, o.nodes);
    const policyPacks = o.policyPack ? [ws.POLICY_PACK] : undefined;
    io.err(io.ce.dim(`previewing ${stack.name} (policy pack ${o.policyPack ? "on" : "OFF"}, --parallel ${parallel})…`));
    const preview = new ws.EventLog();
    await stack.preview({ diff: true, policyPacks, parallel, message: message(o.what), onEvent: preview.on });
    const oneWay = Array.isArray(preview.stackOutputs.oneWayActions) ? (preview.stackOutputs.oneWayActions as string[]) : undefined;
    for (const l of o.prelude ?? []) io.out(l);
    io.out(renderSummary({ headline: o.headline, steps: preview.steps, oneWayActions: oneWay, warnings: preview.warnings, policyViolations: preview.policyViolations }, io.c));
    if (o.previewOnly) {
        io.out(`\nPreview only: nothing was changed. To apply: quarantine ${o.what}`);
        return EXIT.ok;
    }
    if (!(await confirm(io, "\nApply this quarantine?", o.yes))) return EXIT.declined;
    o.onApply?.();
    const update = new ws.EventLog((s, failed) => io.err(progressLine(s, failed, io.ce)));
    io.err(io.ce.dim(`updating ${stack.name} (continue on error: a failed capture never stops the cut-off)…`));
    // continueOnError: the engine still starts every step that does not depend on a failed one.
    // The preview counted the steps: pods found by image, credentials and secrets included, which
    // the flags alone can't size (a step waiting for a slot can be the cut-off: bench/README.md).
    const slots = upParallel(parallel, preview.steps.length);
    await stack.up({ parallel: slots, continueOnError: true, policyPacks, message: message(o.what), onEvent: update.on });
    const outputs = await stack.outputs();
    const oneWayNow = (outputs.oneWayActions?.value ?? []) as string[];
    io.out(io.c.green(io.c.bold(`\n${stack.name} updated.`)));
    if (oneWayNow.length) io.out(`One-way (destroy will not undo):\n${oneWayNow.map((a) => `  - ${a}`).join("\n")}`);
    if (outputs.bastionSshCommand?.value) io.out(`Inspect through the bastion: ${outputs.bastionSshCommand.value}`);
    io.out(`Next: quarantine verify ${stack.name.slice("incident-".length)}`);
    return EXIT.ok;
}

/**
 * The alert's pod and node as `--pod`/`--node`, and its project and cluster as `--project` and
 * `--context` where neither a flag nor the stack's config says otherwise. A stack pinned to
 * another project or cluster than the alert's is refused: a pod of the same name there is not the
 * one the alert is about (a flag overrides, knowingly).
 */
export function alertFlags(f: OpenFlags, alert: Alert | undefined, config: Record<string, string>): OpenFlags {
    if (!alert) return f;
    const fill = (flag: string | undefined, key: string, v: string | undefined) => {
        if (flag !== undefined) return flag;
        const pinned = config[key];
        if (pinned !== undefined && v !== undefined && pinned !== v) {
            const option = key === "gcp:project" ? "--project" : "--context";
            throw new UsageError([`--from-alert: the alert is about ${key} ${JSON.stringify(v)}, but the stack's config says ${JSON.stringify(pinned)}; pass ${option} to choose`]);
        }
        return pinned === undefined ? v : undefined;
    };
    return { ...f, pod: [alert.pod], node: alert.node ? [alert.node] : [], project: fill(f.project, "gcp:project", alert.project), context: fill(f.context, "kubernetes:context", alert.context) };
}

export async function open(io: Io, id: string, flags: OpenFlags & { yes: boolean; policyPack: boolean; previewOnly?: boolean; alert?: Alert }): Promise<number> {
    const local = ws.localStackConfig(stackName(id));
    const hadConfigFile = ws.hasLocalConfig(stackName(id));
    // Validated against this checkout's stack config before the backend is touched.
    validate(id, local, openConfig(id, alertFlags(flags, flags.alert, local)), alertFlags(flags, flags.alert, local));
    io.requirePulumi?.();
    const { stack, created } = await ws.selectOrCreate(io.session, stackName(id));
    const current = await ws.currentConfig(stack);
    const f = alertFlags(flags, flags.alert, current);
    const set = openConfig(id, f);
    validate(id, current, set, f);
    const before = Object.fromEntries(Object.keys(set).map((k) => [k, current[k]]));
    await ws.writeConfig(stack, toConfigMap(set), listKeys(set));
    const level = set["quarantine:level"];
    const words = [
        ...f.pod.map((p) => `--pod ${p}`),
        ...f.node.map((n) => `--node ${n}`),
        ...(f.image ?? []).map((i) => `--image ${i}`),
        ...(f.credential ?? []).map((c) => `--credential ${c}`),
        `--level ${level}`,
        ...(f.immediate ? ["--immediate"] : []),
        ...(f.project ? [`--project ${f.project}`] : []),
        ...(f.context ? [`--context ${f.context}`] : []),
    ].join(" ");
    const run = () =>
        previewThenUp(io, stack, {
            headline: `Incident ${id}: ${level}${f.immediate ? ", node cut off immediately" : ""}`,
            what: `open ${id} ${words}`,
            yes: flags.yes,
            pods: f.pod.length,
            nodes: f.node.length,
            policyPack: flags.policyPack,
            previewOnly: flags.previewOnly,
            prelude: flags.alert ? [...alertLines(flags.alert), ""] : undefined,
        });
    if (!flags.previewOnly) return run();
    // A preview must leave nothing behind for a later `pulumi up` to act on: the stack's config
    // as it was, and no stack at all where it made one (keeping a config file it did not write).
    try {
        return await run();
    } finally {
        await ws.putBack(stack, before);
        if (created) await ws.removeNewStack(stack, hadConfigFile);
    }
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
    const custody = await checkCustody(io, before);
    writeFileSync(file, renderMarkdown(reportModel({ record: after, resources, generatedAt: new Date().toISOString(), custody })));
    const o = before.outputs;
    io.out(io.c.bold("\nWhat stays:"));
    for (const s of o.snapshotNames ?? []) io.out(`  snapshot ${s}`);
    if (o.evidenceBucket) io.out(`  bucket gs://${o.evidenceBucket} and every object in it`);
    if (o.custodyManifestObject) io.out(`  custody manifest gs://${o.evidenceBucket}/${o.custodyManifestObject}`);
    for (const a of oneWayOf(o)) io.out(`  one-way: ${a}`);
    io.out(`Report written to ${file} (the stack's outputs are gone now; keep it with the case).`);
    return EXIT.ok;
}

/** The custody manifest checked against the bucket's objects, where the stack recorded any. */
async function checkCustody(io: Io, r: IncidentRecord): Promise<CustodyVerification | undefined> {
    const artifacts = r.outputs.custodyManifest?.artifacts ?? [];
    const manifest = manifestUrl(r.outputs);
    const objects = [...artifacts.map((a) => a.object), ...(manifest ? [manifest] : [])];
    if (objects.length === 0) return undefined;
    io.err(io.ce.dim(`reading ${objects.length} evidence objects back from the bucket to check their sha256…`));
    return verifyCustody(await readCustody(objects), artifacts, manifest);
}

export async function report(io: Io, id: string, f: { format: string; out?: string; json: boolean }): Promise<number> {
    const stack = await ws.select(io.session, stackName(id));
    const record = await ws.readRecord(stack, id);
    const model = reportModel({ record, resources: await ws.resourcesOf(stack), generatedAt: new Date().toISOString(), custody: await checkCustody(io, record) });
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
