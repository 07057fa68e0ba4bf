import { readFileSync, existsSync } from "fs";
import { join } from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { scaledCluster } from "../../tools/mockEngine/sampleCluster";
import { Plan, run } from "../harness";
import { standIns } from "../standIns";

/**
 * Commands are an attack surface: a pod or node name comes from the cluster, which the attacker
 * may control. Every rule below holds for every command the stack declares.
 */
/** Namespaces no script could contain by accident (`default` is also a service account name). */
function hostileFreeCluster() {
    const c = scaledCluster(4, 2);
    const ns = (n: string) => (n === "default" ? "ns-alpha" : "ns-beta");
    return {
        ...c,
        pods: c.pods.map((p) => ({ ...p, namespace: ns(p.namespace) })),
        owned: (c.owned ?? []).map((o) => ({ ...o, namespace: ns(o.namespace) })),
    };
}

let plan: Plan;
beforeAll(async () => {
    // The highest level declares every kind of command there is.
    plan = await run({
        cluster: hostileFreeCluster(),
        config: { "quarantine:level": "delete-node", "quarantine:confirm": "incident-42", "quarantine:capture": '{"exec":true}' },
    });
});

describe("every command", () => {
    it("runs bash with set -euo pipefail, and hands its previous stdout back only to a step that records in it", () => {
        expect(plan.commands().length).toBeGreaterThan(10);
        for (const c of plan.commands()) {
            expect(c.inputs.interpreter, c.name).toEqual(["/bin/bash", "-c"]);
            // Only a step whose stdout is its record (the detach, a workload's stop) gets it back.
            expect(c.inputs.addPreviousOutputInEnv, c.name).toBe(c.name.endsWith("/detach") || c.name.includes("/workload/"));
            for (const script of [c.inputs.create, c.inputs.delete]) {
                expect(script, c.name).toMatch(/^# step: .*\n# destroy: .*\n# kind: .*\n# script: .*\nset -euo pipefail\n/);
            }
        }
    });

    it("has constant script text: no name, zone, project or context is spliced in", () => {
        for (const c of plan.commands()) {
            const values = Object.entries(c.inputs.environment as Record<string, string>)
                .filter(([k]) => !["QUARANTINE_STEP", "WAS_PROTECTED", "MIG_SCOPE", "ANNOTATION", "OWNER_ANNOTATION", "KIND"].includes(k))
                .map(([, v]) => v)
                .filter((v) => v !== "");
            for (const v of values) {
                expect(c.inputs.create.includes(v), `${c.name} create contains ${v}`).toBe(false);
                expect(c.inputs.delete.includes(v), `${c.name} delete contains ${v}`).toBe(false);
            }
        }
        // Same step, other node: the same script.
        const tags = plan.all("/tag");
        expect(tags).toHaveLength(2);
        expect(tags[0].inputs.create).toBe(tags[1].inputs.create);
    });

    it("passes --context to every kubectl and --project and --zone or --region to every gcloud", () => {
        for (const c of plan.commands()) {
            for (const script of [c.inputs.create, c.inputs.delete] as string[]) {
                const lines = script.split("\n").filter((l) => !l.startsWith("#"));
                for (const l of lines.filter((x) => /\bgcloud compute\b/.test(x))) {
                    expect(l, c.name).toContain('--project "$PROJECT"');
                    expect(l, c.name).toMatch(/--zone "\$ZONE"|"\$scope" "\$MIG_LOCATION"/);
                }
                if (/\bk (get|drain|label|annotate)\b/.test(script)) {
                    expect(script, c.name).toContain('kubectl --context "$CONTEXT"');
                }
            }
        }
    });

    it("quotes every variable it expands", () => {
        for (const c of plan.commands()) {
            const env = Object.keys(c.inputs.environment);
            for (const script of [c.inputs.create, c.inputs.delete] as string[]) {
                for (const name of env) {
                    const unquoted = new RegExp(`(^|[^"=])\\$${name}\\b`, "m");
                    expect(unquoted.test(script.replace(/"[^"\n]*"/g, '""')), `${c.name}: $${name} unquoted`).toBe(false);
                }
            }
        }
    });
});

/**
 * Bypassing config validation: even a hostile name that reached a script stays one argument.
 * The scripts run for real against stand-in `kubectl` and `gcloud` that record their arguments.
 */
describe("hostile names reaching a script", () => {
    const hostile = ['$(touch "$CANARY")', '`touch "$CANARY"`', '; touch "$CANARY"', "a'b\"c", "x\ny", "-rf"];

    it.each(hostile)("%j stays a single argument and runs nothing", (name) => {
        // Each stand-in records every argument NUL-terminated and prints nothing to stdout.
        const record = (tool: string) => `printf '%s\\0' "${tool}" "$@" >> "$RECORD"\nprintf '\\0\\n' >> "$RECORD"`;
        const s = standIns("hostile", { kubectl: record("kubectl"), gcloud: record("gcloud") });
        const canary = join(s.dir, "canary");
        const recordFile = join(s.dir, "record");
        for (const c of plan.commands()) {
            const env: Record<string, string> = {};
            for (const [k, v] of Object.entries(c.inputs.environment as Record<string, string>)) {
                env[k] = ["NODE", "POD", "NAMESPACE", "INSTANCE", "TAG", "MIG", "NAME", "PREFIX"].includes(k) ? name : v;
            }
            for (const script of [c.inputs.create, c.inputs.delete] as string[]) {
                try {
                    s.run(script, { RECORD: recordFile, CANARY: canary, ...env }, { timeout: 10_000 });
                } catch {
                    // A script may fail on the fakes' empty answers; what matters is what it ran.
                }
            }
        }
        expect(existsSync(canary)).toBe(false);
        const args = readFileSync(recordFile, "utf8").split("\0");
        expect(args.filter((a) => a === name).length).toBeGreaterThan(0);
    });
});

describe("destroy's label restore", () => {
    /** Runs the detach step's delete with `recorded` as the create's stdout in state; returns the label call and stdout. */
    function restore(recorded: string, podAnnotations = ""): { label: string[]; all: string[]; stdout: string } {
        const s = standIns("restore", {
            kubectl: `printf '%s\\0' "$@" >> "$RECORD"\nprintf '\\n' >> "$RECORD"\nif [[ "$*" == *"-o name"* ]]; then echo pod/web; exit 0; fi\nif [[ "$*" == *go-template* ]]; then printf '${podAnnotations}'; fi`,
        });
        const record = join(s.dir, "record");
        const detach = plan.commands().find((c) => c.name.endsWith("/detach"))!;
        const stdout = s.run(detach.inputs.delete, { RECORD: record, ...detach.inputs.environment, PULUMI_COMMAND_STDOUT: recorded });
        const calls = readFileSync(record, "utf8").split("\n").map((l) => l.split("\0"));
        const label = calls.find((c) => c.includes("label")) ?? [];
        return { label: label.slice(label.indexOf("--") + 1).filter(Boolean), all: calls.flat(), stdout };
    }

    it("hands the delete the create's stdout from state", () => {
        expect(plan.commands().find((c) => c.name.endsWith("/detach"))!.inputs.addPreviousOutputInEnv).toBe(true);
    });

    it("restores only well-formed labels from the record, never a line that would be a flag", () => {
        const r = restore("detached 4 labels\nlabel app=web\nlabel --server=http://evil.example\nlabel team/owner=payments\nlabel bad key=x\n");
        const detach = plan.commands().find((c) => c.name.endsWith("/detach"))!;
        expect(r.label).toEqual([detach.inputs.environment.POD, "app=web", "team/owner=payments"]);
        expect(r.all).not.toContain("--server=http://evil.example");
        expect(r.stdout).toBe("restored 2 labels\n");
    });

    it("never reads what the pod says about itself: an annotation the attacker pre-set restores nothing", () => {
        const r = restore("detached 0 labels\n", "quarantine/detached-labels=admin=true");
        expect(r.all.some((a) => a.includes("go-template"))).toBe(false);
        expect(r.stdout).toBe("restored 0 labels\n");
    });
});

describe("destroy's deletion protection", () => {
    function unprotect(tags: string): { stdout: string; calls: string } {
        const s = standIns("unprotect", {
            gcloud: `printf '%s ' "$@" >> "$CALLS"\necho >> "$CALLS"\nif [ "$3" = describe ]; then echo "${tags}"; fi`,
        });
        const calls = join(s.dir, "calls");
        const protect = plan.commands().find((c) => c.name.endsWith("/protect"))!;
        const stdout = s.run(protect.inputs.delete, { CALLS: calls, ...protect.inputs.environment });
        return { stdout, calls: readFileSync(calls, "utf8") };
    }

    it("stays on while another incident's tag is on the VM", () => {
        const r = unprotect("gke-prod-node;quarantine-42;quarantine-43");
        expect(r.stdout).toBe("another incident still quarantines this VM (quarantine-43); deletion protection left on\n");
        expect(r.calls).not.toContain("--no-deletion-protection");
    });

    it("comes off when this incident was the only one", () => {
        const r = unprotect("gke-prod-node;quarantine-42");
        expect(r.calls).toContain("--no-deletion-protection");
        expect(r.stdout).toBe("deletion protection off\n");
    });
});
