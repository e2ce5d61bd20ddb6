// The OpenAPI document kept current from the registry (a LiveServices view: one full read, then a
// watch whose events re-read just the services they name). Serving the document never waits on the
// registry once it has been built; a registry that goes away leaves the last good document in place
// while the view reconnects.
import { createHash } from "node:crypto";
import type { Registry } from "@micro/core";
import { LiveServices, type LiveServicesOptions } from "../registry/live-services.js";
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiOptions } from "./document.js";

export interface LiveOpenApiOptions
  extends OpenApiOptions,
    Pick<LiveServicesOptions, "debounce" | "retryMin" | "retryMax" | "logger"> {}

export class LiveOpenApi {
  readonly #options: OpenApiOptions;
  readonly #live: LiveServices;
  #text: string | undefined;
  #bytes: Uint8Array | undefined;
  #etag = "";
  #doc: OpenApiDocument | undefined;
  readonly #ready: Promise<void>;

  constructor(registry: Registry, options: LiveOpenApiOptions = {}) {
    const { debounce, retryMin, retryMax, logger, ...doc } = options;
    this.#options = doc;
    this.#live = new LiveServices(registry, {
      ...(debounce !== undefined ? { debounce } : {}),
      ...(retryMin !== undefined ? { retryMin } : {}),
      ...(retryMax !== undefined ? { retryMax } : {}),
      ...(logger !== undefined ? { logger } : {}),
      label: "openapi",
      whileAway: "serving the last document",
      onChange: () => this.#publish(),
    });
    // Nothing read yet (the registry failed, or close() came first): an empty document beats keeping
    // HTTP requests waiting on the registry.
    this.#ready = this.#live.ready.then(() => {
      if (!this.#bytes) this.#publish();
    });
  }

  /** The serialised document (UTF-8 JSON); the first call waits for the first registry read. */
  async json(): Promise<Uint8Array> {
    await this.#ready;
    return this.#bytes!;
  }

  /** A strong ETag of the current document, for conditional GETs. */
  async etag(): Promise<string> {
    await this.#ready;
    return this.#etag;
  }

  /** A copy of the current document. */
  async document(): Promise<OpenApiDocument> {
    await this.#ready;
    return structuredClone(this.#doc!);
  }

  /** Stops watching; the last document stays readable. */
  close(): void {
    this.#live.close();
  }

  #publish(): void {
    let doc: OpenApiDocument;
    try {
      doc = buildOpenApiDocument(this.#live.list(), this.#options);
    } catch (err) {
      this.#live.warn("cannot build the document; keeping the last one", err);
      if (this.#bytes) return;
      doc = buildOpenApiDocument([], this.#options);
    }
    const text = JSON.stringify(doc);
    // An unchanged document keeps its bytes and ETag, so caches stay valid across no-op events.
    if (text !== this.#text) {
      this.#text = text;
      this.#bytes = new TextEncoder().encode(text);
      this.#etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 32)}"`;
      this.#doc = doc;
    }
  }
}
