import type { FakeGkeCluster } from "../../tools/mockEngine/sampleCluster";
import { ApiError, FakeApi, Violation, strictQuery, type Req, type Route } from "./http";

/**
 * A Kubernetes Engine API fake with one call, projects.locations.clusters.get
 * (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters/get):
 * what the stand-in gcp provider's `container/getCluster` reads (autopilot, datapath, network
 * policy, network). The answer has only the fields the program looks at.
 */

export interface ContainerState {
    project: string;
    clusters: FakeGkeCluster[];
}

export class ContainerFake extends FakeApi<ContainerState> {
    protected errorBody(e: ApiError): unknown {
        return { error: { code: e.status, message: e.message, status: e.reason } };
    }

    protected makeStale(): boolean {
        return false;
    }

    protected route(req: Req): Route {
        const s = req.segments;
        if (req.method !== "GET" || s[0] !== "v1" || s[1] !== "projects" || s[3] !== "locations" || s[5] !== "clusters" || s.length !== 7) {
            throw new Violation(`unknown path ${req.method} ${req.path}`, 404);
        }
        strictQuery(req.query, ["alt", "prettyPrint"], "clusters.get");
        const [project, location, name] = [s[2], s[4], s[6]];
        return {
            op: "clusters.get",
            handle: () => {
                const c = this.state.clusters.find((x) => x.name === name && x.location === location);
                if (project !== this.state.project || !c) {
                    throw new ApiError(404, `Not found: projects/${project}/locations/${location}/clusters/${name}.`, "NOT_FOUND");
                }
                return {
                    name: c.name,
                    location: c.location,
                    network: "default",
                    autopilot: { enabled: c.enableAutopilot ?? false },
                    networkConfig: { datapathProvider: c.datapathProvider ?? "LEGACY_DATAPATH", network: `projects/${project}/global/networks/default` },
                    networkPolicy: { enabled: c.networkPolicyEnabled ?? false, provider: c.networkPolicyEnabled ? "CALICO" : "PROVIDER_UNSPECIFIED" },
                    selfLink: `${this.base}/v1/projects/${project}/locations/${location}/clusters/${name}`,
                };
            },
        };
    }
}
