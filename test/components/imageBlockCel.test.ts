import { evaluate } from "@marcbachmann/cel-js";
import { describe, expect, it } from "vitest";
import { imageBlockCel } from "../../components/imageBlockCel";
import { normaliseImageRef } from "../../components/imageReference";

/**
 * The admission policy's CEL, evaluated for real by an npm CEL evaluator, the way the API server
 * runs a ValidatingAdmissionPolicy: each variable in order, then the validation, and the message
 * expression when it fails. Only core CEL is used, which both accept.
 */
const BLOCKED = ["nginx:1.25", "ghcr.io/acme/miner", `quay.io/evil/tool@sha256:${"a".repeat(64)}`, "evil/cryptominer:latest"].map((r) => normaliseImageRef(r)!);
const cel = imageBlockCel("42", BLOCKED);

/** What admission decides for `object`: allowed, or the denial message. */
function admit(object: Record<string, unknown>): { allowed: true } | { allowed: false; message: string } {
    const variables: Record<string, unknown> = {};
    const ctx = { object, oldObject: null, request: { operation: "CREATE" }, variables };
    for (const v of cel.variables) variables[v.name] = evaluate(v.expression, ctx);
    if (evaluate(cel.validation.expression, ctx) === true) return { allowed: true };
    return { allowed: false, message: String(evaluate(cel.validation.messageExpression, ctx)) };
}

const containers = (...images: string[]) => images.map((image, i) => ({ name: `c${i}`, image }));
const podSpec = (...images: string[]) => ({ containers: containers(...images) });
const pod = (spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec });
const workload = (apiVersion: string, kind: string, spec: Record<string, unknown>) => ({
    apiVersion,
    kind,
    metadata: { name: "w", namespace: "default" },
    spec: { selector: { matchLabels: { app: "w" } }, template: { metadata: { labels: { app: "w" } }, spec } },
});
const cronJob = (spec: Record<string, unknown>) => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "cj", namespace: "default" },
    spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", ...spec } } } } },
});

describe("the image block's CEL", () => {
    it.each<[string, Record<string, unknown>, string]>([
        ["a Pod, spelled as the responder did", pod(podSpec("nginx:1.25")), "nginx:1.25"],
        ["a Pod, the image fully spelled out", pod(podSpec("busybox:1.36", "docker.io/library/nginx:1.25")), "docker.io/library/nginx:1.25"],
        ["a Pod, the legacy Docker Hub name", pod(podSpec("index.docker.io/library/nginx:1.25")), "index.docker.io/library/nginx:1.25"],
        ["a Pod, the tag pinned to a digest", pod(podSpec(`nginx:1.25@sha256:${"b".repeat(64)}`)), `nginx:1.25@sha256:${"b".repeat(64)}`],
        ["a Pod's init container", pod({ ...podSpec("busybox:1.36"), initContainers: containers("ghcr.io/acme/miner:v2") }), "ghcr.io/acme/miner:v2"],
        ["a repository blocked for every tag, by digest", pod(podSpec(`ghcr.io/acme/miner@sha256:${"c".repeat(64)}`)), `ghcr.io/acme/miner@sha256:${"c".repeat(64)}`],
        ["a digest, pushed under another name", pod(podSpec(`registry.example/mirror/tool@sha256:${"a".repeat(64)}`)), `registry.example/mirror/tool@sha256:${"a".repeat(64)}`],
        ["an untagged image, which the runtime pulls as :latest", pod(podSpec("evil/cryptominer")), "evil/cryptominer"],
        ["a Deployment", workload("apps/v1", "Deployment", podSpec("nginx:1.25")), "nginx:1.25"],
        ["a StatefulSet", workload("apps/v1", "StatefulSet", podSpec("ghcr.io/acme/miner")), "ghcr.io/acme/miner"],
        ["a DaemonSet", workload("apps/v1", "DaemonSet", podSpec("docker.io/evil/cryptominer:latest")), "docker.io/evil/cryptominer:latest"],
        ["a ReplicaSet", workload("apps/v1", "ReplicaSet", podSpec("nginx:1.25")), "nginx:1.25"],
        ["a Job", workload("batch/v1", "Job", podSpec("ghcr.io/acme/miner:v1")), "ghcr.io/acme/miner:v1"],
        ["a CronJob's nested template", cronJob(podSpec("nginx:1.25")), "nginx:1.25"],
        [
            "an ephemeral container added to a running pod (pods/ephemeralcontainers, whose object is the Pod)",
            pod({ ...podSpec("busybox:1.36"), ephemeralContainers: [{ name: "debugger", image: "ghcr.io/acme/miner:debug", targetContainerName: "c0" }] }),
            "ghcr.io/acme/miner:debug",
        ],
    ])("denies %s, naming the image and the incident", (_what, object, image) => {
        expect(admit(object)).toEqual({ allowed: false, message: `image ${image} is blocked by quarantine incident 42 (a malicious image under investigation)` });
    });

    it.each<[string, Record<string, unknown>]>([
        ["a similar name", pod(podSpec("nginx-unprivileged:1.25", "nginxinc/nginx:1.25", "evilnginx:1.25"))],
        ["another tag", pod(podSpec("nginx:1.25.1", "nginx:1.2", "nginx", "evil/cryptominer:v1"))],
        ["another registry", pod(podSpec("ghcr.io/library/nginx:1.25", "registry.example/nginx:1.25", "ghcr.io/acme2/miner"))],
        ["a registry host that begins like the blocked name", pod(podSpec("nginx:5000/app:1.25"))],
        ["another digest", pod(podSpec(`quay.io/evil/tool@sha256:${"d".repeat(64)}`))],
        ["a deeper repository of a blocked one", workload("apps/v1", "Deployment", podSpec("ghcr.io/acme/miner/sidecar:v1"))],
        ["a CronJob of clean images", cronJob(podSpec("busybox:1.36"))],
        ["a Pod without init or ephemeral containers", pod(podSpec("busybox:1.36"))],
    ])("allows %s", (_what, object) => {
        expect(admit(object)).toEqual({ allowed: true });
    });

    it("does not fail (which failurePolicy Fail would turn into a denial) on an object without the fields it reads", () => {
        expect(admit({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "w" }, spec: {} })).toEqual({ allowed: true });
        expect(admit({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cj" }, spec: { jobTemplate: {} } })).toEqual({ allowed: true });
        expect(admit(pod({ containers: [{ name: "no-image" }] }))).toEqual({ allowed: true });
    });
});
