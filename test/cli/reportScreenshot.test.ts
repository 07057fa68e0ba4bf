import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { reportModel } from "../../tools/cli/report";
import { renderHtml } from "../../tools/cli/reportHtml";
import { record, resources } from "./fixtures";

/**
 * The HTML report rendered by headless Chromium, as the incident commander's browser would: a
 * screenshot of it, and the DOM Chromium built. `.ci/run` installs Chromium (Debian's package)
 * and sets QUARANTINE_SCREENSHOT_REQUIRED=1, so there a missing Chromium fails; on a machine
 * without it (`npm test` on a fresh checkout) the test is skipped.
 */

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
const required = process.env.QUARANTINE_SCREENSHOT_REQUIRED === "1";

function chromium(args: string[]): string {
    if (!CHROMIUM) throw new Error("no Chromium, which QUARANTINE_SCREENSHOT_REQUIRED=1 requires: apt-get install chromium");
    const dir = mkdtempSync(join(tmpdir(), "quarantine-chromium-"));
    return execFileSync(CHROMIUM, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${dir}`, "--window-size=1200,1600", ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 60_000,
    });
}

function screenshot(html: string): { png: string; size: number } {
    const dir = mkdtempSync(join(tmpdir(), "quarantine-report-"));
    const page = join(dir, "report.html");
    const png = join(dir, "report.png");
    writeFileSync(page, html);
    chromium([`--screenshot=${png}`, `file://${page}`]);
    return { png, size: statSync(png).size };
}

describe.skipIf(!required && !CHROMIUM)("the HTML report in headless Chromium", () => {
    const html = renderHtml(reportModel({ record: record(4), resources: resources(), generatedAt: "2026-11-25T13:00:00Z" }));

    it("renders to a screenshot with far more on it than a blank page of the same size", () => {
        const report = screenshot(html);
        const blank = screenshot("<!doctype html><html><body></body></html>");
        expect(readFileSync(report.png).subarray(1, 4).toString()).toBe("PNG");
        expect(report.size).toBeGreaterThan(blank.size * 5);
    });

    it("builds the quarantine diagram as SVG, with no script and no external resource to fetch", () => {
        const dir = mkdtempSync(join(tmpdir(), "quarantine-report-"));
        const page = join(dir, "report.html");
        writeFileSync(page, html);
        const dom = chromium(["--dump-dom", `file://${page}`]);
        expect(dom).toContain("<svg");
        expect(dom).not.toMatch(/<script|<link[^>]+href=|src="http/);
    });
});
