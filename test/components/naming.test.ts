import { describe, expect, it } from "vitest";
import { INCIDENT_ID, incidentNames } from "../../core/incidentNames";
import { bastionName, evidenceBucketName, fitGceName, firewallRuleName, GCE_NAME, GCE_NAME_MAX, isK8sSubdomain, K8S_DNS_LABEL, lastSegment, shortHash, snapshotName } from "../../components/naming";

const HOSTILE = ["$(touch /tmp/x)", "`id`", "a;b", "a'b", 'a"b', "a\nb", "a b", "-a", "a|b", "a&b", "a>b"];

const MAX_ID = "abcdefghij0123456789"; // 20 chars, the longest incident id
const MAX_NAME = `d${"a".repeat(61)}z`; // 63 chars, the longest GCE / Kubernetes label name
const RUN = "9f3c1a2b"; // a quarantine run's random part (RandomId hex, 4 bytes)

describe("GCE_NAME", () => {
    it.each([["a"], ["a1"], ["a-1"], ["gke-cluster-pool-1-abcdeffff-zgt8"], ["a--b"], [`a${"b".repeat(62)}`]])("accepts %j", (s) => {
        expect(GCE_NAME.test(s)).toBe(true);
    });

    it.each([
        [""],
        ["1a"],
        ["-a"],
        ["a-"],
        ["A"],
        ["aB"],
        ["a_b"],
        ["a.b"],
        [`a${"b".repeat(63)}`],
        ["a\n"],
        ...HOSTILE.map((h) => [h]),
    ])("rejects %j", (s) => {
        expect(GCE_NAME.test(s)).toBe(false);
    });
});

describe("K8S_DNS_LABEL", () => {
    it.each([["a"], ["1"], ["default"], ["kube-system"], ["0abc"], ["a-b-1"], ["9".repeat(63)]])("accepts %j", (s) => {
        expect(K8S_DNS_LABEL.test(s)).toBe(true);
    });

    it.each([[""], ["-a"], ["a-"], ["Default"], ["a_b"], ["a.b"], ["a".repeat(64)], ["default\n"], ...HOSTILE.map((h) => [h])])(
        "rejects %j",
        (s) => {
            expect(K8S_DNS_LABEL.test(s)).toBe(false);
        },
    );
});

describe("INCIDENT_ID", () => {
    it.each([["42"], ["a"], ["0"], ["2026-11-25a"], ["inc-7"], [MAX_ID], ["bastion"], ["bastion-42"], ["42-bastions"]])("accepts %j", (s) => {
        expect(INCIDENT_ID.test(s)).toBe(true);
    });

    it.each([
        [""],
        ["-42"],
        ["42-"],
        ["Inc42"],
        ["inc_42"],
        ["inc.42"],
        [`${MAX_ID}x`],
        ["42\n"],
        // `42-bastion`'s isolation tag would be incident 42's bastion tag.
        ["42-bastion"],
        ["a-bastion"],
        ...HOSTILE.map((h) => [h]),
    ])("rejects %j", (s) => {
        expect(INCIDENT_ID.test(s)).toBe(false);
    });
});

describe("isK8sSubdomain", () => {
    it.each([
        ["web-5d9f"],
        ["a"],
        ["1"],
        ["web.default.svc"],
        ["gke-cluster-pool-1-abcdeffff-zgt8"],
        [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`], // 253
    ])("accepts %j", (s) => {
        expect(isK8sSubdomain(s)).toBe(true);
    });

    it.each([
        [""],
        ["Web"],
        ["web_1"],
        ["-web"],
        ["web-"],
        [".web"],
        ["web."],
        ["web..1"],
        ["web/1"],
        [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`], // 254
        ["web\n"],
        ...HOSTILE.map((h) => [h]),
    ])("rejects %j", (s) => {
        expect(isK8sSubdomain(s)).toBe(false);
    });
});

describe("shortHash", () => {
    it.each([
        ["default", 6, "37a8ee"],
        ["a".repeat(63), 8, "7d3e74a0"],
    ])("shortHash(%j, %d) is %j", (s, n, want) => {
        expect(shortHash(s, n)).toBe(want);
    });
});

describe("fitGceName", () => {
    it.each([
        ["q-42", "disk-1", "abcdef", "q-42-disk-1-abcdef"],
        ["q-42", "disk-1", "", "q-42-disk-1"],
        // exactly 63: returned whole
        ["q-42", "x".repeat(51), "abcdef", `q-42-${"x".repeat(51)}-abcdef`],
        ["q-42", "x".repeat(58), "", `q-42-${"x".repeat(58)}`],
        // 64: truncated, with a hash of the whole variable part
        ["q-42", "x".repeat(52), "abcdef", `q-42-${"x".repeat(42)}-${shortHash("x".repeat(52), 8)}-abcdef`],
        ["q-42", "x".repeat(59), "", `q-42-${"x".repeat(49)}-${shortHash("x".repeat(59), 8)}`],
        // a cut that ends in '-' drops it, so there is never a '--' before the hash
        ["q-42", `${"a".repeat(41)}-${"b".repeat(30)}`, "abcdef", `q-42-${"a".repeat(41)}-${shortHash(`${"a".repeat(41)}-${"b".repeat(30)}`, 8)}-abcdef`],
        ["q-abcdefghij0123456789", MAX_NAME, "8b3fee", "q-abcdefghij0123456789-daaaaaaaaaaaaaaaaaaaaaaa-f2dc0c22-8b3fee"],
    ])("fitGceName(%j, %j, %j) is %j", (prefix, variable, suffix, want) => {
        const got = fitGceName(prefix, variable, suffix);
        expect(got).toBe(want);
        expect(got.length).toBeLessThanOrEqual(GCE_NAME_MAX);
        expect(GCE_NAME.test(got)).toBe(true);
    });

    const ids = ["4", "42", "2026-11-25a", MAX_ID];
    const variables = [
        "bastion",
        "egress-deny",
        MAX_NAME,
        `${"a".repeat(62)}1`,
        `a${"-".repeat(61)}z`,
        `gke-${"a".repeat(25)}-${"b".repeat(25)}-zgt8`,
        ...Array.from({ length: 63 }, (_, i) => `v${"-x".repeat(31)}`.slice(0, i + 1).replace(/-$/, "z")),
    ];
    it.each(ids.flatMap((id) => [`q-${id}`, `quarantine-${id}`].map((prefix) => [prefix])))(
        "with prefix %j, every valid name and a hash suffix fits in 63 and is a GCE name",
        (prefix) => {
            for (const v of variables) {
                expect(GCE_NAME.test(v), v).toBe(true);
                for (const suffix of ["", shortHash(v)]) {
                    const got = fitGceName(prefix, v, suffix);
                    expect(got.length, `${prefix} ${v} ${suffix}`).toBeLessThanOrEqual(63);
                    expect(GCE_NAME.test(got), got).toBe(true);
                    expect(got.startsWith(`${prefix}-`)).toBe(true);
                    expect(got.endsWith(suffix ? `-${suffix}` : "")).toBe(true);
                }
            }
        },
    );

    it.each([
        [`${"n".repeat(50)}${"a".repeat(13)}`, `${"n".repeat(50)}${"b".repeat(13)}`],
        [`gke-prod-cluster-default-pool-0123456789-abcd-ef01${"-aaaa".repeat(2)}x`, `gke-prod-cluster-default-pool-0123456789-abcd-ef01${"-bbbb".repeat(2)}x`],
    ])("keeps %j and %j apart although they share their first 50 characters", (a, b) => {
        expect(a.slice(0, 50)).toBe(b.slice(0, 50));
        for (const prefix of ["q-42", `q-${MAX_ID}`, `quarantine-${MAX_ID}`]) {
            const x = fitGceName(prefix, a, "abcdef");
            const y = fitGceName(prefix, b, "abcdef");
            expect(x).not.toBe(y);
            expect(x.length).toBeLessThanOrEqual(63);
            expect(y.length).toBeLessThanOrEqual(63);
        }
    });

    it.each([
        ["p".repeat(50), "a".repeat(20), "s".repeat(5), `cannot fit a GCE name for "${"a".repeat(20)}" with prefix "${"p".repeat(50)}" and suffix "${"s".repeat(5)}"`],
        ["p".repeat(60), "a".repeat(10), "", `cannot fit a GCE name for "${"a".repeat(10)}" with prefix "${"p".repeat(60)}" and suffix ""`],
    ])("refuses prefix %j when there is no room for the variable part", (prefix, variable, suffix, message) => {
        expect(() => fitGceName(prefix, variable, suffix)).toThrow(message);
    });
});

describe("incidentNames", () => {
    it("derives every name of incident 42", () => {
        expect(incidentNames("42")).toEqual({
            id: "42",
            isolationTag: "quarantine-42",
            bastionTag: "quarantine-42-bastion",
            fieldManager: "quarantine-42",
            networkPolicy: "quarantine-42-deny-all",
        });
    });

    it.each([["42"], ["2026-11-25a"], [MAX_ID]])("derives tags that are valid GCE names for %j", (id) => {
        const n = incidentNames(id);
        for (const tag of [n.isolationTag, n.bastionTag, n.networkPolicy]) {
            expect(GCE_NAME.test(tag), tag).toBe(true);
        }
    });

    it.each([[""], ["Bad"], ["-42"], ["42-"], [`${MAX_ID}x`], ["42-bastion"], ["$(touch /tmp/x)"], ["a;b"], ["42\n"]])("refuses %j", (id) => {
        expect(() => incidentNames(id)).toThrow(`incident id "${id}" must match ${INCIDENT_ID} (e.g. 42 or 2026-11-25a)`);
    });

    it.each([
        ["42", "4"],
        ["42", "420"],
        ["42", "42-bastions"],
        ["a", "a-a"],
    ])("incidents %j and %j share no tag", (a, b) => {
        const x = incidentNames(a);
        const y = incidentNames(b);
        const tagsX = [x.isolationTag, x.bastionTag];
        const tagsY = [y.isolationTag, y.bastionTag];
        for (const t of tagsX) expect(tagsY).not.toContain(t);
        expect(x.networkPolicy).not.toBe(y.networkPolicy);
        expect(x.fieldManager).not.toBe(y.fieldManager);
    });
});

describe("firewallRuleName", () => {
    const n42 = incidentNames("42");

    it.each([
        ["42", "default", "egress-deny", "quarantine-42-egress-deny-37a8ee"],
        ["42", "vpc-2", "egress-deny", "quarantine-42-egress-deny-8ca740"],
        ["42", "default", "ingress-deny", `quarantine-42-ingress-deny-37a8ee`],
    ])("incident %j, network %j, rule %j is %j", (id, network, rule, want) => {
        expect(firewallRuleName(incidentNames(id), network, rule)).toBe(want);
    });

    it.each(["egress-deny", "ingress-deny", "ssh-bastion", "iap-bastion"].flatMap((rule) => [["42", rule], [MAX_ID, rule]]))(
        "incident %j rule %j: ≤ 63, a GCE name, distinct per incident and per network",
        (id, rule) => {
            const names = incidentNames(id);
            const other = incidentNames(id === "42" ? "43" : "abcdefghij012345678z");
            const a = firewallRuleName(names, "default", rule);
            const b = firewallRuleName(names, "projects/acme-prod/global/networks/vpc-2", rule);
            const c = firewallRuleName(other, "default", rule);
            for (const x of [a, b, c]) {
                expect(x.length).toBeLessThanOrEqual(63);
                expect(GCE_NAME.test(x), x).toBe(true);
            }
            expect(new Set([a, b, c]).size).toBe(3);
        },
    );

    it("gives the four rules of one network four names", () => {
        const rules = ["egress-deny", "ingress-deny", "ssh-bastion", "iap-bastion"].map((r) => firewallRuleName(n42, "default", r));
        expect(new Set(rules).size).toBe(4);
    });
});

describe("snapshotName", () => {
    const src = (zone: string, disk: string) => `projects/acme-prod/zones/${zone}/disks/${disk}`;

    it.each([
        [
            "42",
            "gke-cluster-pool-1-abcdeffff-zgt8",
            src("us-central1-a", "gke-cluster-pool-1-abcdeffff-zgt8"),
            "q-42-9f3c1a2b-gke-cluster-pool-1-abcdeffff-zgt8-520052",
        ],
        [MAX_ID, MAX_NAME, `projects/p/zones/z/disks/${MAX_NAME}`, "q-abcdefghij0123456789-9f3c1a2b-daaaaaaaaaaaaaa-f2dc0c22-8b3fee"],
    ])("incident %j disk %j is %j in run 9f3c1a2b", (id, disk, source, want) => {
        expect(snapshotName(incidentNames(id), disk, source, RUN)).toBe(want);
    });

    it("names the same disk differently in another quarantine run of the same incident", () => {
        const source = src("us-central1-a", "data");
        expect(snapshotName(incidentNames("42"), "data", source, RUN)).not.toBe(snapshotName(incidentNames("42"), "data", source, "00c0ffee"));
    });

    it.each([["42"], ["2026-11-25a"], [MAX_ID]])("incident %j: the longest disk name fits, and zones and incidents stay apart", (id) => {
        const names = incidentNames(id);
        const other = incidentNames(`${id.slice(0, 19)}q`);
        const a = snapshotName(names, MAX_NAME, src("us-central1-a", MAX_NAME), RUN);
        const b = snapshotName(names, MAX_NAME, src("us-central1-b", MAX_NAME), RUN);
        const c = snapshotName(other, MAX_NAME, src("us-central1-a", MAX_NAME), RUN);
        for (const x of [a, b, c]) {
            expect(x.length).toBeLessThanOrEqual(63);
            expect(GCE_NAME.test(x), x).toBe(true);
        }
        expect(new Set([a, b, c]).size).toBe(3);
    });

    it("keeps two long disks sharing their first 50 characters apart", () => {
        const d1 = `${"k".repeat(50)}${"1".repeat(13)}`;
        const d2 = `${"k".repeat(50)}${"2".repeat(13)}`;
        const names = incidentNames(MAX_ID);
        expect(snapshotName(names, d1, src("z", d1), RUN)).not.toBe(snapshotName(names, d2, src("z", d2), RUN));
    });
});

describe("evidenceBucketName", () => {
    // Cloud Storage: 3-63 characters, lowercase letters, digits, dashes; starts and ends with a
    // letter or digit (https://cloud.google.com/storage/docs/buckets#naming).
    const BUCKET = /^[a-z0-9][-a-z0-9]{1,61}[a-z0-9]$/;

    it("fits the longest project id and incident id into a valid bucket name", () => {
        const name = evidenceBucketName(incidentNames(MAX_ID), "a".repeat(30), RUN);
        expect(name).toMatch(BUCKET);
    });

    it("carries the run's random part, so nobody can create the incident's bucket ahead of it", () => {
        expect(evidenceBucketName(incidentNames("42"), "acme-prod", RUN)).toBe("acme-prod-q-42-9f3c1a2b");
    });
});

describe("bastionName", () => {
    const subnet = (name: string) => `projects/acme-prod/regions/us-central1/subnetworks/${name}`;

    it("names incident 42's bastion in the default subnetwork", () => {
        expect(bastionName(incidentNames("42"), subnet("default"))).toBe("quarantine-42-bastion-17bc1d");
    });

    it.each([["42"], ["2026-11-25a"], [MAX_ID]])("incident %j: ≤ 63, a GCE name, distinct per subnetwork and per incident", (id) => {
        const names = incidentNames(id);
        const other = incidentNames(`${id.slice(0, 19)}q`);
        const a = bastionName(names, subnet("default"));
        const b = bastionName(names, subnet("other"));
        const c = bastionName(other, subnet("default"));
        for (const x of [a, b, c]) {
            expect(x.length).toBeLessThanOrEqual(63);
            expect(GCE_NAME.test(x), x).toBe(true);
        }
        expect(new Set([a, b, c]).size).toBe(3);
    });
});

describe("lastSegment", () => {
    it.each([
        ["https://www.googleapis.com/compute/v1/projects/acme-prod/regions/us-central1/subnetworks/default", "default"],
        ["projects/acme-prod/global/networks/vpc-2", "vpc-2"],
        ["projects/acme-prod/zones/us-central1-a/disks/disk-1/", "disk-1"],
        ["default", "default"],
        ["", ""],
        ["/", "/"],
    ])("lastSegment(%j) is %j", (input, want) => {
        expect(lastSegment(input)).toBe(want);
    });
});
