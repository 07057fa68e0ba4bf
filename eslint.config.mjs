// ESLint flat config (ESLint 10).
//
// - @eslint/js recommended for everything.
// - typescript-eslint recommended (syntactic) for every .ts file.
// - For the TypeScript files the root tsconfig.json covers, type information is turned on
//   (projectService) and used for the @pulumi/eslint-plugin rules plus a few cheap, high-value
//   type-aware rules (promises that are never awaited are a classic Pulumi program bug).
//
// @pulumi/eslint-plugin 0.3.x exports `{ rules }` only (no `configs`, no `meta`); its README's
// `plugins: pulumi` is not valid flat config. We register it under the `@pulumi` namespace and
// enable both of its rules ourselves: that is its whole "recommended" set.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";
import ts from "typescript";

/**
 * The files the root tsconfig.json `include`s (read from it, so the two never drift): only these
 * get a type-checked program. Other .ts files (e.g. a policy pack with its own tsconfig) still get
 * the syntactic rules.
 */
const tsconfig = ts.readConfigFile(`${import.meta.dirname}/tsconfig.json`, ts.sys.readFile);
if (tsconfig.error) throw new Error(`eslint.config.mjs: cannot read tsconfig.json: ${ts.flattenDiagnosticMessageText(tsconfig.error.messageText, "\n")}`);
const TYPED_FILES = (tsconfig.config.include ?? []).filter((g) => /\.[cm]?tsx?$/.test(g));

const pulumiRecommended = Object.fromEntries(Object.keys(pulumi.rules).map((rule) => [`@pulumi/${rule}`, "error"]));

/** Node's CommonJS globals, for plain .js/.cjs helpers (the `globals` package is not a dependency). */
const nodeCommonJsGlobals = {
    require: "readonly",
    module: "writable",
    exports: "writable",
    __dirname: "readonly",
    __filename: "readonly",
    process: "readonly",
    console: "readonly",
    Buffer: "readonly",
    setTimeout: "readonly",
    clearTimeout: "readonly",
    setImmediate: "readonly",
    URL: "readonly",
};

export default defineConfig(
    globalIgnores(["**/node_modules/**", "tmp/**", "coverage/**", "bin/**", ".pulumi/**"]),
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.js", "**/*.cjs"],
        languageOptions: { sourceType: "commonjs", globals: nodeCommonJsGlobals },
        rules: {
            // Plain CommonJS helpers (e.g. test/cli/driver.js) legitimately use require().
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        files: TYPED_FILES,
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            ...pulumiRecommended,
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/await-thenable": "error",
        },
    },
    {
        // The recorder, the plan renderer and the tests read the engine's property bags: untyped
        // JSON whose shape depends on the resource type. `any` there is honest, not a shortcut.
        files: ["tools/**/*.ts", "test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
);
