import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { LocalWorkspace, StackNotFoundError, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { toConfigMap } from "./flags";
import { normalizeHistory, type IncidentRecord, type Outputs, type RawUpdate } from "./record";
import type { PlannedStep } from "./summary";
import type { DeployedResource, LiveReads } from "./verify";

/**
 * The thin layer over Pulumi's Automation API: a LocalWorkspace on this project directory, so the
 * CLI runs exactly the program, Pulumi.yaml and stack configs a responder's `pulumi up` would.
 * The backend is whatever the Pulumi CLI is logged in to, or `PULUMI_BACKEND_URL` (the CLI reads
 * it from the environment the Automation API passes on). Everything here talks to the backend or
 * the cloud; everything it returns goes to the pure modules beside it.
 */

/** This checkout; QUARANTINE_PROJECT_DIR points at another copy of the project (the e2e suite's). */
export const PROJECT_DIR = process.env.QUARANTINE_PROJECT_DIR ?? path.resolve(__dirname, "../..");
export const POLICY_PACK = path.join(PROJECT_DIR, "policies");

export interface Session {
    readonly secretsProvider?: string;
}

/** `user@host`, put in every update's message: the history then says who ran it. */
export function responder(): string {
    let user = process.env.USER ?? "unknown";
    try {
        user = os.userInfo().username;
    } catch {
        // No passwd entry (a container): $USER it is.
    }
    return `${user}@${os.hostname()}`;
}

export function select(s: Session, stackName: string): Promise<Stack> {
    return LocalWorkspace.selectStack({ stackName, workDir: PROJECT_DIR }, { secretsProvider: s.secretsProvider });
}

/** Selects the stack, or creates it and says so (a preview-only run removes what it created). */
export async function selectOrCreate(s: Session, stackName: string): Promise<{ stack: Stack; created: boolean }> {
    try {
        return { stack: await select(s, stackName), created: false };
    } catch (e) {
        if (!(e instanceof StackNotFoundError)) throw e;
        return { stack: await LocalWorkspace.createStack({ stackName, workDir: PROJECT_DIR }, { secretsProvider: s.secretsProvider }), created: true };
    }
}

/** Puts keys back as they were (undefined: not set); lists are removed whole, then set again. */
export async function putBack(stack: Stack, before: Record<string, string | undefined>): Promise<void> {
    const now = await currentConfig(stack);
    const present = Object.keys(before).filter((k) => k in now);
    if (present.length) await stack.removeAllConfig(present);
    const keep = toConfigMap(Object.fromEntries(Object.entries(before).filter((e): e is [string, string] => e[1] !== undefined)));
    if (Object.keys(keep).length) await stack.setAllConfig(keep, true);
}

/** Whether this checkout has the stack's config file (`Pulumi.<stack>.yaml`). */
export const hasLocalConfig = (stackName: string) => existsSync(path.join(PROJECT_DIR, `Pulumi.${stackName}.yaml`));

/** Removes a stack that holds no resources; its config file stays if this checkout had one before. */
export async function removeNewStack(stack: Stack, keepConfigFile: boolean): Promise<void> {
    await stack.workspace.removeStack(stack.name, { preserveConfig: keepConfigFile });
}

/**
 * The stack's config as its file in this checkout holds it (`Pulumi.<stack>.yaml`), without
 * touching the backend: what `open` validates its flags against before it creates anything.
 * Secrets are left out (they can't be read without the backend); the program checks them.
 */
export function localStackConfig(stackName: string): Record<string, string> {
    const file = path.join(PROJECT_DIR, `Pulumi.${stackName}.yaml`);
    if (!existsSync(file)) return {};
    const doc = (load(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc.config ?? {})) {
        if (v !== null && typeof v === "object" && "secure" in v) continue;
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

export async function currentConfig(stack: Stack): Promise<Record<string, string>> {
    const all = await stack.getAllConfig();
    return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.value]));
}

/** Writes the keys: list keys are cleared first, so a shorter list does not keep old entries. */
export async function writeConfig(stack: Stack, set: Record<string, { value: string; secret: boolean }>, lists: string[]): Promise<void> {
    if (lists.length) await stack.removeAllConfig(lists);
    await stack.setAllConfig(set, true);
}

/** Collects what a preview or update reports: each step, the stack's outputs, warnings, policy violations. */
export class EventLog {
    readonly steps: PlannedStep[] = [];
    readonly warnings: string[] = [];
    readonly errors: string[] = [];
    readonly policyViolations: string[] = [];
    stackOutputs: Record<string, any> = {};

    constructor(private readonly onStep?: (done: PlannedStep, failed: boolean) => void) {}

    readonly on = (e: EngineEvent): void => {
        const pre = e.resourcePreEvent?.metadata;
        if (pre) {
            // A preview's events are all `planning`; one step per URN, the latest event's.
            const state = pre.new ?? pre.old;
            const step = { op: pre.op, urn: pre.urn, type: pre.type, inputs: state?.inputs ?? {}, retainOnDelete: state?.retainOnDelete };
            const at = this.steps.findIndex((s) => s.urn === pre.urn);
            if (at >= 0) this.steps[at] = step;
            else this.steps.push(step);
        }
        const out = e.resOutputsEvent?.metadata;
        if (out) {
            if (out.type === "pulumi:pulumi:Stack") this.stackOutputs = out.new?.outputs ?? {};
            const step = this.steps.find((s) => s.urn === out.urn);
            if (step && this.onStep && step.op !== "same" && step.op !== "read") this.onStep(step, false);
        }
        const failed = e.resOpFailedEvent?.metadata;
        if (failed && this.onStep) this.onStep(this.steps.find((s) => s.urn === failed.urn) ?? { op: failed.op, urn: failed.urn, type: failed.type, inputs: {} }, true);
        const d = e.diagnosticEvent;
        if (d?.severity === "warning") this.warnings.push(d.message.trim());
        if (d?.severity === "error") this.errors.push(d.message.trim());
        const p = e.policyEvent;
        if (p) this.policyViolations.push(`[${p.enforcementLevel}] ${p.policyName}: ${p.message.trim()}`);
    };
}

const plain = (m: Record<string, { value: any }>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.value]));

/** Everything the renderers read about one incident stack. */
export async function readRecord(stack: Stack, incidentId: string, updateInProgress = false): Promise<IncidentRecord> {
    const [outputs, history] = await Promise.all([stack.outputs(), stack.history(50)]);
    return { stack: stack.name, incidentId, outputs: plain(outputs) as Outputs, history: normalizeHistory(history as unknown as RawUpdate[]), updateInProgress };
}

export async function resourcesOf(stack: Stack): Promise<DeployedResource[]> {
    const d = await stack.exportStack();
    return ((d.deployment as { resources?: DeployedResource[] }).resources ?? []) as DeployedResource[];
}

/** Every `incident-*` stack of this project in the current backend, with its lock flag. */
export async function incidentStacks(s: Session): Promise<{ name: string; id: string; updateInProgress: boolean }[]> {
    const ws = await LocalWorkspace.create({ workDir: PROJECT_DIR, secretsProvider: s.secretsProvider });
    const all = await ws.listStacks();
    return all
        .map((x) => ({ name: x.name.split("/").pop() ?? x.name, updateInProgress: x.updateInProgress ?? false }))
        .filter((x) => /^incident-/.test(x.name))
        .map((x) => ({ ...x, id: x.name.slice("incident-".length) }))
        .sort((a, b) => a.name.localeCompare(b.name));
}

function runJson(cmd: string, args: string[]): { json?: any; error?: string } {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000 });
    if (r.error) return { error: `${cmd}: ${(r.error as NodeJS.ErrnoException).code === "ENOENT" ? "not on the PATH" : r.error.message}` };
    if (r.status !== 0) return { error: `${cmd} ${args.slice(0, 3).join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").pop()}` };
    try {
        return { json: JSON.parse(r.stdout) };
    } catch {
        return { error: `${cmd} printed no JSON` };
    }
}

/**
 * What `verify` reads live beside the refresh: each quarantined VM through gcloud (its tags and
 * external IP were set by commands, which a refresh can't read back) and every NetworkPolicy of
 * each pod's namespace through kubectl, with the stack's own project and context.
 */
export function liveReads(o: Outputs, config: Record<string, string>): LiveReads {
    const vms: LiveReads["vms"] = {};
    const project = config["gcp:project"];
    const context = config["kubernetes:context"];
    for (const n of o.nodes ?? []) {
        const instance = o.memory?.incident.nodes.find((v) => v.name === n.node)?.instance ?? n.node;
        const r = runJson("gcloud", ["compute", "instances", "describe", instance, `--zone=${n.zone}`, `--project=${project}`, "--format=json"]);
        vms[n.node] = { instance: r.json, error: r.error };
    }
    const policies: LiveReads["policies"] = {};
    for (const ns of new Set((o.nodes ?? []).flatMap((n) => n.pods).map((p) => p.split("/")[0]))) {
        const r = runJson("kubectl", ["--context", context, "get", "networkpolicies", "-n", ns, "-o", "json"]);
        policies[ns] = { items: r.json?.items, error: r.error };
    }
    return { vms, policies };
}
