// Which endpoints become tools. A large mesh has hundreds of endpoints and an agent reads every tool
// description it is given, so an operator narrows the list: `include` keeps only what matches one of
// its patterns (everything when empty), `exclude` then drops what matches one of its own.
//
// A pattern is one of
//   greeter                 a service (every endpoint of it)
//   greeter.Greeter.Hello   one endpoint, as go-micro names its tools (service.Endpoint)
//   key=value               endpoint metadata (else the service's own metadata) with that value
// and `*` (any run of characters, dots included) and `?` (one character) work in each, so
// `billing.*`, `*.Admin.*` and `visibility=public*` do what they look like.

export interface ToolFilters {
  include?: readonly string[];
  exclude?: readonly string[];
}

/** What a pattern is matched against. */
export interface FilterSubject {
  service: string;
  endpoint: string;
  /** The tool's name, which differs from service.endpoint when that was not a valid name. */
  tool: string;
  endpointMetadata: Record<string, string>;
  serviceMetadata: Record<string, string>;
}

type Matcher = (s: FilterSubject) => boolean;

export function compileFilters(filters: ToolFilters = {}): (s: FilterSubject) => boolean {
  const include = (filters.include ?? []).map(compilePattern);
  const exclude = (filters.exclude ?? []).map(compilePattern);
  return (s) => (include.length === 0 || include.some((m) => m(s))) && !exclude.some((m) => m(s));
}

export function compilePattern(pattern: string): Matcher {
  const p = pattern.trim();
  if (!p) throw new Error("an empty filter pattern matches nothing; leave it out");
  const eq = p.indexOf("=");
  if (eq > 0) {
    const key = p.slice(0, eq).trim();
    const value = glob(p.slice(eq + 1).trim());
    return (s) => {
      const v = s.endpointMetadata[key] ?? s.serviceMetadata[key];
      return v !== undefined && value.test(v);
    };
  }
  const re = glob(p);
  return (s) => re.test(s.service) || re.test(`${s.service}.${s.endpoint}`) || re.test(s.tool);
}

function glob(pattern: string): RegExp {
  const body = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "s");
}
