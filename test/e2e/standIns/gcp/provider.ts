/**
 * STAND-IN `gcp` resource provider plugin, package `gcp` version 9.37.0, for the e2e suite.
 *
 * The real pulumi-gcp cannot be built here (a patched upstream submodule, 8-16 GB and most of an
 * hour), so this implements exactly the resources and functions the quarantine program uses, with
 * the semantics of the Terraform google provider that pulumi-gcp bridges, against the Compute,
 * Storage and Kubernetes Engine fakes in test/fakes, the same ones gcloud talks to. What it
 * leaves out: ../README.md. Started by the `pulumi-resource-gcp` launcher beside this file.
 */
import * as provider from "@pulumi/pulumi/provider";
import { randomBytes } from "node:crypto";
import { call, defaultProject, doing, endpoint } from "./client";
import { firewall, snapshot } from "./compute";
import { getInstance, instance } from "./instance";
import { bucket, bucketObject, getBucket } from "./storage";
import { changedInputs, containsUnknown, defined, reveal, type Bag, type ResourceType } from "./values";

const VERSION = "9.37.0";

const TYPES: Record<string, ResourceType> = {
    "gcp:compute/firewall:Firewall": firewall,
    "gcp:compute/snapshot:Snapshot": snapshot,
    "gcp:compute/instance:Instance": instance,
    "gcp:storage/bucket:Bucket": bucket,
    "gcp:storage/bucketObject:BucketObject": bucketObject,
};

/** getCluster: the fields the data source flattens that the program reads. */
async function getCluster(args: Bag): Promise<Bag> {
    const a = reveal(args);
    const path = `projects/${a.project ?? defaultProject()}/locations/${a.location}/clusters/${a.name}`;
    const c = await doing(`Error retrieving available container cluster ${a.name}`, () => call("GET", `${endpoint("container")}${path}`));
    const np = c.networkPolicy;
    return defined({
        id: path,
        name: c.name,
        location: c.location,
        project: a.project,
        network: c.network,
        enableAutopilot: c.autopilot?.enabled ?? false,
        datapathProvider: c.networkConfig?.datapathProvider ?? "",
        networkPolicies: [{ enabled: np?.enabled ?? false, provider: np?.provider ?? "PROVIDER_UNSPECIFIED" }],
        selfLink: c.selfLink,
    });
}

/**
 * getClientOpenIdUserInfo: the real one asks Google's userinfo endpoint whom the token belongs to.
 * The stand-in answers QUARANTINE_FAKE_IDENTITY, by default the user the Compute fake records.
 */
async function getClientOpenIdUserInfo(): Promise<Bag> {
    const email = process.env.QUARANTINE_FAKE_IDENTITY ?? "responder@example.com";
    return { id: email, email };
}

const FUNCTIONS: Record<string, (args: Bag) => Promise<Bag>> = {
    "gcp:compute/getInstance:getInstance": getInstance,
    "gcp:container/getCluster:getCluster": getCluster,
    "gcp:organizations/getClientOpenIdUserInfo:getClientOpenIdUserInfo": getClientOpenIdUserInfo,
    "gcp:storage/getBucket:getBucket": getBucket,
};

function typeOf(urn: string): ResourceType {
    const token = (urn.split("::")[2] ?? "").split("$").pop() ?? "";
    const t = TYPES[token];
    if (!t) throw new Error(`the gcp stand-in implements only ${Object.keys(TYPES).join(", ")}, not ${token}`);
    return t;
}

/** The bridge's check: unknown properties and missing required ones fail; schema defaults and autonames are filled in. */
function check(urn: string, news: Bag): provider.CheckResult {
    const t = typeOf(urn);
    const inputs: Bag = { ...(t.defaults ?? {}), ...defined(news) };
    const failures: provider.CheckFailure[] = Object.keys(news)
        .filter((k) => !t.inputs.includes(k))
        .map((k) => ({ property: k, reason: `unrecognized property ${k} (the gcp stand-in knows ${t.inputs.join(", ")})` }));
    // pulumi-gcp autonames `name`: the resource's name plus a random suffix.
    if (inputs.name === undefined && t.inputs.includes("name")) {
        inputs.name = `${(urn.split("::")[3] ?? "r").toLowerCase().replace(/[^a-z0-9-]/g, "-")}-${randomBytes(4).toString("hex").slice(0, 7)}`;
    }
    for (const k of t.required) {
        if (inputs[k] === undefined) failures.push({ property: k, reason: `Missing required property '${k}'` });
    }
    // Bucket locations are stored upper-cased (the schema's StateFunc), so a lower-case input never diffs.
    if (typeof inputs.location === "string" && t === bucket) inputs.location = inputs.location.toUpperCase();
    if (!containsUnknown(inputs)) failures.push(...(t.validate?.(reveal(inputs)) ?? []));
    return { inputs, failures };
}

export function makeProvider(): provider.Provider {
    return {
        version: VERSION,
        getSchema: async () => JSON.stringify({ name: "gcp", version: VERSION }),
        check: async (urn, _olds, news) => check(urn, news),
        diff: async (_id, urn, olds, news) => {
            const t = typeOf(urn);
            const changed = changedInputs(t, olds, news);
            return { changes: changed.length > 0, replaces: changed.filter((k) => t.forceNew.includes(k)) };
        },
        create: async (urn, inputs) => typeOf(urn).create(inputs),
        read: async (id, urn, props) => {
            const outs = await typeOf(urn).read(id, props ?? {});
            if (!outs) return {}; // no id: the resource is gone
            const t = typeOf(urn);
            return { id, props: outs, inputs: Object.fromEntries(t.inputs.filter((k) => props?.[k] !== undefined).map((k) => [k, props[k]])) };
        },
        update: async (id, urn, olds, news) => ({ outs: await typeOf(urn).update(id, olds, news) }),
        // deletionPolicy (pulumi-gcp's): PREVENT fails, ABANDON forgets the resource and leaves it in the API.
        delete: async (id, urn, props) => {
            const policy = reveal(props.deletionPolicy) ?? "DELETE";
            if (policy === "ABANDON") return;
            if (policy === "PREVENT") throw new Error(`cannot destroy ${id}: deletionPolicy is PREVENT`);
            await typeOf(urn).delete(id, props);
        },
        invoke: async (token, args) => {
            const f = FUNCTIONS[token];
            if (!f) throw new Error(`the gcp stand-in implements only the functions ${Object.keys(FUNCTIONS).join(", ")}, not ${token}`);
            return { outputs: await f(args) };
        },
    };
}

if (require.main === module) {
    // Nothing else may write to stdout: the engine reads the port from its first line.
    void provider.main(makeProvider(), process.argv.slice(2));
}
