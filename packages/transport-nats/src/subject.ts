// Listen and dial addresses are NATS subjects. go-micro replaces its default server address `:0`
// by a fresh inbox subject; we do the same for an empty address.

import { MicroError } from "@micro/core";
import { createInbox } from "@nats-io/nats-core";

export function listenSubject(address: string): string {
  const a = address.trim();
  return a === "" || a === ":0" ? createInbox() : checkSubject(a, "go.micro.transport");
}

/** NATS' text protocol cannot carry whitespace in a subject; wildcards would listen to others' traffic. */
export function checkSubject(subject: string, errorId: string): string {
  if (!subject || /\s/.test(subject) || /(^|\.)[*>](\.|$)/.test(subject)) {
    throw MicroError.badRequest(
      errorId,
      `nats transport: "${subject}" is not a usable subject (empty, whitespace or wildcards)`,
    );
  }
  return subject;
}
