import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { POLICIES } from "../../policies/policies";

/** The pack is loadable by the Pulumi CLI and laid out as STYLE.md's "Policies" asks. */
const ROOT = path.resolve(__dirname, "../..");
const PACK = path.join(ROOT, "policies");
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

function tsFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.name === "node_modules" ? [] : e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    );
}

describe("the policy pack", () => {
    it("has a package.json with a version, its main, and the root's versions of its dependencies", () => {
        const pack = json(path.join(PACK, "package.json"));
        const root = json(path.join(ROOT, "package.json"));
        const rootDeps = { ...root.dependencies, ...root.devDependencies };
        expect(pack.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(readFileSync(path.join(PACK, pack.main), "utf8")).toContain("new PolicyPack(");
        expect(pack.dependencies).toEqual({ "@pulumi/policy": rootDeps["@pulumi/policy"], "@pulumi/pulumi": rootDeps["@pulumi/pulumi"] });
        // What run-policy-pack compiles the pack with (else it falls back to a vendored TypeScript 3.8).
        for (const [name, version] of Object.entries(pack.devDependencies)) expect(version, name).toBe(rootDeps[name]);
    });

    it("has a PulumiPolicy.yaml for the nodejs runtime, with a description", () => {
        const manifest = yaml.load(readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
        expect(manifest.runtime).toBe("nodejs");
        expect(String(manifest.description).length).toBeGreaterThan(20);
    });

    it("constructs its PolicyPack in index.ts only (constructing one starts a gRPC server)", () => {
        const constructing = tsFiles(PACK).filter((f) => /new\s+PolicyPack\s*\(/.test(readFileSync(f, "utf8")));
        expect(constructing.map((f) => path.relative(PACK, f))).toEqual(["index.ts"]);
    });

    it("exports each policy from its own file under rules/, and registers every one of them", async () => {
        const files = readdirSync(path.join(PACK, "rules")).filter((f) => f.endsWith(".ts"));
        const exported = [];
        for (const f of files) {
            const mod = await import(path.join(PACK, "rules", f));
            const policies = Object.values(mod).filter((v: any) => typeof v?.name === "string" && (v.validateResource || v.validateStack));
            expect(policies, f).toHaveLength(1);
            exported.push(policies[0]);
        }
        expect(new Set(POLICIES)).toEqual(new Set(exported));
    });

    it("names each policy once, and makes every one mandatory, with a one-sentence description", () => {
        const names = POLICIES.map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
        for (const p of POLICIES) {
            expect(p.enforcementLevel, p.name).toBe("mandatory");
            expect(p.description, p.name).toMatch(/^[A-Z].*\.$/);
        }
    });
});
