// What a primary and its workers say over the cluster's IPC channel: the worker where it listens,
// the primary when to stop. Tagged, so an application's own cluster messages pass by untouched.
const TAG = "microWorker";

export interface ListeningMessage {
  [TAG]: "listening";
  /** The address the worker's listener is bound to (host:port; the same for every worker). */
  address: string;
}

export interface StopMessage {
  [TAG]: "stop";
}

export const listeningMessage = (address: string): ListeningMessage => ({ [TAG]: "listening", address });
export const stopMessage = (): StopMessage => ({ [TAG]: "stop" });

const tagged = (m: unknown): m is Record<string, unknown> =>
  typeof m === "object" && m !== null && TAG in (m as object);

export function isListening(m: unknown): m is ListeningMessage {
  return tagged(m) && m[TAG] === "listening" && typeof m.address === "string";
}

export function isStop(m: unknown): m is StopMessage {
  return tagged(m) && m[TAG] === "stop";
}
