import { describe, expect, it } from "vitest";
import { inNet, parseNet } from "../../../core/ipNet";
import { matches } from "../../../tools/loggingQuery/evaluate";
import { extract } from "../../../tools/loggingQuery/extract";
import { parse, QueryError } from "../../../tools/loggingQuery/parse";

/** A log entry whose payload holds exactly the global-restriction terms given. */
const terms = (...present: string[]) => ({ textPayload: present.join(" ") });

describe("Logging query language: boolean structure", () => {
    // The documentation's own example: `"a" OR NOT "b" AND NOT "c" OR "d"` is
    // `("a" OR (NOT "b")) AND ((NOT "c") OR "d")`, because OR binds tighter than AND.
    const documented = '"a" OR NOT "b" AND NOT "c" OR "d"';
    const explicit = '("a" OR (NOT "b")) AND ((NOT "c") OR "d")';
    const cLike = '"a" OR (NOT "b" AND NOT "c") OR "d"';

    it.each([[[]], [["a"]], [["b"]], [["c"]], [["d"]], [["a", "c"]], [["b", "d"]], [["b", "c"]], [["a", "b", "c", "d"]]])("OR binds tighter than AND, for terms %j", (present) => {
        expect(matches(documented, terms(...present))).toBe(matches(explicit, terms(...present)));
    });

    it("is not C's precedence: an entry that separates the two readings", () => {
        // With "a" and "c": ("a" OR NOT "b") holds, (NOT "c" OR "d") does not; C's AND-first
        // reading would be true through its leading "a" OR.
        expect(matches(documented, terms("a", "c"))).toBe(false);
        expect(matches(cLike, terms("a", "c"))).toBe(true);
    });

    it("reads whitespace between terms as AND, also before a parenthesis", () => {
        expect(matches('"a" "b"', terms("a"))).toBe(false);
        expect(matches('"a" "b"', terms("a", "b"))).toBe(true);
        expect(matches('"a" ("b" OR "z")', terms("a", "z"))).toBe(true);
        expect(matches('"a" ("b" OR "z")', terms("z"))).toBe(false);
    });

    it("spells NOT as a leading minus too", () => {
        expect(matches('-"b"', terms("a"))).toBe(true);
        expect(matches('-"b"', terms("b"))).toBe(false);
    });

    it("treats lower-case and, or, not as search terms, not operators", () => {
        expect(matches("a or b", terms("a", "b"))).toBe(false);
        expect(matches("a or b", terms("a", "or", "b"))).toBe(true);
    });

    it("ignores -- comments to the end of the line", () => {
        expect(matches('severity=ERROR -- "x"\nAND textPayload:boom', { severity: "ERROR", textPayload: "boom" })).toBe(true);
    });

    it("matches everything with an empty query", () => {
        expect(matches("  ", { any: 1 })).toBe(true);
    });
});

describe("Logging query language: comparisons", () => {
    const entry = {
        severity: "WARNING",
        httpRequest: { status: 503, latency: "0.5s" },
        timestamp: "2026-03-02T10:15:03Z",
        labels: { "authorization.k8s.io/decision": "allow", "k8s-pod/app": "web" },
        protoPayload: {
            authenticationInfo: { principalEmail: "Alice@acme.com" },
            authorizationInfo: [{ permission: "io.k8s.core.v1.pods.get" }, { permission: "io.k8s.core.v1.pods.exec.get" }],
            request: { spec: { hostNetwork: true }, empty: null },
        },
    };

    it.each([
        ["protoPayload.authenticationInfo.principalEmail = \"alice@acme.com\"", true, "= ignores case"],
        ['protoPayload.authenticationInfo.principalEmail = "alice"', false, "= is the whole value"],
        ['protoPayload.authenticationInfo.principalEmail:"ACME"', true, ": is a substring, ignoring case"],
        ['protoPayload.authenticationInfo.principalEmail=~"^Alice@"', true, "=~ is a search"],
        ['protoPayload.authenticationInfo.principalEmail=~"^alice@"', false, "=~ respects case"],
        ['protoPayload.authenticationInfo.principalEmail=~"(?i)^alice@"', true, "(?i) turns case off"],
        ['protoPayload.authenticationInfo.principalEmail!~"^bob"', true, "!~ negates"],
        ['labels."authorization.k8s.io/decision"="allow"', true, "a quoted segment holds dots and slashes"],
        ['labels."k8s-pod/app":web', true, "unquoted value"],
        ['protoPayload.authorizationInfo.permission="io.k8s.core.v1.pods.exec.get"', true, "repeated field: any element"],
        ['protoPayload.authorizationInfo.permission=("io.k8s.core.v1.pods.exec.create" OR "io.k8s.core.v1.pods.exec.get")', true, "value expression distributes"],
        ['protoPayload.authorizationInfo.permission=("x" OR "y")', false, "no element equals"],
        ["httpRequest.status >= 500", true, "numbers compare as numbers"],
        ["httpRequest.status < 60", false, "numbers are not text ('503' < '60')"],
        ["httpRequest.status = 503", true, "number equality"],
        ["severity >= WARNING", true, "severity by level"],
        ["severity > NOTICE AND severity < ERROR", true, "severity between"],
        ["severity >= ERROR", false, "WARNING is below ERROR"],
        ['timestamp >= "2026-03-02T10:00:00Z"', true, "timestamps as text"],
        ["protoPayload.request.spec.hostNetwork = true", true, "a boolean field against true"],
        ["protoPayload.request.spec:true", true, "has on a message searches inside it"],
        ["protoPayload.request.spec.hostNetwork:*", true, "presence"],
        ["protoPayload.request.spec.hostPID:*", false, "absence"],
        ["protoPayload.request.empty:*", false, "a null field is absent"],
        ['protoPayload.request.spec.hostPID = "true"', false, "= on a missing field is false"],
        ['protoPayload.request.spec.hostPID != "true"', true, "!= on a missing field is true (NOT =)"],
        ['NOT protoPayload.request.spec.hostPID = "true"', true, "NOT of a missing comparison"],
        ['"acme.com"', true, "global restriction: some field has it"],
        ['"mallory"', false, "global restriction: no field has it"],
    ])("%s → %s (%s)", (q, want) => {
        expect(matches(q, entry)).toBe(want);
    });
});

describe("Logging query language: functions", () => {
    const call = (ip: string) => ({ protoPayload: { requestMetadata: { callerIp: ip } }, logName: "projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access" });

    it.each([
        ["203.0.113.7", "203.0.113.0/24", true],
        ["203.0.114.7", "203.0.113.0/24", false],
        ["10.128.0.5", "10.0.0.0/8", true],
        ["2001:db8:1::42", "2001:db8:1::/48", true],
        ["2001:db8:2::5", "2001:db8:1::/48", false],
        ["::1", "::1/128", true],
        ["::ffff:10.1.2.3", "::ffff:10.0.0.0/104", true],
        ["gce-internal-ip", "10.0.0.0/8", false],
        ["10.1.2.3", "::/0", false],
    ])("ip_in_net(%s, %s) is %s", (ip, cidr, want) => {
        expect(matches(`ip_in_net(protoPayload.requestMetadata.callerIp, "${cidr}")`, call(ip))).toBe(want);
    });

    it("log_id matches the URL-encoded log name", () => {
        expect(matches('log_id("cloudaudit.googleapis.com/data_access")', call("10.0.0.1"))).toBe(true);
        expect(matches('log_id("cloudaudit.googleapis.com/activity")', call("10.0.0.1"))).toBe(false);
    });

    it.each([
        ["0.0.0.0/0", "198.51.100.1", true],
        ["198.51.100.0/31", "198.51.100.1", true],
        ["198.51.100.0/32", "198.51.100.1", false],
    ])("CIDR %s contains %s: %s", (cidr, ip, want) => {
        expect(inNet(ip, parseNet(cidr)!)).toBe(want);
    });
});

describe("Logging query language: refusals", () => {
    it.each([
        ['resource.type = ("a" OR "b"', /Expected/],
        ['nope("x")', /unknown function nope\(\)/],
        ['ip_in_net(protoPayload.requestMetadata.callerIp, "10.0.0.0/33")', /is not a CIDR range/],
        ['ip_in_net("10.0.0.1", "10.0.0.0/8")', /first argument must be a field path/],
        ['log_id("a", "b")', /takes 1 argument/],
        ['x =~ "(?=look)ahead"', /RE2 does not support/],
        ['x =~ "unclosed("', /Invalid regular expression/],
        ["x = ", /Expected/],
    ])("refuses %s", (q, message) => {
        expect(() => parse(q)).toThrow(QueryError);
        expect(() => parse(q)).toThrow(message);
    });

    it("says where the syntax error is", () => {
        expect(() => parse('a = "b" AND\n  (c = "d"')).toThrow(/line 2, column/);
    });
});

describe("label extractors", () => {
    const entry = { protoPayload: { resourceName: "core/v1/namespaces/payments/pods/api-7c9d/exec", authenticationInfo: { principalEmail: "alice@acme.com" } }, labels: { "a.b/c": "x" } };

    it.each([
        ["EXTRACT(protoPayload.authenticationInfo.principalEmail)", "alice@acme.com"],
        ['REGEXP_EXTRACT(protoPayload.resourceName, "namespaces/([^/]+)")', "payments"],
        ['REGEXP_EXTRACT(protoPayload.resourceName, "/pods/([^/]+)")', "api-7c9d"],
        ['REGEXP_EXTRACT(protoPayload.resourceName, "/nodes/([^/]+)")', undefined],
        ['EXTRACT(labels."a.b/c")', "x"],
        ["EXTRACT(protoPayload.missing)", undefined],
    ])("%s yields %s", (extractor, want) => {
        expect(extract(extractor, entry)).toBe(want);
    });

    it.each([
        ['REGEXP_EXTRACT(protoPayload.resourceName, "namespaces/[^/]+")', /exactly one capture group/],
        ['REGEXP_EXTRACT(protoPayload.resourceName, "(a)/(b)")', /exactly one capture group/],
        ["JSON_EXTRACT(protoPayload.resourceName)", /neither EXTRACT/],
    ])("refuses %s", (extractor, message) => {
        expect(() => extract(extractor, entry)).toThrow(message);
    });
});
