import { describe, expect, it } from "vitest";
import { parseListing, podsRunning } from "../../../stacks/incident/imageMatch";

/** Lines as `pods-by-image.read.sh`'s template prints them: urlquery-escaped, lists led by "". */
const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe("the pod listing", () => {
    it("is decoded: Go's urlquery escapes (+ for a space, %XX) undone, the empty leaders dropped", () => {
        const out = [
            line({ namespace: "default", name: "web-1", node: "n1", images: ["", "nginx%3A1.25", ""], running: ["", "docker.io%2Flibrary%2Fnginx%3A1.25", "docker.io%2Flibrary%2Fnginx%40sha256%3Aab"] }),
            line({ namespace: "default", name: "pending", node: "", images: ["", "a+b%22%0A"], running: [""] }),
        ].join("\n");
        expect(parseListing(`${out}\n`)).toEqual([
            { ref: { namespace: "default", name: "web-1" }, node: "n1", images: ["nginx:1.25"], running: ["docker.io/library/nginx:1.25", "docker.io/library/nginx@sha256:ab"] },
            // An image field with a quote and a newline stays one value of one pod.
            { ref: { namespace: "default", name: "pending" }, images: ['a b"\n'], running: [] },
        ]);
    });

    it.each([
        ["a line that is not JSON", "default web-1 n1", "is not JSON"],
        ["a pod name that is not a Kubernetes name", line({ namespace: "default", name: "web%3B1", node: "n1", images: [""], running: [""] }), "not a Kubernetes pod name"],
        ["a node name that is not a Kubernetes name", line({ namespace: "default", name: "w", node: "..", images: [""], running: [""] }), "not a Kubernetes pod name"],
    ])("fails on %s: a garbled listing must not quietly leave a pod out", (_what, out, why) => {
        expect(() => parseListing(out)).toThrow(why);
    });

    it("finds pods by spec image, status image and imageID, each pod once with every reference it matched", () => {
        const pods = parseListing(
            [
                line({ namespace: "a", name: "p1", node: "n1", images: ["", "nginx%3A1.25", "ghcr.io%2Facme%2Ftool%3Av1"], running: [""] }),
                line({ namespace: "a", name: "p2", node: "n1", images: ["", "busybox"], running: ["", "busybox", `ghcr.io%2Facme%2Ftool%40sha256%3A${"c".repeat(64)}`] }),
                line({ namespace: "a", name: "p3", node: "n2", images: ["", "nginx%3A1.24"], running: [""] }),
            ].join("\n"),
        );
        expect(podsRunning(pods, ["docker.io/library/nginx:1.25", "ghcr.io/acme/tool"])).toEqual([
            { ref: { namespace: "a", name: "p1" }, node: "n1", blocked: ["docker.io/library/nginx:1.25", "ghcr.io/acme/tool"] },
            { ref: { namespace: "a", name: "p2" }, node: "n1", blocked: ["ghcr.io/acme/tool"] },
        ]);
    });
});
