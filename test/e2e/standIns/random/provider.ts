/**
 * STAND-IN `random` resource provider plugin, package `random` version 4.21.2 (what
 * `@pulumi/random` 4.21.2 asks the engine for), for the e2e suite. The real pulumi-resource-random
 * is not built here. It implements one resource, `random:index/randomId:RandomId`, with the
 * semantics of terraform-provider-random's `random_id`, which pulumi-random bridges:
 * `byteLength` random bytes from a CSPRNG; `id` and `b64Url` are their unpadded base64url
 * encoding, `b64Std` the padded standard one, `hex` and `dec` the hex and decimal forms, each
 * output but `id` with `prefix` in front; `byteLength`, `keepers` and `prefix` are ForceNew, so any
 * change of them is a replacement, and nothing is ever updated in place. What it leaves out:
 * ../README.md. Started by the `pulumi-resource-random` launcher beside this file.
 */
import * as provider from "@pulumi/pulumi/provider";
import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";

const VERSION = "4.21.2";
const RANDOM_ID = "random:index/randomId:RandomId";
const INPUTS = ["byteLength", "keepers", "prefix"] as const;

type Bag = Record<string, any>;

// The engine sends secrets as signature-tagged objects and, in a preview, unknowns as a sentinel.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const isSecret = (v: any): boolean => typeof v === "object" && v !== null && v[SIG] === SECRET_SIG;
function reveal(v: any): any {
    if (isSecret(v)) return reveal(v.value);
    if (Array.isArray(v)) return v.map(reveal);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
    return v;
}
const containsUnknown = (v: any): boolean => v === UNKNOWN || (typeof v === "object" && v !== null && Object.values(v).some(containsUnknown));
/** The Node provider server refuses `undefined` in a Struct; the real provider omits unset optionals. */
const defined = (bag: Bag): Bag => Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== undefined && v !== null));

function requireRandomId(urn: string): void {
    const type = (urn.split("::")[2] ?? "").split("$").pop() ?? "";
    if (type !== RANDOM_ID) throw new Error(`the random stand-in implements only ${RANDOM_ID}, not ${type}`);
}

/** The bridge's check: unknown properties and a missing `byteLength` fail; the types are checked. */
function check(news: Bag): provider.CheckResult {
    const failures: provider.CheckFailure[] = Object.keys(news)
        .filter((k) => !(INPUTS as readonly string[]).includes(k))
        .map((k) => ({ property: k, reason: `unrecognized property ${k} (the random stand-in knows ${INPUTS.join(", ")})` }));
    const n = reveal(news.byteLength);
    if (n === undefined || n === null) failures.push({ property: "byteLength", reason: "Missing required property 'byteLength'" });
    // random_id's schema: byte_length is an int, at least 1 (int64validator.AtLeast(1)).
    else if (n !== UNKNOWN && (!Number.isInteger(n) || n < 1)) failures.push({ property: "byteLength", reason: `byteLength must be an integer of at least 1, got ${JSON.stringify(n)}` });
    const prefix = reveal(news.prefix);
    if (prefix !== undefined && prefix !== null && prefix !== UNKNOWN && typeof prefix !== "string") failures.push({ property: "prefix", reason: "prefix must be a string" });
    const keepers = reveal(news.keepers);
    if (keepers !== undefined && keepers !== null && keepers !== UNKNOWN && (typeof keepers !== "object" || Array.isArray(keepers))) {
        failures.push({ property: "keepers", reason: "keepers must be a map" });
    }
    return { inputs: defined(news), failures };
}

/** The outputs random_id's Create computes from the bytes (resource_id.go). */
function outputsOf(inputs: Bag, bytes: Buffer): Bag {
    const prefix = String(reveal(inputs.prefix) ?? "");
    const id = bytes.toString("base64url"); // base64.RawURLEncoding: no padding
    return {
        ...defined({ byteLength: inputs.byteLength, keepers: inputs.keepers, prefix: inputs.prefix }),
        id,
        b64Url: prefix + id,
        b64Std: prefix + bytes.toString("base64"), // base64.StdEncoding: padded
        hex: prefix + bytes.toString("hex"),
        dec: prefix + BigInt(`0x${bytes.toString("hex")}`).toString(10),
    };
}

/**
 * The random bytes, or, for a test that must know a name before it exists (a bucket name taken
 * first), the hex in QUARANTINE_FAKE_RANDOM_HEX: not something the real provider has.
 */
function bytesFor(n: number): Buffer {
    const fixed = process.env.QUARANTINE_FAKE_RANDOM_HEX;
    if (!fixed) return randomBytes(n);
    if (!new RegExp(`^[0-9a-f]{${2 * n}}$`).test(fixed)) throw new Error(`QUARANTINE_FAKE_RANDOM_HEX ${JSON.stringify(fixed)} is not ${n} bytes of lowercase hex`);
    return Buffer.from(fixed, "hex");
}

export function makeProvider(): provider.Provider {
    return {
        version: VERSION,
        getSchema: async () => JSON.stringify({ name: "random", version: VERSION }),
        check: async (urn, _olds, news) => {
            requireRandomId(urn);
            return check(news);
        },
        // Every input is ForceNew: a change (or an unknown in a preview) is a replacement.
        diff: async (_id, urn, olds, news) => {
            requireRandomId(urn);
            const changed = INPUTS.filter((k) => containsUnknown(news[k]) || !isDeepStrictEqual(reveal(olds[k] ?? undefined), reveal(news[k] ?? undefined)));
            return { changes: changed.length > 0, replaces: [...changed] };
        },
        create: async (urn, inputs) => {
            requireRandomId(urn);
            const outs = outputsOf(inputs, bytesFor(Number(reveal(inputs.byteLength))));
            return { id: outs.id, outs };
        },
        // random_id's Read only re-derives the encodings from the state: the state as it is.
        read: async (id, urn, props) => {
            requireRandomId(urn);
            return { id, props, inputs: defined({ byteLength: props?.byteLength, keepers: props?.keepers, prefix: props?.prefix }) };
        },
        update: async (_id, urn) => {
            requireRandomId(urn);
            throw new Error("random stand-in: RandomId has no in-place update (every input is ForceNew)");
        },
        // schema.RemoveFromState: nothing outside the state to delete.
        delete: async (_id, urn) => requireRandomId(urn),
    };
}

if (require.main === module) {
    // Nothing else may write to stdout: the engine reads the port from its first line.
    void provider.main(makeProvider(), process.argv.slice(2));
}
