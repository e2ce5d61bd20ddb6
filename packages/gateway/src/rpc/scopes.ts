// Per-endpoint scopes: an endpoint whose metadata says `scopes: "billing,admin"` is callable only
// with a token holding one of them (or "*"), as go-micro's micro server checks its endpoint scopes.
import { MicroError } from "@micro/core";
import type { Account } from "../auth/account.js";
import { hasScope, requiredScopes } from "../auth/check.js";
import type { GatewayContext } from "../context.js";
import { GATEWAY_ID } from "../http/errors.js";
import type { RpcTarget } from "./call.js";

export async function checkScopes(
  ctx: GatewayContext,
  target: RpcTarget,
  account: Account | undefined,
): Promise<void> {
  const versions = await ctx.cache.get(target.service).catch(() => []);
  let required: string[] = [];
  for (const v of versions) {
    const e = v.endpoints.find((x) => x.name === target.endpoint);
    if (e) required = requiredScopes(e.metadata);
    if (required.length) break;
  }
  if (!hasScope(account, required)) {
    throw MicroError.forbidden(
      GATEWAY_ID,
      `${target.service} ${target.endpoint} needs scope ${required.join(" or ")}`,
    );
  }
}
