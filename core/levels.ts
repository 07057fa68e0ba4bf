/** The runbook's escalation ladder, in its order; each level includes the ones before it. */
export const LEVELS = ["observe", "isolate", "redeploy", "delete-workload", "delete-node"] as const;
export type Level = (typeof LEVELS)[number];

/** The levels that delete something; they need `quarantine:confirm`. */
export type DestructiveLevel = Exclude<Level, "observe" | "isolate">;

export function isDestructive(level: Level): level is DestructiveLevel {
    return LEVELS.indexOf(level) > LEVELS.indexOf("isolate");
}

/** Whether `level` includes `step` (`delete-node` includes `isolate`). */
export function reaches(level: Level, step: Level): boolean {
    return LEVELS.indexOf(level) >= LEVELS.indexOf(step);
}
