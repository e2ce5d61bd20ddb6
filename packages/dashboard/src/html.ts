// The one way pages are written: a tagged template whose every interpolated value is escaped unless
// it is already Html (made by this tag), so a service name, metadata value or error detail from the
// registry can never become markup. Attribute values are always written in double quotes.

/** Markup that is safe to insert as it is: only `html` and `join` make it. */
export class Html {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  toString(): string {
    return this.#text;
  }
}

/** What may be interpolated: text (escaped), Html (kept), lists of either; nullish and false vanish. */
export type Part = Html | string | number | bigint | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.toString();
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Parts one after another, with `separator` (escaped unless Html) between them. */
export function join(parts: readonly Part[], separator: Part = ""): Html {
  const sep = render(separator);
  return new Html(parts.map(render).join(sep));
}
