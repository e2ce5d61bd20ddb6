// The gateway suite's markdown: one table per concurrency with every mode's figures, then the
// gateway's ratios against the goals (≥ 1.5× moleculer-web's req/s, ≤ 60 µs of CPU per request).
import { cell, fmt, median } from "../stats.js";

export interface Result {
  mode: string;
  concurrency: number;
  rps: number;
  p50: number;
  p99: number;
  /** the gateway process alone, µs per request; undefined in `direct` */
  gatewayCpuUs: number | undefined;
  /** gateway + service (the service alone in `direct`) */
  serverCpuUs: number;
  /** the load generator (our micro client in `direct`) */
  loadCpuUs: number;
  gatewayRss: number | undefined;
  serviceRss: number;
  /** our gateway only: registry lookups over the whole cell, warm-up and probe included */
  registryLookups?: number;
}

const of = (rs: Result[] | undefined, f: (r: Result) => number) => (rs ? median(rs.map(f)) : undefined);
const opt = (v: number | undefined, d = 0, suffix = "") => (v === undefined ? "-" : `${fmt(v, d)}${suffix}`);

function modeRow(rs: Result[], gateway: Result[] | undefined): string {
  const rps = rs.map((r) => r.rps);
  const vs = gateway ? median(rps) / of(gateway, (r) => r.rps)! : undefined;
  const gw =
    rs[0]!.gatewayCpuUs === undefined
      ? "-"
      : cell(
          rs.map((r) => r.gatewayCpuUs!),
          1,
        );
  const rss = rs[0]!.gatewayRss === undefined ? "-" : fmt(of(rs, (r) => r.gatewayRss!)!);
  return `| ${rs[0]!.mode} | ${cell(rps)} | ${cell(rs.map((r) => r.p50))} | ${cell(rs.map((r) => r.p99))} | ${gw} | ${cell(
    rs.map((r) => r.serverCpuUs),
    1,
  )} | ${cell(
    rs.map((r) => r.loadCpuUs),
    1,
  )} | ${rss} / ${fmt(of(rs, (r) => r.serviceRss)!)} | ${opt(vs, 2, "×")} |`;
}

export function renderTables(runs: Map<string, Result[]>, levels: number[], modes: string[]): string[] {
  const lines: string[] = [];
  for (const c of levels) {
    const gateway = runs.get(`gateway@${c}`);
    lines.push(
      `### concurrency ${c}`,
      "",
      "| mode | req/s | p50 µs | p99 µs | gateway CPU µs/req | gateway+service CPU µs/req | load gen CPU µs/req | RSS MiB gateway / service | req/s vs gateway |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const m of modes) {
      const rs = runs.get(`${m}@${c}`);
      if (rs) lines.push(modeRow(rs, gateway));
    }
    lines.push("");
  }
  lines.push(
    "### the gateway against the goals",
    "",
    "| conc | gateway ÷ moleculer-web req/s (goal ≥ 1.5×) | gateway ÷ go-micro-api req/s | added p50 / p99 µs vs direct | gateway CPU µs/req (goal ≤ 60) | same, Go service behind |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const c of levels) {
    const get = (m: string) => runs.get(`${m}@${c}`);
    const gw = get("gateway");
    const rps = of(gw, (r) => r.rps);
    const ratio = (m: string) => {
      const other = of(get(m), (r) => r.rps);
      return rps !== undefined && other !== undefined ? rps / other : undefined;
    };
    const direct = get("direct");
    const added = (f: (r: Result) => number) => (gw && direct ? of(gw, f)! - of(direct, f)! : undefined);
    const latency = gw && direct ? `${opt(added((r) => r.p50))} / ${opt(added((r) => r.p99))}` : "-";
    lines.push(
      `| ${c} | ${opt(ratio("moleculer-web"), 2, "×")} | ${opt(ratio("go-micro-api"), 2, "×")} | ${latency} | ${opt(
        of(gw, (r) => r.gatewayCpuUs!),
        1,
      )} | ${opt(
        of(get("gateway-go-service"), (r) => r.gatewayCpuUs!),
        1,
      )} |`,
    );
  }
  return lines;
}
