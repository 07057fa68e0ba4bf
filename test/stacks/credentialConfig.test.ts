import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../stacks/config";

const GSA = "web-app@acme-prod.iam.gserviceaccount.com";
const KEY = "0123456789abcdef0123456789abcdef01234567";
const BASE: Record<string, string> = { "gcp:project": "acme-prod", "kubernetes:context": "gke_acme-prod_us-central1_prod" };
const creds = (...c: unknown[]) => ({ ...BASE, "quarantine:credentials": JSON.stringify(c) });

function problemsOf(all: Record<string, string>): string[] {
    try {
        parseConfig(all, "incident-42");
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    throw new Error("config was accepted");
}

describe("quarantine:credentials", () => {
    it("is enough on its own: no pod, node or image needed", () => {
        expect(parseConfig(creds("user:mallory@acme.com"), "incident-42").credentials).toEqual([{ kind: "user", email: "mallory@acme.com" }]);
    });

    it("parses each kind of principal", () => {
        const cfg = parseConfig(creds("serviceaccount:default/web", `gsa:${GSA}`, "user:mallory@acme.com", `key:${GSA}/${KEY}`), "incident-42");
        expect(cfg.credentials).toEqual([
            { kind: "serviceaccount", namespace: "default", name: "web" },
            { kind: "gsa", email: GSA },
            { kind: "user", email: "mallory@acme.com" },
            { kind: "key", email: GSA, keyId: KEY },
        ]);
    });

    it("defaults to no principals beside a named pod", () => {
        expect(parseConfig({ ...BASE, "quarantine:pods": '["default/web-1"]' }, "incident-42").credentials).toEqual([]);
    });

    it.each<[string, unknown, string]>([
        ["no kind", "default/web", "is not a principal: expected serviceaccount:, gsa:, user: or key:"],
        ["an unknown kind", "group:devs@acme.com", "is not a principal: expected serviceaccount:, gsa:, user: or key:"],
        ["a service account without namespace", "serviceaccount:web", "is not serviceaccount:<namespace>/<name>, e.g. serviceaccount:default/web"],
        ["a bad namespace", "serviceaccount:Default/web", 'is not a valid service account: namespace "Default" is not a Kubernetes namespace name'],
        ["a bad service account name", "serviceaccount:default/Web_1", 'is not a valid service account: name "Web_1" is not a Kubernetes object name'],
        ["a quote in a service account", "serviceaccount:default/web'", 'name "web\'" is not a Kubernetes object name'],
        ["a GSA of another domain", "gsa:web@acme.com", "is not a Google service account: expected gsa:<name>@<project>.iam.gserviceaccount.com"],
        ["a GSA with a short name", "gsa:short@acme-prod.iam.gserviceaccount.com", "is not a Google service account"],
        ["a GSA with an upper-case letter", "gsa:Web@acme-prod.iam.gserviceaccount.com", "is not a Google service account"],
        ["a user with a space", "user:mallory @acme.com", "is not a user's email address"],
        ["a user with a shell character", "user:$(id)@acme.com", "is not a user's email address"],
        ["a service account given as a user", `user:${GSA}`, "is not a user's email address (a service account is gsa:…)"],
        ["a key without id", `key:${GSA}`, "is not key:<service account email>/<key id>"],
        ["a key id that is not hex", `key:${GSA}/${KEY.replace("a", "g")}`, "has key id"],
        ["a short key id", `key:${GSA}/0123abcd`, 'has key id "0123abcd", which is not 40 hex digits'],
        ["a number", 42, "must be a string naming a principal"],
    ])("refuses %s, naming the key, the value and an example", (_, value, want) => {
        const [problem] = problemsOf(creds(value));
        expect(problem.startsWith(`quarantine:credentials[0] ${JSON.stringify(value)} `)).toBe(true);
        expect(problem).toContain(want);
        expect(problem).toContain("e.g.");
    });

    it("names the index of the bad entry", () => {
        expect(problemsOf(creds("user:mallory@acme.com", "gsa:nope"))[0]).toMatch(/^quarantine:credentials\[1\] "gsa:nope" /);
    });

    it("refuses a principal listed twice", () => {
        expect(problemsOf(creds("user:mallory@acme.com", "user:mallory@acme.com"))).toEqual([
            'quarantine:credentials[1] "user:mallory@acme.com" is quarantine:credentials[0] again; list each principal once',
        ]);
    });

    it("refuses a plain string instead of a list", () => {
        expect(problemsOf({ ...BASE, "quarantine:credentials": "user:mallory@acme.com" })).toEqual([
            `quarantine:credentials "user:mallory@acme.com" must be a list of principals, e.g. pulumi config set --path 'quarantine:credentials[0]' serviceaccount:default/web`,
        ]);
    });
});
