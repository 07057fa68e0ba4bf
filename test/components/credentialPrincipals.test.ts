import { evaluate } from "@marcbachmann/cel-js";
import { describe, expect, it } from "vitest";
import { auditFilter, checkCredential, denyExpression } from "../../components/credentials/principals";
import type { Credential } from "../../stacks/credentialConfig";
import { matches } from "../../tools/loggingQuery/evaluate";

const GSA = "web-app@acme-prod.iam.gserviceaccount.com";
const KEY = "0123456789abcdef0123456789abcdef01234567";

describe("the stolen identities' admission policy, evaluated by a CEL evaluator", () => {
    const expression = denyExpression(["system:serviceaccount:default:web", "mallory@acme.com"]);
    const allowed = (username: string) => evaluate(expression, { request: { operation: "CREATE", userInfo: { username, groups: ["system:authenticated"] } } });

    it.each([
        ["the stolen service account", "system:serviceaccount:default:web", false],
        ["the stolen user", "mallory@acme.com", false],
        ["a service account with a longer name", "system:serviceaccount:default:web2", true],
        ["the same name in another namespace", "system:serviceaccount:payments:web", true],
        ["the responder", "responder@acme.com", true],
        ["a user whose name contains the stolen one", "xmallory@acme.com", true],
    ])("decides for %s: allowed %s", (_, username, want) => {
        expect(allowed(username)).toBe(want);
    });

    it.each([["a quote", "mallory'@acme.com"], ["a CEL operator", "system:serviceaccount:default:web' || true || '"], ["an empty name", ""]])("refuses to write %s into the CEL", (_, u) => {
        expect(() => denyExpression([u])).toThrow("is not a username that can be written into the admission policy's CEL");
    });
});

describe("the audit trail's filter, evaluated by the Logging query evaluator", () => {
    const entry = (auth: Record<string, unknown>, resourceName = "projects/acme-prod") => ({ protoPayload: { authenticationInfo: auth, resourceName } });
    const sa: Credential = { kind: "serviceaccount", namespace: "default", name: "web" };

    it("finds the service account's own calls and those made as a Google account through Workload Identity", () => {
        const f = auditFilter(sa, "acme-prod");
        expect(matches(f, entry({ principalEmail: "system:serviceaccount:default:web" }))).toBe(true);
        expect(matches(f, entry({ principalEmail: GSA, serviceAccountDelegationInfo: [{ principalSubject: "serviceAccount:acme-prod.svc.id.goog[default/web]" }] }))).toBe(true);
        expect(matches(f, entry({ principalEmail: "system:serviceaccount:payments:web" }))).toBe(false);
        expect(matches(f, entry({ principalEmail: GSA, serviceAccountDelegationInfo: [{ principalSubject: "serviceAccount:acme-prod.svc.id.goog[default/web2]" }] }))).toBe(false);
    });

    it("finds a Google account's calls, those made by impersonating it, and changes to it", () => {
        const f = auditFilter({ kind: "gsa", email: GSA }, "acme-prod");
        expect(matches(f, entry({ principalEmail: GSA }))).toBe(true);
        expect(matches(f, entry({ principalEmail: "deploy@acme-prod.iam.gserviceaccount.com", serviceAccountDelegationInfo: [{ firstPartyPrincipal: { principalEmail: GSA } }] }))).toBe(true);
        expect(matches(f, entry({ principalEmail: "bob@acme.com" }, `projects/-/serviceAccounts/${GSA}/keys/${KEY}`))).toBe(true);
        expect(matches(f, entry({ principalEmail: "bob@acme.com" }))).toBe(false);
    });

    it("finds the calls made with a key", () => {
        const f = auditFilter({ kind: "key", email: GSA, keyId: KEY }, "acme-prod");
        expect(matches(f, entry({ principalEmail: GSA, serviceAccountKeyName: `//iam.googleapis.com/projects/acme-prod/serviceAccounts/${GSA}/keys/${KEY}` }))).toBe(true);
        expect(matches(f, entry({ principalEmail: GSA }))).toBe(false);
    });
});

describe("checkCredential", () => {
    it.each<[string, Credential]>([
        ["a quote in a user", { kind: "user", email: 'mallory"@acme.com' }],
        ["a filter operator in a GSA", { kind: "gsa", email: `${GSA}" OR "x` }],
        ["a key id with a quote", { kind: "key", email: GSA, keyId: `${KEY.slice(1)}"` }],
        ["a service account name with a colon", { kind: "serviceaccount", namespace: "default", name: "web:x" }],
    ])("refuses %s however it got there", (_, c) => {
        expect(() => checkCredential(c)).toThrow("is not a checked principal");
    });
});
