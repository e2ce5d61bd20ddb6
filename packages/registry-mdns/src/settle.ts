// Waiting for answers that settle: mDNS has no "last answer", but responders (ours and Go's) answer
// at once, so after an answer a short quiet period with nothing new means the answers are in.
// The lookup window still caps the wait, and a question nobody answers waits all of it (as in Go).

/** Quiet time after the last useful answer before a lookup returns (ms). */
export const SETTLE_MS = 10;

/**
 * The same for a list of every service: its answers come from every responder on the link, whose
 * answers spread further on a busy machine than one service's few nodes, and a name left out is
 * worse than a node left out (that node is found by the next lookup), so it waits longer.
 */
export const LIST_SETTLE_MS = 30;

export interface Settler {
  /** Resolves when `quiet` ms pass with no `answered()` after the first one, or at the window's end. */
  done: Promise<void>;
  /** Call for each answer that added something. */
  answered(): void;
  /** Stops the timers (the lookup ended another way). */
  cancel(): void;
}

export function settler(window: number, quiet = SETTLE_MS): Settler {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let quietTimer: NodeJS.Timeout | undefined;
  let ended = false;
  const end = () => {
    ended = true;
    clearTimeout(windowTimer);
    clearTimeout(quietTimer);
    finish();
  };
  const windowTimer = setTimeout(end, window);
  return {
    done,
    answered() {
      // a quiet period as long as the window changes nothing: keep the plain window then
      if (quiet >= window || ended) return;
      clearTimeout(quietTimer);
      quietTimer = setTimeout(end, quiet);
    },
    cancel: end,
  };
}
