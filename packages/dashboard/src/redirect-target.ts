// Where the login form may send the browser afterwards: a path on this site only. `//evil.example`,
// `/\evil.example` (browsers read the backslash as a slash), absolute URLs and anything with control
// characters go home instead, so the login page cannot be made into an open redirect.
import { PATHS } from "./paths.js";

const BASE = "http://dashboard.invalid";

export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.includes("\\")) return PATHS.home;
  if (hasControl(next)) return PATHS.home;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return PATHS.home;
  }
  if (url.origin !== BASE) return PATHS.home;
  // back to the login page would only ask again
  if (url.pathname === PATHS.login || url.pathname === PATHS.logout) return PATHS.home;
  return `${url.pathname}${url.search}${url.hash}`;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
