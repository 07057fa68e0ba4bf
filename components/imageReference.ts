/**
 * Container image references (`quarantine:images`): the grammar of distribution/reference
 * (https://github.com/distribution/reference/blob/main/reference.go), its normalisation, and the
 * one matcher that discovery (on the pods' images and imageIDs) and the admission policy's CEL
 * (on new objects' images) both use, so the two can't disagree about what "this image" is.
 * Pure: no Pulumi, no I/O.
 */

/** A reference as the responder meant it, normalised: `docker.io/library/nginx`, `:1.25`, `@sha256:…`. */
export interface ImageRef {
    /** `registry/repository`, the registry always spelled out (`docker.io`, never `index.docker.io`). */
    readonly name: string;
    readonly tag?: string;
    /** `sha256:<64 hex>`. */
    readonly digest?: string;
}

const DOMAIN_COMPONENT = "(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])";
/** A registry host, lowercase (no IPv6 literals), with an optional port. */
const DOMAIN = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]{1,5})?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** The grammar's limit on a name, registry included. */
const NAME_MAX = 255;

export const IMAGE_EXAMPLE = "e.g. docker.io/library/nginx:1.25, ghcr.io/acme/miner@sha256:<64 hex>, or ghcr.io/acme/miner for every tag";

/**
 * Every spelling of Docker Hub. `registry-1.docker.io` is not one: the runtimes only rewrite
 * `index.docker.io` (https://github.com/distribution/reference/blob/main/normalize.go).
 */
const DOCKER_HUB = "docker.io";
const LEGACY_DOCKER_HUB = "index.docker.io";

/** The reference normalised, or why it is not one (a phrase that follows the bad value). */
export function parseImageRef(s: string): ImageRef | { readonly problem: string } {
    const bad = (why: string) => ({ problem: `is not an image reference: ${why}; ${IMAGE_EXAMPLE}` });
    if (s.trim() !== s || s === "") return bad("it is empty or has spaces around it");
    let rest = s;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) return bad(`the digest ${JSON.stringify(digest)} is not sha256:<64 lowercase hex>`);
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag)) return bad(`the tag ${JSON.stringify(tag)} is not letters, digits, '_', '.', '-' (≤ 128, not starting with '.' or '-')`);
    }
    const parts = rest.split("/");
    // The first part is a registry only when it looks like a host: the grammar's own rule.
    const first = parts[0];
    const hasDomain = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
    let domain = hasDomain ? first : DOCKER_HUB;
    if (hasDomain && !DOMAIN.test(domain)) return bad(`the registry ${JSON.stringify(domain)} is not a lowercase host[:port]`);
    const path = hasDomain ? parts.slice(1) : parts;
    for (const p of path) {
        if (!PATH_COMPONENT.test(p)) {
            return bad(`the repository part ${JSON.stringify(p)} is not lowercase letters and digits joined by '.', '_', '__' or '-'`);
        }
    }
    if (domain === LEGACY_DOCKER_HUB) domain = DOCKER_HUB;
    // Docker Hub's official images live under library/: `nginx` is docker.io/library/nginx.
    if (domain === DOCKER_HUB && path.length === 1) path.unshift("library");
    const name = `${domain}/${path.join("/")}`;
    if (name.length > NAME_MAX) return bad(`the name is longer than ${NAME_MAX} characters`);
    return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** The normalised reference as one string: `docker.io/library/nginx:1.25`. */
export function formatImageRef(r: ImageRef): string {
    return `${r.name}${r.tag === undefined ? "" : `:${r.tag}`}${r.digest === undefined ? "" : `@${r.digest}`}`;
}

/** `nginx`, `docker.io/library/nginx` and `index.docker.io/library/nginx:1.25` in their one form. */
export function normaliseImageRef(s: string): string | undefined {
    const r = parseImageRef(s);
    return "problem" in r ? undefined : formatImageRef(r);
}

/** A literal piece of a name or tag as a regex: `[.]` for a dot, so the pattern needs no backslash (none may reach the CEL). */
function literal(s: string): string {
    return s.replace(/\./g, "[.]");
}

const ANY_TAG = "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?";
const ANY_DIGEST = "(@sha256:[a-f0-9]{64})?";

/** Every way a pod spec may spell the name: Docker Hub's with or without its registry and `library/`. */
function nameSpellings(name: string): string {
    const [domain, ...path] = name.split("/");
    if (domain !== DOCKER_HUB) return literal(name);
    const hub = `(${literal(DOCKER_HUB)}/|${literal(LEGACY_DOCKER_HUB)}/)?`;
    if (path.length === 2 && path[0] === "library") return `${hub}(library/)?${literal(path[1])}`;
    return `${hub}${literal(path.join("/"))}`;
}

/**
 * A regex (RE2 and JavaScript alike: no backslashes, no look-around) that an image string from a
 * pod spec or a status imageID matches when it is the blocked image:
 * - a digest blocks that content under any name (a digest names the bytes, wherever they were
 *   pushed; a status imageID may be the bare `sha256:…`);
 * - a tag blocks that tag (`:latest` also the untagged name, which the runtime pulls as latest);
 * - a bare name blocks every tag and digest of the repository.
 */
export function imageMatcher(r: ImageRef): string {
    if (r.digest !== undefined) return `(^|@)${r.digest}$`;
    const name = nameSpellings(r.name);
    if (r.tag === "latest") return `^${name}(:latest${ANY_DIGEST})?$`;
    if (r.tag !== undefined) return `^${name}:${literal(r.tag)}${ANY_DIGEST}$`;
    return `^${name}${ANY_TAG}${ANY_DIGEST}$`;
}

/** What a matcher may contain before it is written into a CEL string literal: no quote, no backslash, no space. */
export const SAFE_MATCHER = /^[A-Za-z0-9_.:/@()?|^$[\]{},-]+$/;

/** The normalised references (as `formatImageRef` writes them) that `image` (a spec image or an imageID) is. */
export function matchingRefs(image: string, refs: readonly string[]): string[] {
    // dockershim's imageIDs carry a scheme: docker-pullable://nginx@sha256:…
    const bare = image.replace(/^[a-z-]+:\/\//, "");
    return refs.filter((ref) => {
        const r = parseImageRef(ref);
        return !("problem" in r) && new RegExp(imageMatcher(r)).test(bare);
    });
}
