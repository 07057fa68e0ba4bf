import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { milestones, parseEventLog, since } from "../../bench/eventLog";

// bench/measured.ts reads its figures from the engine's event log; these pin how. The fixture is
// recorded from `pulumi up --event-log` (CLI v3.248.0, 1 pod, isolate): the events the milestones
// rest on and their neighbours, each resource's inputs and outputs emptied to keep it small.
const FIXTURE = readFileSync(path.join(__dirname, "fixtures/events-1pod.jsonl"), "utf8");

describe("the event log's milestones", () => {
    it("pod isolation is the later of the pod's label and the deny-all finishing; the node's cut-off is its tag finishing, not its start", () => {
        const m = milestones(parseEventLog(FIXTURE));
        expect(m).toEqual({
            updateStart: 1796156064,
            podsIsolated: 1796156080,
            nodesCutOff: 1796156136,
            updateDone: 1796156162,
            counts: { labels: 1, denyAlls: 1, tags: 1, failed: 0 },
        });
    });

    it("counts only the last operation of a log that holds two (its sequence numbers restart)", () => {
        const earlier = FIXTURE.split("\n")
            .filter(Boolean)
            .map((l) => JSON.stringify({ ...JSON.parse(l), timestamp: JSON.parse(l).timestamp - 500 }))
            .join("\n");
        expect(milestones(parseEventLog(`${earlier}\n${FIXTURE}`))).toEqual(milestones(parseEventLog(FIXTURE)));
    });

    it("is not reached when the log has no such step", () => {
        const noTag = FIXTURE.split("\n").filter((l) => !l.includes("/tag")).join("\n");
        const m = milestones(parseEventLog(noTag));
        expect(m.nodesCutOff).toBeUndefined();
        expect(since(Date.now(), m.nodesCutOff)).toBe("not reached");
    });

    it("refuses a line that is not JSON, naming it", () => {
        expect(() => parseEventLog(`${FIXTURE}{"sequence":`)).toThrow(/^event log line 13 is not JSON/);
    });
});

describe("since", () => {
    it("counts whole seconds from the spawn of pulumi up", () => {
        expect(since(1796156063_900, 1796156080)).toBe("17");
        expect(since(1796156064_100, 1796156064)).toBe("0");
    });
});
