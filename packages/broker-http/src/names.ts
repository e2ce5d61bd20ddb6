// The names go-micro's http broker puts on the wire and in the registry; a Go peer finds us only if
// these are byte-identical.

/** The registry service every http-broker subscription registers under. */
export const BROKER_SERVICE = "micro.http.broker";
/** The version of subscriptions without a queue group: every one of them gets every message. */
export const BROADCAST_VERSION = "ff.http.broadcast";
/** The `id` of the error bodies the subscriber endpoint answers with. */
export const ERROR_ID = "go.micro.broker";
/** The header the publisher forces to the topic and the subscriber routes on. */
export const TOPIC_HEADER = "Micro-Topic";
