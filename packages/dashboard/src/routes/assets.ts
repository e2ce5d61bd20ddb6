// `/dashboard/assets/{file}`: behind the gateway's auth like the pages, except the stylesheet, which
// the login page needs before there is a token (it holds nothing but styles).
import { MicroError } from "@micro/core";
import type { GatewayRoute, RequestInfo } from "@micro/gateway";
import { ASSET_PREFIX, type Assets } from "../assets.js";

export function assetRoutes(assets: Assets): GatewayRoute[] {
  const handle: GatewayRoute["handle"] = (req, res, info: RequestInfo) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      throw new MicroError("go.micro.dashboard", `${req.method} ${info.path}: use GET`, 405);
    }
    const name = info.path.slice(ASSET_PREFIX.length);
    if (!assets.serve(req, res, name, info.query)) {
      throw MicroError.notFound("go.micro.dashboard", `no asset ${name}`);
    }
  };
  return [
    { path: ASSET_PREFIX, handle },
    { path: `${ASSET_PREFIX}style.css`, public: true, handle },
  ];
}
