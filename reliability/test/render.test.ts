// The generator renders the recorded figures: a fixture run becomes the summary and the scenario
// tables, and the fragments other parts of the suite commit fill their sections (or say "pending").
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importFragments, readFragments } from "../src/report/fragments.js";
import { shiftHeadings, table } from "../src/report/markdown.js";
import { renderReliability } from "../src/report/render.js";
import type { ChaosResults } from "../src/results.js";

const chaos = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures/chaos.json"), "utf8"),
) as ChaosResults;

describe("renderReliability", () => {
  const md = renderReliability({
    chaos,
    fragments: { "fuzz.md": "# Fuzz\n\n## Codecs\n\n1.4 M inputs, 0 crashes\n" },
  });

  it("writes the run's date, machine and server versions", () => {
    expect(md).toContain("| date | 2026-01-02T03:04:05Z |");
    expect(md).toContain("2 cores (Test CPU), 8 GB");
    expect(md).toContain("nats-server 2.9.10 (JetStream); etcd 3.4.23");
  });

  it("counts the goals met and lists each with its verdict", () => {
    expect(md).toContain("3 of 5 goals met.");
    expect(md).toContain(
      "| kill -9 one of three (not marked) | failed calls ≤ concurrency (16) | 5 of 120 000 calls failed | met |",
    );
    expect(md).toContain(
      "| SIGTERM one of three (not marked) | 0 failed calls | 1 of 100 000 calls failed | **not met** |",
    );
    expect(md).toContain("- kafka scenarios: not run (kafka did not start)");
  });

  it("renders the scenario tables, escaping pipes in error texts", () => {
    expect(md).toContain(
      "| kill -9 | not marked | 120 000 | 5 | 5 × `go.micro.client.transport 500: EOF` | 12 ms |",
    );
    expect(md).toContain("1 × `go.micro.client 500: boom \\| pipe`");
    expect(md).toContain("| etcd | empty data dir | 20.4 s | 300 000 | 0 | — | 850 ms |");
    expect(md).toContain(
      "| NATS | JetStream durable consumer | 6 000 | 6 000 | 0 | 5 500 | 500 (#1000–1499; stopped near #990) | 0 |",
    );
    expect(md).toMatch(/### 5\. A slow node[\s\S]*_not run_/);
  });

  it("fills a section from its fragment, headings under the section's", () => {
    expect(md).toContain("## Fuzzing\n\n### Fuzz\n\n#### Codecs\n\n1.4 M inputs, 0 crashes");
    expect(md).toContain("## Adversarial transport\n\n_Pending:");
  });

  it("says the chaos figures are pending when no run is recorded", () => {
    const empty = renderReliability({ fragments: {} });
    expect(empty).toContain("_Chaos figures pending");
    expect(empty).not.toContain("## Summary");
  });
});

describe("markdown pieces", () => {
  it("aligns and escapes table cells", () => {
    expect(table(["a", "b"], [["x|y", 1]], ["l", "r"])).toBe("| a | b |\n| --- | ---: |\n| x\\|y | 1 |");
  });

  it("leaves headings in code fences alone", () => {
    expect(shiftHeadings("# A\n```\n# not a heading\n```\n## B", 3)).toBe(
      "### A\n```\n# not a heading\n```\n#### B",
    );
  });
});

describe("fragments", () => {
  it("copies a fragment from where its producer writes it, and reads it back", () => {
    const dir = mkdtempSync(join(tmpdir(), "reliability-"));
    const source = join(dir, "source.md");
    writeFileSync(source, "figures\n");
    const fragments = [{ file: "x.md", title: "X", source, pending: "later" }];
    expect(importFragments(dir, fragments)).toHaveLength(1);
    expect(readFragments(dir, fragments)).toEqual({ "x.md": "figures\n" });
    expect(importFragments(dir, [{ ...fragments[0]!, source: join(dir, "absent.md") }])).toEqual([]);
  });
});
