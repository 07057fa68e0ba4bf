"use strict";
/**
 * Loads the Pulumi program the way `pulumi preview/up` does, without the Pulumi CLI:
 *
 *   1. loads TypeScript as Pulumi.yaml's runtime options say: with `typescript: false`, the
 *      `nodeargs` (`--require ts-node/register/transpile-only`); otherwise ts-node registered
 *      exactly as @pulumi/pulumi/cmd/run/run.js does (same typescript/ts-node lookup via the SDK's
 *      tsutils, same tsconfig, same transpileOnly rule, same compilerOptions overrides);
 *   2. points the SDK at the mock engine (tools/mockEngine/engine.ts `clusterMocks`) and the sample
 *      cluster's config BEFORE the program is loaded;
 *   3. requires Pulumi.yaml's `main` and awaits its export (calling it first if it is a function,
 *      as run.js does);
 *   4. prints the resolved stack outputs as one line `OUTPUTS {json}` on stdout and exits 0;
 *      on any failure prints the message and exits 1.
 *
 * Usage (cwd is irrelevant, the driver chdirs to the project root like the CLI runs in it):
 *   node test/cli/driver.js ['{"quarantine:pods": "[\"default/x\"]"}']   # optional config overrides
 *
 * Diagnostic lines on stdout: `TYPESCRIPT <version> <path>`, `TSNODE transpileOnly=<bool> ...`,
 * `TYPECHECK_PROBE <TS codes>` (a deliberately ill-typed in-memory snippet must be rejected).
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const OUTPUT_TIMEOUT_MS = 60_000;

function fail(err) {
    const msg = err && err.message ? err.message : String(err);
    process.stdout.write(`ERROR ${JSON.stringify(msg)}\n`);
    process.stderr.write(`${msg}\n`);
    process.exit(1);
}
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

/** `main:` from Pulumi.yaml (top-level key only). */
function programPath() {
    const yaml = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    const m = /^main:[ \t]*['"]?([^'"#\r\n]+?)['"]?[ \t]*(?:#.*)?$/m.exec(yaml);
    if (!m) throw new Error("Pulumi.yaml has no top-level `main:`");
    return path.isAbsolute(m[1]) ? m[1] : path.join(ROOT, m[1]);
}

/**
 * Pulumi.yaml's `runtime.options`: `typescript: false` makes the language host skip its own ts-node
 * registration, and `nodeargs` are passed to `node` before the SDK's launcher runs. The driver does
 * the same, so it loads the program with whatever loader the project actually configures.
 * `DRIVER_TYPESCRIPT=true` forces the host's own type-checking loader (run.js's path) instead.
 */
function runtimeOptions() {
    const yaml = require(require.resolve("js-yaml", { paths: [ROOT] }));
    const doc = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) || {};
    const options = (doc.runtime && doc.runtime.options) || {};
    const forced = process.env["DRIVER_TYPESCRIPT"] === "true";
    return {
        typescript: forced || options.typescript !== false,
        nodeargs: forced ? "" : String(options.nodeargs || ""),
    };
}

/** `--require M` in nodeargs, as node applies it: M resolved from the project. */
function applyNodeargs(nodeargs) {
    const args = nodeargs.split(/\s+/).filter(Boolean);
    for (let i = 0; i < args.length; i++) {
        const m = /^(?:--require|-r)(?:=(.+))?$/.exec(args[i]);
        if (!m) throw new Error(`driver does not mirror nodearg ${args[i]}`);
        const mod = m[1] || args[++i];
        require(require.resolve(mod, { paths: [ROOT] }));
        process.stdout.write(`NODEARGS --require ${mod}\n`);
    }
    const service = process[Symbol.for("ts-node.register.instance")];
    if (!service) throw new Error(`nodeargs "${nodeargs}" registered no TypeScript loader`);
    const compilerPath = require.resolve("typescript", { paths: [ROOT] });
    process.stdout.write(`TYPESCRIPT ${service.ts.version} ${compilerPath}\n`);
    process.stdout.write(`TSNODE transpileOnly=${service.options.transpileOnly === true} version=${require("ts-node").VERSION}\n`);
    return service;
}

/** Mirror of run.js (@pulumi/pulumi 3.248, cmd/run/run.js ~L281-L360), CommonJS branch. */
function registerTsNode() {
    const semver = require(require.resolve("semver", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
    const tsutils = require("@pulumi/pulumi/tsutils");

    const defaultTsConfigPath = "tsconfig.json";
    const tsConfigPath = process.env["PULUMI_NODEJS_TSCONFIG_PATH"] ?? defaultTsConfigPath;
    const skipProject = !fs.existsSync(tsConfigPath);
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);

    let transpileOnly;
    const transpileOnlyEnv = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
    if (transpileOnlyEnv) {
        transpileOnly = transpileOnlyEnv === "true";
    } else {
        transpileOnly = compilerOptions.noCheck;
    }
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const options = {
        compiler: typescriptRequire,
        transpileOnly,
        project: tsConfigPath,
        skipProject: skipProject,
        compilerOptions: {},
    };
    const packageObject = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    if (packageObject["type"] === "module") {
        throw new Error("package.json has type=module: run.js would use its ESM hooks, which this driver does not mirror");
    }
    const ts = require(typescriptRequire);
    const tsVersion = semver.parse(ts.version);
    const tsn = require(tsnodeRequire);
    const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
    options.compilerOptions = {
        target: "ES2020",
        module: useNodeNext ? "nodenext" : "commonjs",
        moduleResolution: useNodeNext ? "nodenext" : "node",
        sourceMap: "true",
        ...compilerOptions,
    };
    const service = tsn.register(options);

    const compilerPath = require.resolve(typescriptRequire, { paths: [ROOT] });
    process.stdout.write(`TYPESCRIPT ${service.ts.version} ${compilerPath}\n`);
    const co = service.config.options;
    process.stdout.write(
        `TSNODE transpileOnly=${service.options.transpileOnly === true} version=${tsn.VERSION} ` +
            `module=${service.ts.ModuleKind[co.module]} moduleResolution=${service.ts.ModuleResolutionKind[co.moduleResolution]} ` +
            `target=${service.ts.ScriptTarget[co.target]}\n`,
    );
    return service;
}

/** With type-checking on, ts-node must reject an ill-typed module (in memory, never on disk). */
function typecheckProbe(service) {
    const probe = path.join(ROOT, "__driver_typecheck_probe__.ts");
    try {
        service.compile('const probe: number = "not a number";\nexport { probe };\n', probe);
        process.stdout.write("TYPECHECK_PROBE none\n");
    } catch (e) {
        if (!e || e.name !== "TSError") throw e;
        process.stdout.write(`TYPECHECK_PROBE ${e.diagnosticCodes.map((c) => `TS${c}`).join(",")}\n`);
    }
}

/** Resolves every Output/Promise in the program's export; refuses to hang on unknowns. */
function resolveOutputs(pulumi, exported) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(
            () => reject(new Error(`stack outputs did not resolve within ${OUTPUT_TIMEOUT_MS} ms (unknown values?)`)),
            OUTPUT_TIMEOUT_MS,
        );
        pulumi.output(exported).apply((v) => {
            clearTimeout(timer);
            resolve(v);
            return v;
        });
    });
}

async function main() {
    process.chdir(ROOT);
    const overrides = process.argv[2] ? JSON.parse(process.argv[2]) : {};

    const options = runtimeOptions();
    const service = options.typescript ? registerTsNode() : applyNodeargs(options.nodeargs);
    typecheckProbe(service);

    // Same SDK instance the program will bind to (resolved from the project root).
    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [ROOT] }));
    const { clusterMocks } = require(path.join(ROOT, "tools", "mockEngine", "engine.ts"));
    const { sampleScenario } = require(path.join(ROOT, "tools", "mockEngine", "scenario.ts"));
    const sample = sampleScenario({ config: overrides });
    pulumi.runtime.setMocks(clusterMocks(sample.cluster), "quarantine", sample.stack, false, "organization");
    pulumi.runtime.setAllConfig(sample.config);

    const program = programPath();
    let exported = require(program);
    if (typeof exported === "function") exported = exported();
    exported = await exported;

    const outputs = await resolveOutputs(pulumi, exported);
    // Let every pending resource registration finish, so a failing one fails the run.
    if (typeof pulumi.runtime.waitForRPCs === "function") await pulumi.runtime.waitForRPCs();
    process.stdout.write(`OUTPUTS ${JSON.stringify(outputs)}\n`);
    process.exit(0);
}

main().catch(fail);
