// The small pieces every page relies on: escaping, redirect targets, the token cookie.
import { describe, expect, it } from "vitest";
import { html, join } from "../src/html.js";
import { safeNext } from "../src/redirect-target.js";
import { secondsLeft, tokenCookie } from "../src/token-cookie.js";

describe("html", () => {
  it("escapes every interpolated value and keeps only Html as markup", () => {
    const evil = `<script>"x" & 'y'</script>`;
    expect(String(html`<p title="${evil}">${evil}</p>`)).toBe(
      '<p title="&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;">&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</p>',
    );
    expect(String(html`<ul>${["<a>", html`<li>ok</li>`]}</ul>`)).toBe("<ul>&lt;a&gt;<li>ok</li></ul>");
    expect(String(html`${null}${undefined}${false}${0}`)).toBe("0");
    expect(String(join(["a", "<b>"], html`<br>`))).toBe("a<br>&lt;b&gt;");
  });
});

describe("safeNext", () => {
  it("keeps paths on the site and sends anything else home", () => {
    expect(safeNext("/services/greeter?x=1#y")).toBe("/services/greeter?x=1#y");
    expect(safeNext("/a/../b")).toBe("/b");
    for (const bad of [
      null,
      "",
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "https://evil.example",
      "http:evil.example",
      "javascript:alert(1)",
      "/\tevil",
      "/x\nLocation: y",
      "/login?next=/x",
      "/logout",
    ]) {
      expect(safeNext(bad), String(bad)).toBe("/");
    }
  });
});

describe("token cookie", () => {
  it("takes Max-Age from the JWT's exp, and none without one", () => {
    const jwt = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.y`;
    expect(secondsLeft(jwt({ exp: 1100 }), 1_000_000)).toBe(100);
    expect(secondsLeft(jwt({ sub: "a" }))).toBeUndefined();
    expect(secondsLeft("opaque-token")).toBeUndefined();
    expect(tokenCookie("t", true, 60)).toBe(
      "micro_token=t; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60",
    );
    expect(tokenCookie("t", false, undefined)).toBe("micro_token=t; Path=/; HttpOnly; SameSite=Strict");
  });
});
