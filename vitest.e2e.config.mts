import { defineConfig } from "vitest/config";

// The end-to-end suite: real binaries (test/e2e/tools/build.sh), real `pulumi up`. Not part of
// `npm test` (whose include, test/**/*.test.ts, does not match *.e2e.ts). Run: npm run test:e2e.
export default defineConfig({
    test: {
        include: ["test/e2e/**/*.e2e.ts"],
        pool: "forks",
        // One scenario at a time: each drives a CLI and its plugins, and the machine has 2 cores.
        fileParallelism: false,
        testTimeout: 600_000,
        hookTimeout: 300_000,
    },
});
