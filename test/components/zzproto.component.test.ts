import { it, expect } from "vitest";
import * as gcp from "@pulumi/gcp";
import { mockEngine, StandIn, resolve } from "./componentMocks";
import { incidentNames } from "../../core/incidentNames";
import { CordonDrain } from "../../components/cordonDrain";
import { EvidenceBucket } from "../../components/evidenceBucket";

const engine = mockEngine({ calls: { "gcp:storage/getBucket:getBucket": (i) => { if (i.name !== "ok") throw new Error("not found"); return { name: i.name }; } } });
it("proto", async () => {
    const a = new StandIn("a");
    const cd = new CordonDrain("t", { names: incidentNames("42"), node: "n1", kubeContext: "ctx", drainTimeout: "5m", podsLabelled: [a] });
    const p = new gcp.Provider("p", { project: "x" });
    const eb = new EvidenceBucket("e", { names: incidentNames("42"), project: "x", location: "l", existing: "ok" }, { providers: [p] });
    console.log(await resolve(eb.bucketName));
    await engine.settled();
    console.log(JSON.stringify(engine.registrations.map(r => ({...r, inputs: r.type.startsWith("command") ? Object.keys(r.inputs) : r.inputs})), null, 1));
    console.log(engine.invocations);
    expect(1).toBe(1);
});
