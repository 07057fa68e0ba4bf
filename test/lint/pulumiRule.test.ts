import * as path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Proves the project's ESLint config wires @pulumi/eslint-plugin and that its type-aware rule
// fires: an Output in a plain template literal stringifies to a warning text, not the value.
const ROOT = path.resolve(__dirname, "../..");
// Inside a tsconfig `include` glob, so the project's config applies its type-aware block to it.
// It is never written to disk (others lint and type-check this tree concurrently), so the project
// service cannot find it in tsconfig.json's file list: the test lets it fall back to a default
// project built from the same tsconfig.json. Plugins, rules and file globs are the real config's.
const FIXTURE_REL = "stacks/__lint_fixture__.ts";
const FIXTURE = path.join(ROOT, FIXTURE_REL);

function eslint(): ESLint {
    return new ESLint({
        cwd: ROOT,
        overrideConfigFile: path.join(ROOT, "eslint.config.mjs"),
        overrideConfig: {
            files: [FIXTURE_REL],
            languageOptions: {
                parserOptions: {
                    projectService: { allowDefaultProject: [FIXTURE_REL], defaultProject: "tsconfig.json" },
                    tsconfigRootDir: ROOT,
                },
            },
        },
    });
}

// Building the type-checked program for the fixture takes seconds.
describe("eslint: @pulumi/eslint-plugin", { timeout: 120_000 }, () => {
    it("flags a pulumi.Output<string> inside a template literal", async () => {
        const code = [
            'import * as pulumi from "@pulumi/pulumi";',
            "",
            'export const someOutput: pulumi.Output<string> = pulumi.output("x");',
            "export const s = `${someOutput}`;",
            "",
        ].join("\n");
        const [result] = await eslint().lintText(code, { filePath: FIXTURE });
        const ids = result.messages.map((m) => m.ruleId);
        expect(result.messages.filter((m) => m.fatal)).toEqual([]);
        expect(ids).toContain("@pulumi/no-output-in-template-literal");
        const hit = result.messages.find((m) => m.ruleId === "@pulumi/no-output-in-template-literal")!;
        expect(hit.line).toBe(4);
        expect(hit.severity).toBe(2);
    });

    it("accepts the same value through pulumi.interpolate", async () => {
        const code = [
            'import * as pulumi from "@pulumi/pulumi";',
            "",
            'export const someOutput: pulumi.Output<string> = pulumi.output("x");',
            "export const s = pulumi.interpolate`${someOutput}`;",
            "",
        ].join("\n");
        const [result] = await eslint().lintText(code, { filePath: FIXTURE });
        expect(result.messages).toEqual([]);
    });
});
