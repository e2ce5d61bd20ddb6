// Counters for /stats: cheap increments on the request path, a snapshot on demand.
export class GatewayStats {
  readonly started = Date.now();
  requests = 0;
  errors = 0;
  /** Requests in flight. */
  active = 0;
  websockets = 0;
  websocketMessagesIn = 0;
  websocketMessagesOut = 0;
  rateLimited = 0;
  unauthorized = 0;
  readonly byStatus = new Map<number, number>();

  count(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (status >= 500) this.errors++;
  }

  snapshot(): Record<string, unknown> {
    const mem = process.memoryUsage();
    return {
      started: new Date(this.started).toISOString(),
      uptime_ms: Date.now() - this.started,
      requests: this.requests,
      active: this.active,
      errors: this.errors,
      rate_limited: this.rateLimited,
      unauthorized: this.unauthorized,
      websockets: this.websockets,
      websocket_messages_in: this.websocketMessagesIn,
      websocket_messages_out: this.websocketMessagesOut,
      status: Object.fromEntries([...this.byStatus].sort((a, b) => a[0] - b[0])),
      memory: { rss: mem.rss, heap_used: mem.heapUsed },
    };
  }
}
