import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts", "policies/**/*.test.ts"],
        // The mock engine keeps global state per process: one file per worker, files in isolation.
        pool: "forks",
        testTimeout: 30_000,
        hookTimeout: 30_000,
    },
});
