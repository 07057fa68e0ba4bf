import { describe, expect, it } from "vitest";
import { matchingRefs, normaliseImageRef, parseImageRef } from "../../components/imageReference";

const D = `sha256:${"e".repeat(64)}`;

describe("image references: normalised to one form", () => {
    it.each([
        ["nginx", "docker.io/library/nginx"],
        ["docker.io/library/nginx", "docker.io/library/nginx"],
        ["index.docker.io/library/nginx", "docker.io/library/nginx"],
        ["docker.io/nginx:1.25", "docker.io/library/nginx:1.25"],
        ["library/nginx:1.25", "docker.io/library/nginx:1.25"],
        ["acme/tool:v1", "docker.io/acme/tool:v1"],
        ["ghcr.io/acme/tool", "ghcr.io/acme/tool"],
        ["localhost:5000/tool:dev", "localhost:5000/tool:dev"],
        ["localhost/tool", "localhost/tool"],
        [`ghcr.io/acme/tool@${D}`, `ghcr.io/acme/tool@${D}`],
        [`nginx:1.25@${D}`, `docker.io/library/nginx:1.25@${D}`],
        ["us-docker.pkg.dev/acme-prod/images/web_api:V1.2-rc", "us-docker.pkg.dev/acme-prod/images/web_api:V1.2-rc"],
    ])("%s → %s", (given, normal) => {
        expect(normaliseImageRef(given)).toBe(normal);
    });

    it.each([
        ["", "it is empty or has spaces around it"],
        [" nginx", "it is empty or has spaces around it"],
        ["NGINX", 'the repository part "NGINX" is not lowercase'],
        ["nginx@sha256:abc", 'the digest "sha256:abc" is not sha256:<64 lowercase hex>'],
        [`nginx@sha512:${"e".repeat(128)}`, "is not sha256:<64 lowercase hex>"],
        ["nginx:", 'the tag ""'],
        ["nginx:.hidden", 'the tag ".hidden"'],
        ["Registry.IO/x", 'the registry "Registry.IO" is not a lowercase host[:port]'],
        ["ghcr.io/acme/-tool", 'the repository part "-tool"'],
        ["ghcr.io//tool", 'the repository part ""'],
        ["nginx;id", 'the repository part "nginx;id"'],
        ["ghcr.io/acme/tool:v1'", `the tag "v1'"`],
        [`ghcr.io/${"a".repeat(250)}`, "longer than 255"],
    ])("%j is refused: %s", (given, why) => {
        const r = parseImageRef(given);
        expect("problem" in r && r.problem).toContain(why);
    });
});

describe("matching a spec image or an imageID", () => {
    const refs = ["docker.io/library/nginx:1.25", "ghcr.io/acme/tool", `quay.io/evil/x@${D}`, "docker.io/library/redis:latest"];
    it.each([
        ["nginx:1.25", ["docker.io/library/nginx:1.25"]],
        ["index.docker.io/nginx:1.25", ["docker.io/library/nginx:1.25"]],
        ["nginx:1.25.1", []],
        ["nginx-slim:1.25", []],
        ["ghcr.io/acme/tool@sha256:" + "f".repeat(64), ["ghcr.io/acme/tool"]],
        ["ghcr.io/acme/tools:v1", []],
        ["ghcr.io/acme/tool/sub:v1", []],
        // imageIDs: a repo digest, dockershim's scheme, the bare digest.
        [`docker.io/library/busybox@${D}`, [`quay.io/evil/x@${D}`]],
        [`docker-pullable://busybox@${D}`, [`quay.io/evil/x@${D}`]],
        [D, [`quay.io/evil/x@${D}`]],
        ["redis", ["docker.io/library/redis:latest"]],
        [`redis@${D}`, [`quay.io/evil/x@${D}`]],
        ["redis:7", []],
    ])("%s is %j", (image, want) => {
        expect(matchingRefs(image, refs)).toEqual(want);
    });
});
