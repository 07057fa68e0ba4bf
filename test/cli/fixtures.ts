import { readFileSync } from "node:fs";
import * as path from "node:path";
import { normalizeHistory, type IncidentRecord, type Outputs, type RawUpdate } from "../../tools/cli/record";
import type { DeployedResource, LiveReads } from "../../tools/cli/verify";

/**
 * The recorded incident the CLI tests share. outputs.json and deployment.json are the sample
 * incident's real outputs and resources under the mock engine (tools/mockEngine, as `npm run
 * plan` runs it), with the custody manifest's hashes, snapshot ids, a refused capture and a `dns:`
 * finding made realistic; history.json is `stack.history()` of observe → isolate → verify →
 * close; live.json what gcloud and kubectl return for the quarantined VM and namespace.
 */

const read = (f: string) => JSON.parse(readFileSync(path.join(__dirname, "fixtures", f), "utf8"));

export const outputs = (): Outputs => read("outputs.json");
export const rawHistory = (): RawUpdate[] => read("history.json");
export const resources = (): DeployedResource[] => read("deployment.json").deployment.resources;
export const live = (): LiveReads => read("live.json");

/** The incident up to version `upTo` (4: closed, 2: just isolated). */
export function record(upTo = 4, o: Outputs = outputs()): IncidentRecord {
    return { stack: "incident-42", incidentId: "42", outputs: o, history: normalizeHistory(rawHistory().filter((u) => u.version <= upTo)) };
}
