// `/login`: paste a bearer token; the gateway's own auth check judges it and, if it passes, it is
// kept in the `micro_token` cookie the gateway reads (routes/login.ts). Plain HTML: no script.
import { html } from "../html.js";
import { layout, type PageContext } from "../layout.js";
import { PATHS } from "../paths.js";

export function loginPage(ctx: PageContext, next: string, refused?: string) {
  const main = ctx.auth
    ? html`<h1>Sign in</h1>
<p class="lead">This gateway requires a token. Paste a bearer token (a JWT its auth accepts); it is checked now and kept
in an HttpOnly cookie for this site until it expires or you sign out.</p>
<div class="error" role="alert" id="login-error">${refused ? html`<p>That token was refused: ${refused}</p>` : ""}</div>
<form class="login" method="post" action="${PATHS.login}">
<input type="hidden" name="next" value="${next}">
<div class="field"><label for="token">Token</label>
<input type="password" id="token" name="token" required autocomplete="off" spellcheck="false"${refused ? html` aria-invalid="true" aria-describedby="login-error"` : ""}></div>
<div class="actions"><button type="submit">Sign in</button></div>
</form>`
    : html`<h1>Sign in</h1>
<p class="lead">This gateway has no auth configured: every page and API is open without a token.</p>
<p><a href="${PATHS.home}">Go to the services</a></p>`;
  return layout(ctx, { title: "Sign in", section: "login", main, bare: true });
}
