/**
 * Dependency walks over any graph whose nodes name what they wait for: the recorder's resources,
 * the plan's steps, the bench's model, the contract runner and the policy pack's resources all
 * use these. No Pulumi, no I/O.
 */

export interface Node {
    readonly urn: string;
    readonly dependencies: readonly string[];
}

export type Index<N extends Node> = ReadonlyMap<string, N>;

export function indexOf<N extends Node>(nodes: readonly N[]): Map<string, N> {
    return new Map(nodes.map((n) => [n.urn, n]));
}

/** Direct dependencies of `n` that are nodes of `index` (others drop out). */
export function depsOf<N extends Node>(n: N, index: Index<N>): N[] {
    return n.dependencies.map((u) => index.get(u)).filter((d): d is N => d !== undefined);
}

/**
 * Every URN `n` waits for, directly or through others. URNs not in `index` are included but not
 * followed further (a dependency outside the graph still counts as waited for).
 */
export function waitsFor(n: { readonly dependencies: readonly string[] }, index: Index<Node>): Set<string> {
    const seen = new Set<string>();
    const todo = [...n.dependencies];
    for (let u = todo.pop(); u !== undefined; u = todo.pop()) {
        if (seen.has(u)) continue;
        seen.add(u);
        todo.push(...(index.get(u)?.dependencies ?? []));
    }
    return seen;
}

/** Length of the longest chain of nodes ending with each node, the node included (1 = waits for nothing). */
export function depths<N extends Node>(nodes: readonly N[]): Map<string, number> {
    const index = indexOf(nodes);
    const depth = new Map<string, number>();
    const visit = (n: N, path: Set<string>): number => {
        const known = depth.get(n.urn);
        if (known !== undefined) return known;
        if (path.has(n.urn)) throw new Error(`dependency cycle through ${n.urn}`);
        path.add(n.urn);
        const d = 1 + Math.max(0, ...depsOf(n, index).map((x) => visit(x, path)));
        path.delete(n.urn);
        depth.set(n.urn, d);
        return d;
    };
    nodes.forEach((n) => visit(n, new Set()));
    return depth;
}

/** One longest chain ending at the deepest node of `set`, first node first. */
export function longestChain<N extends Node>(set: readonly N[], nodes: readonly N[], depth: ReadonlyMap<string, number>): N[] {
    if (set.length === 0) return [];
    const index = indexOf(nodes);
    let n: N | undefined = [...set].sort((a, b) => depth.get(b.urn)! - depth.get(a.urn)!)[0];
    const chain: N[] = [];
    while (n) {
        chain.unshift(n);
        n = depsOf(n, index).sort((a, b) => depth.get(b.urn)! - depth.get(a.urn)!)[0];
    }
    return chain;
}

/**
 * The nodes in an order where each comes after everything it depends on, declaration order kept
 * where the graph allows. Dependencies outside `nodes` are taken as done.
 */
export function inDependencyOrder<N extends Node>(nodes: readonly N[]): N[] {
    const inGraph = new Set(nodes.map((n) => n.urn));
    const done = new Set<string>();
    const order: N[] = [];
    const left = [...nodes];
    while (left.length) {
        const i = left.findIndex((n) => n.dependencies.every((d) => done.has(d) || !inGraph.has(d)));
        if (i < 0) throw new Error(`dependency cycle among ${left.map((n) => n.urn).join(", ")}`);
        const [n] = left.splice(i, 1);
        done.add(n.urn);
        order.push(n);
    }
    return order;
}
