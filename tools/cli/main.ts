import { readFileSync } from "node:fs";
import * as readline from "node:readline/promises";
import { Command, CommanderError, Option } from "commander";
import { CommandError, ConcurrentUpdateError, StackNotFoundError } from "@pulumi/pulumi/automation";
import { parseAlert, type Alert } from "./alert";
import { colorEnabled, colors } from "./color";
import * as cmd from "./commands";
import { findPulumi, INSTALL_PULUMI, lockedMessage } from "./errors";
import { EXIT, OPEN_LEVELS, UsageError, checkId, escalateConfig, stackName } from "./flags";
import { LEVELS } from "../../core/levels";

/**
 * `quarantine`: the responder's CLI over the Automation API (README "The quarantine CLI").
 * `run` takes argv and an environment and returns the exit code, so tests drive it in-process.
 */

const EXIT_CODES = `
Exit codes:
  0   done (verify: the quarantine holds)
  1   the operation failed, or the stack does not exist
  2   no Pulumi CLI on the PATH
  3   verify: the quarantine does not hold
  4   the stack is locked by another update
  5   declined at the prompt, or the wrong incident id typed back
  64  a bad flag or value (nothing was touched)

State: the Pulumi CLI's login, or PULUMI_BACKEND_URL (a team shares a gs:// bucket: README "State").`;

const example = (lines: string) => `\nExample:\n${lines.split("\n").map((l) => `  $ ${l}`).join("\n")}\n`;

class PulumiMissing extends Error {}

export interface RunEnv {
    readonly env: NodeJS.ProcessEnv;
    readonly stdout: { write(s: string): unknown; isTTY?: boolean };
    readonly stderr: { write(s: string): unknown; isTTY?: boolean };
    readonly ask?: (q: string) => Promise<string>;
}

function program(io: cmd.Io, env: NodeJS.ProcessEnv, code: { value: number; stack: string }): Command {
    const collect = (v: string, prev: string[]) => [...prev, v];
    const needPulumi = () => {
        if (!findPulumi(env)) throw new PulumiMissing(INSTALL_PULUMI);
    };
    const p = new Command("quarantine")
        .description("Incident response for GKE: quarantine a compromised pod and its node, keep the evidence, report.")
        .option("--secrets-provider <url>", "secrets provider of a new stack, e.g. gcpkms://projects/acme-ir/locations/global/keyRings/ir/cryptoKeys/pulumi")
        .addHelpText("after", example("quarantine open 42 --pod default/compromised-pod --project acme-prod --context gke_acme-prod_us-central1_prod") + EXIT_CODES)
        .exitOverride()
        .showHelpAfterError("(run with --help for usage)")
        .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
    const session = () => ({ secretsProvider: p.opts().secretsProvider as string | undefined });
    const withSession = (): cmd.Io => ({ ...io, session: session(), requirePulumi: needPulumi });
    // Every action names its stack first, so an error can say which stack it is about.
    const about = (id: string | undefined) => (code.stack = id === undefined ? "incident-*" : stackName(id));

    p.command("open")
        .description("create or select stack incident-<id>, set its config, preview with the policy pack, confirm, update")
        .argument("<id>", "incident id: lowercase letters, digits, '-'")
        .option("--pod <ns/name>", "a compromised pod (repeatable) → quarantine:pods", collect, [])
        .option("--node <name>", "a node to quarantine directly (repeatable) → quarantine:nodes", collect, [])
        .option("--image <ref>", "a malicious image: every pod running it is quarantined and, from isolate up, the image blocked (repeatable) → quarantine:images", collect, [])
        .option("--credential <principal>", "a stolen credential to record and revoke, e.g. serviceaccount:default/web (repeatable) → quarantine:credentials", collect, [])
        .option("--level <level>", `${OPEN_LEVELS.join(" | ")} → quarantine:level (default isolate); the destructive levels go through escalate`)
        .option("--immediate", "cut the node off at once, before its drain (suspected container escape) → quarantine:nodeIsolation immediate")
        .option("--project <id>", "→ gcp:project (needed for a new stack)")
        .option("--context <name>", "kubeconfig context → kubernetes:context (needed for a new stack)")
        .option("--from-alert <file>", "a readiness alert's notification (Cloud Monitoring's Pub/Sub JSON, or the Pub/Sub message): its pod and node instead of --pod/--node, its project and cluster where the stack has none")
        .option("--preview-only", "preview and print the plan, then put the stack's config back as it was (and remove a stack it created)")
        .option("--no-policy-pack", "skip the policy pack (only if it can't start: the guardrails then don't run)")
        .option("-y, --yes", "do not ask before the update")
        .addHelpText(
            "after",
            example(
                "quarantine open 42 --pod default/compromised-pod --level observe\nquarantine open 42 --pod default/web-5d9f --pod default/web-7c2a --immediate --yes\nquarantine open 42 --preview-only --from-alert alert.json   # e.g. from gcloud pubsub subscriptions pull --format=json",
            ),
        )
        .action(async (id: string, o) => {
            // commander refuses a bad --level choice itself; open re-checks through the schema.
            about(id);
            const alert = o.fromAlert === undefined ? undefined : readAlert(o.fromAlert, o.pod.length + o.node.length > 0);
            code.value = await cmd.open(withSession(), id, { ...o, yes: o.yes ?? false, previewOnly: o.previewOnly ?? false, alert });
        });

    p.command("escalate")
        .description("raise (or lower) the level: shows what it deletes, asks for the incident id typed back, previews, updates")
        .argument("<id>")
        .argument("<level>", LEVELS.join(" | "))
        .option("--confirm <id>", "the incident id, typed back without a prompt → quarantine:confirm incident-<id>")
        .option("--no-policy-pack", "skip the policy pack (only if it can't start)")
        .option("-y, --yes", "do not ask before the update (a destructive level still needs the id typed back or --confirm)")
        .addHelpText("after", example("quarantine escalate 42 redeploy\nquarantine escalate 42 delete-node --confirm 42 --yes"))
        .action(async (id: string, level: string, o) => {
            about(id);
            escalateConfig(id, level, id); // a bad id or level is refused before Pulumi is looked for
            needPulumi();
            code.value = await cmd.escalate(withSession(), id, level, { confirm: o.confirm, yes: o.yes ?? false, policyPack: o.policyPack });
        });

    p.command("status")
        .description("every incident-* stack: level, pods and nodes, cut off, last update by whom, one-way actions")
        .argument("[id]")
        .option("--json", "machine-readable")
        .addHelpText("after", example("quarantine status\nquarantine status 42 --json | jq '.[0].podsCutOff'"))
        .action(async (id: string | undefined, o) => {
            about(id);
            if (id !== undefined) checkId(id);
            needPulumi();
            code.value = await cmd.status(withSession(), id, o.json ?? false);
        });

    p.command("verify")
        .description("refresh, then check that the quarantine still holds (exit 0 only then)")
        .argument("<id>")
        .option("--json", "machine-readable")
        .addHelpText("after", example("quarantine verify 42 || page-the-incident-commander"))
        .action(async (id: string, o) => {
            about(id);
            checkId(id);
            needPulumi();
            code.value = await cmd.verify(withSession(), id, o.json ?? false);
        });

    p.command("close")
        .description("destroy the quarantine (the evidence stays), write the report, list what stays")
        .argument("<id>")
        .option("--report <file>", "where to write the closing report (Markdown)")
        .option("-y, --yes", "do not ask")
        .addHelpText("after", example("quarantine close 42 --report incident-42.md"))
        .action(async (id: string, o) => {
            about(id);
            checkId(id);
            needPulumi();
            code.value = await cmd.close(withSession(), id, { yes: o.yes ?? false, report: o.report });
        });

    p.command("report")
        .description("the incident report: timeline, actions and what destroy did, custody manifest, not captured, diagram")
        .argument("<id>")
        .addOption(new Option("--format <format>", "md (with a Mermaid diagram) or html (one self-contained file, SVG)").choices(["md", "html"]).default("md"))
        .option("--out <file>", "write to a file instead of stdout")
        .option("--json", "the report's data, machine-readable")
        .addHelpText("after", example("quarantine report 42 --format html --out incident-42.html"))
        .action(async (id: string, o) => {
            about(id);
            checkId(id);
            needPulumi();
            code.value = await cmd.report(withSession(), id, { format: o.format, out: o.out, json: o.json ?? false });
        });
    return p;
}

/** The alert file, parsed; refused (exit 64) when unreadable, when it names no pod, or beside --pod/--node. */
function readAlert(file: string, podsGiven: boolean): Alert {
    if (podsGiven) throw new UsageError([`--from-alert ${JSON.stringify(file)} names the pod and node: leave out --pod and --node`]);
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError([`--from-alert ${JSON.stringify(file)}: can't read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
    return parseAlert(file, text);
}

/**
 * A failed Pulumi command's message holds its whole stdout (a preview --diff is thousands of
 * lines): show its stderr, and from stdout only the engine's error lines and what follows them.
 */
function commandFailure(text: string): string {
    const stdout = /\n stdout: ([\s\S]*?)\n stderr: /.exec(text)?.[1] ?? "";
    const stderr = /\n stderr: ([\s\S]*?)\n err\?: /.exec(text)?.[1] ?? text;
    const lines = stdout.split("\n");
    const from = lines.findIndex((l) => /^(Diagnostics:|\s*error:)/.test(l));
    return [...(from >= 0 ? lines.slice(from, from + 60) : []), stderr.trim()].filter(Boolean).join("\n");
}

export async function run(argv: readonly string[], r: RunEnv): Promise<number> {
    const io: cmd.Io = {
        out: (s) => r.stdout.write(`${s}\n`),
        err: (s) => r.stderr.write(`${s}\n`),
        c: colors(colorEnabled(r.env, r.stdout.isTTY)),
        ce: colors(colorEnabled(r.env, r.stderr.isTTY)),
        ask: r.ask,
        session: {},
    };
    const code = { value: EXIT.ok as number, stack: "?" };
    try {
        await program(io, r.env, code).parseAsync([...argv], { from: "user" });
        return code.value;
    } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
        if (e instanceof UsageError) {
            for (const p of e.problems) io.err(io.ce.red(p));
            return EXIT.usage;
        }
        if (e instanceof PulumiMissing) {
            io.err(e.message);
            return EXIT.noPulumi;
        }
        if (e instanceof ConcurrentUpdateError) {
            io.err(lockedMessage(code.stack, e.message));
            return EXIT.locked;
        }
        if (e instanceof StackNotFoundError) {
            io.err(`No stack ${code.stack} in this backend${r.env.PULUMI_BACKEND_URL ? ` (${r.env.PULUMI_BACKEND_URL})` : ""}: quarantine open <id> --pod ns/name creates it.`);
            return EXIT.failed;
        }
        const text = e instanceof Error ? e.message : String(e);
        io.err(io.ce.red(e instanceof CommandError ? commandFailure(text) : text));
        if (/pulumi login|PULUMI_ACCESS_TOKEN/.test(text)) io.err("Log in first: pulumi login gs://<your team's state bucket> (README \"State\"), or set PULUMI_BACKEND_URL.");
        return EXIT.failed;
    }
}

/** The process entry (bin/quarantine): a prompt only when stdin is a terminal. */
export async function main(): Promise<void> {
    const tty = process.stdin.isTTY === true;
    const rl = tty ? readline.createInterface({ input: process.stdin, output: process.stderr }) : undefined;
    const code = await run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, ask: rl ? (q) => rl.question(q) : undefined });
    rl?.close();
    process.exitCode = code;
}

