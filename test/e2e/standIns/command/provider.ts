/**
 * STAND-IN `command` resource provider plugin, package `command` version 1.2.1, for the e2e suite.
 *
 * The real pulumi-resource-command cannot be built here (the Go module proxy does not serve its
 * module, see test/e2e/tools/README.md), so this implements what `@pulumi/command` 1.2.1's
 * `local.Command` and `local.run` need, with the real provider's semantics (pulumi-command
 * v1.2.1, provider/pkg/provider/local/ and common/). What it leaves out: ../README.md.
 * Started by the `pulumi-resource-command` launcher beside this file.
 */
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import * as provider from "@pulumi/pulumi/provider";
import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { BaseInputs, LineLogger, Outputs, runCommand } from "./run";

const VERSION = "1.2.1";
const COMMAND_TYPE = "command:local:Command";
const RUN_TOKEN = "command:local:run";

// The engine sends property values unmarshalled: secrets as signature-tagged objects (the Node
// provider server accepts secrets), unknowns (preview only) as a sentinel string.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Bag = Record<string, any>;

const isSecret = (v: any): boolean => typeof v === "object" && v !== null && v[SIG] === SECRET_SIG;
const secret = (v: any): Bag => ({ [SIG]: SECRET_SIG, value: v });

/** The value with every secret wrapper removed: commands run on plain strings. */
function reveal(v: any): any {
    if (isSecret(v)) return reveal(v.value);
    if (Array.isArray(v)) return v.map(reveal);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
    return v;
}

const containsSecret = (v: any): boolean =>
    isSecret(v) || (typeof v === "object" && v !== null && Object.values(v).some(containsSecret));

/** Input property name -> the check that its (revealed, known) value has the schema's type. */
const str = (v: any): boolean => typeof v === "string";
const strList = (v: any): boolean => Array.isArray(v) && v.every(str);
const BASE_INPUTS: Record<string, (v: any) => boolean> = {
    interpreter: strList,
    dir: str,
    environment: (v) => typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(str),
    stdin: str,
    logging: (v) => ["stdout", "stderr", "stdoutAndStderr", "none"].includes(v),
    addPreviousOutputInEnv: (v) => typeof v === "boolean",
    assetPaths: strList,
    archivePaths: strList,
};
const COMMAND_INPUTS: Record<string, (v: any) => boolean> = {
    ...BASE_INPUTS,
    create: str,
    update: str,
    delete: str,
    triggers: Array.isArray,
};
const RUN_INPUTS: Record<string, (v: any) => boolean> = { ...BASE_INPUTS, command: str };

function typeFailures(news: Bag, schema: Record<string, (v: any) => boolean>): provider.CheckFailure[] {
    const failures: provider.CheckFailure[] = [];
    for (const [name, ok] of Object.entries(schema)) {
        const v = reveal(news[name]);
        if (v === undefined || v === null || v === UNKNOWN) continue;
        if (!ok(v)) failures.push({ property: name, reason: `${name} has the wrong type: ${JSON.stringify(v)}` });
    }
    return failures;
}

/** The Node provider server rejects `undefined` in a Struct, and the real provider omits unset optionals. */
const defined = (bag: Bag): Bag => Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== undefined && v !== null));

/** The real provider's outputs are its inputs plus stdout/stderr, secret when any input is secret. */
function state(inputs: Bag, outs: Outputs): Bag {
    const wrap = containsSecret(inputs) ? secret : (v: string) => v;
    return { ...defined(inputs), stdout: wrap(outs.stdout), stderr: wrap(outs.stderr) };
}

const previousOf = (props: Bag): Outputs => ({ stdout: reveal(props.stdout) ?? "", stderr: reveal(props.stderr) ?? "" });

function typeOf(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? "";
}

function requireCommand(urn: string): void {
    const type = typeOf(urn);
    if (type !== COMMAND_TYPE) throw new Error(`the command stand-in implements only ${COMMAND_TYPE}, not ${type}`);
}

/**
 * Log lines go to the engine as ephemeral info status on the resource, as the real provider's
 * util.LogOutput does (InfoStatus), so `logging` only changes what the user sees, never outputs.
 */
function engineLogger(engineAddress: string | undefined): (urn: string) => LineLogger {
    if (!engineAddress) return () => () => undefined;
    const engine = new engineRpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
    return (urn) => (line) => {
        const req = new engineProto.LogRequest();
        req.setSeverity(engineProto.LogSeverity.INFO).setMessage(line).setUrn(urn).setEphemeral(true);
        engine.log(req, () => undefined); // a lost log line must never fail the operation
    };
}

function warnIgnored(log: LineLogger, inputs: Bag): void {
    for (const name of ["assetPaths", "archivePaths"]) {
        if (inputs[name] !== undefined) log(`command stand-in: ${name} is ignored (no assets/archive outputs)`);
    }
}

export function makeProvider(engineAddress: string | undefined): provider.Provider {
    const loggerFor = engineLogger(engineAddress);
    const run = async (urn: string, command: string | undefined, inputs: Bag, previous: Outputs): Promise<Outputs> => {
        if (command === undefined) return previous;
        const log = loggerFor(urn);
        warnIgnored(log, inputs);
        return runCommand(command, reveal(inputs) as BaseInputs, previous, log);
    };
    const none: Outputs = { stdout: "", stderr: "" };

    return {
        version: VERSION,
        getSchema: async () => JSON.stringify({ name: "command", version: VERSION }),

        check: async (urn, _olds, news) => {
            requireCommand(urn);
            return { inputs: news, failures: typeFailures(news, COMMAND_INPUTS) };
        },

        // infer's default diff: structural, over the input properties only; `triggers` is
        // replaceOnChanges, every other change is an in-place update (the resource has Update).
        // The real one creates the replacement before deleting the old one; so does this.
        diff: async (_id, urn, olds, news) => {
            requireCommand(urn);
            const changed = Object.keys(COMMAND_INPUTS).filter(
                (k) => !isDeepStrictEqual(reveal(olds[k] ?? undefined), reveal(news[k] ?? undefined)),
            );
            return { changes: changed.length > 0, replaces: changed.filter((k) => k === "triggers") };
        },

        create: async (urn, inputs) => {
            requireCommand(urn);
            const name = urn.split("::")[3] ?? "command";
            const outs = await run(urn, reveal(inputs.create), inputs, none);
            return { id: name + randomBytes(4).toString("hex"), outs: state(inputs, outs) };
        },

        // No update script: create runs again. Either way it sees the previous stdout/stderr.
        update: async (_id, urn, olds, news) => {
            requireCommand(urn);
            const script = reveal(news.update) ?? reveal(news.create);
            return { outs: state(news, await run(urn, script, news, previousOf(olds))) };
        },

        delete: async (_id, urn, props) => {
            requireCommand(urn);
            await run(urn, reveal(props.delete), props, previousOf(props));
        },

        // infer's default read: the state as it is (a command has nothing to read back).
        read: async (id, urn, props) => {
            requireCommand(urn);
            const known = Object.keys(COMMAND_INPUTS).filter((k) => props?.[k] !== undefined);
            return { id, props, inputs: Object.fromEntries(known.map((k) => [k, props[k]])) };
        },

        invoke: async (token, args) => {
            if (token !== RUN_TOKEN) throw new Error(`the command stand-in implements only ${RUN_TOKEN}, not ${token}`);
            const failures = typeFailures(args, RUN_INPUTS);
            if (typeof reveal(args.command) !== "string") {
                failures.push({ property: "command", reason: "missing required property 'command'" });
            }
            if (failures.length > 0) return { failures };
            const outs = await run("", reveal(args.command), args, none);
            return { outputs: state(args, outs) };
        },
    };
}

/** The engine's address is the first argument that is not a flag (as provider.main parses it). */
function engineAddressOf(args: string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--tracing") i++;
        else if (!args[i].startsWith("-")) return args[i];
    }
    return undefined;
}

if (require.main === module) {
    const args = process.argv.slice(2);
    // Nothing else may write to stdout: the engine reads the port from its first line.
    void provider.main(makeProvider(engineAddressOf(args)), args);
}
