// protobufjs encodes a map<bool, V> key with `writer.bool(key)`, but an object's keys are strings, so
// "false" (truthy) goes out as true: {false: v} reached a Go peer as {true: v}, and {true: a,
// false: b} as two entries for true. The empty string is the one string it writes as false, so the
// message to encode gets "" for "false". The caller's value is never changed: what needs a change is
// copied, so messages without such a map are encoded exactly as given.
import type protobuf from "protobufjs";
import { messageType, reaches } from "./type-walk.js";

type Message = Record<string, unknown>;

interface Plan {
  /** Map fields: whether the key is bool, and the value's message type when it may need a change. */
  maps: { field: string; boolKey: boolean; message: protobuf.Type | undefined }[];
  /** Message fields (single or repeated) whose type holds a bool-keyed map somewhere. */
  nested: { field: string; type: protobuf.Type }[];
}

const isBoolMap = (f: protobuf.Field) => f.map && (f as unknown as protobuf.MapField).keyType === "bool";
const plans = new WeakMap<protobuf.Type, Plan | null>();

function planOf(type: protobuf.Type): Plan | null {
  let plan = plans.get(type);
  if (plan !== undefined) return plan;
  plan = null;
  if (reaches(type, isBoolMap)) {
    plan = { maps: [], nested: [] };
    for (const f of type.fieldsArray) {
      const m = messageType(f);
      const inner = m && reaches(m, isBoolMap) ? m : undefined;
      if (f.map) {
        if (isBoolMap(f) || inner) plan.maps.push({ field: f.name, boolKey: isBoolMap(f), message: inner });
      } else if (inner) plan.nested.push({ field: f.name, type: inner });
    }
  }
  plans.set(type, plan);
  return plan;
}

/** Sets `key` on a plain map object, "__proto__" included (as an own key, like protobufjs does). */
function put(map: Message, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function prepareMap(map: Message, boolKey: boolean, message: protobuf.Type | undefined): Message {
  let out: Message | undefined;
  const keys = Object.keys(map);
  for (const [i, k] of keys.entries()) {
    const v = map[k];
    const value = message && v && typeof v === "object" ? forEncoding(message, v as Message) : v;
    const key = boolKey && k === "false" ? "" : k;
    if (!out && (value !== v || key !== k)) {
      out = {};
      for (const before of keys.slice(0, i)) put(out, before, map[before]);
    }
    if (out) put(out, key, value);
  }
  return out ?? map;
}

/** `message` ready for protobufjs' encoder: itself, or a copy with bool map keys it writes right. */
export function forEncoding(type: protobuf.Type, message: Message): Message {
  const plan = planOf(type);
  if (!plan) return message;
  let out: Message | undefined;
  const set = (field: string, value: unknown) => {
    out ??= Object.assign(Object.create(Object.getPrototypeOf(message)), message) as Message;
    out[field] = value;
  };
  for (const p of plan.maps) {
    const map = message[p.field];
    if (!map || typeof map !== "object") continue;
    const next = prepareMap(map as Message, p.boolKey, p.message);
    if (next !== map) set(p.field, next);
  }
  for (const { field, type: t } of plan.nested) {
    const v = message[field];
    if (Array.isArray(v)) {
      const next = v.map((item) =>
        item && typeof item === "object" ? forEncoding(t, item as Message) : item,
      );
      if (next.some((item, i) => item !== v[i])) set(field, next);
    } else if (v && typeof v === "object") {
      const next = forEncoding(t, v as Message);
      if (next !== v) set(field, next);
    }
  }
  return out ?? message;
}
