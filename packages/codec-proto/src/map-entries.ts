// Map entries as Go's protobuf decodes them. protobufjs' generated decoder leaves three things
// different, all in map fields:
//   - an entry without its value (valid protobuf: an empty message is zero bytes) gets `null` for a
//     message value, which its toObject then dereferences (a raw TypeError); Go stores an empty
//     message, so we put one in;
//   - a missing bytes value is protobufjs' shared frozen empty Array, not bytes; Go stores empty
//     bytes, so we put in what protobufjs reads for present but empty bytes (an empty Buffer);
//   - 64-bit keys are stored under protobufjs' 8-character binary hash of the number (its internal
//     map key), which toObject hands on as is: a Go peer's map<int64, V>{5: v} arrived as
//     {"\u0005\u0000...": v}. The key becomes the decimal string, as 64-bit values are elsewhere.
// A missing key needs nothing: protobufjs uses the zero key, as Go does.
import protobuf from "protobufjs";
import { messageType, reaches } from "./type-walk.js";

type Decoded = Record<string, unknown>;

const UNSIGNED_KEYS = new Set(["uint64", "fixed64"]);
const SIGNED_KEYS = new Set(["int64", "sint64", "sfixed64"]);
// protobufjs' hash of a 64-bit number is always 8 UTF-16 units (one per byte)
const HASH_LENGTH = 8;

// (protobufjs reads empty bytes as Node's Buffer.alloc(0))
const emptyBytes = (): Uint8Array => Buffer.alloc(0);

interface MapPlan {
  field: string;
  /** The value's message type, when values are messages. */
  message: protobuf.Type | undefined;
  bytes: boolean;
  /** For 64-bit keys: whether the key is unsigned. */
  unsignedKey: boolean | undefined;
}

interface Plan {
  maps: MapPlan[];
  /** Message fields (single or repeated) whose type has such maps somewhere inside. */
  nested: { field: string; type: protobuf.Type }[];
}

const keyTypeOf = (f: protobuf.Field) => (f as unknown as protobuf.MapField).keyType;
// maps of strings or other scalars under 32-bit keys decode as Go's: only these may need a fix
const needsFix = (f: protobuf.Field) =>
  f.map &&
  (messageType(f) !== undefined ||
    f.type === "bytes" ||
    UNSIGNED_KEYS.has(keyTypeOf(f)) ||
    SIGNED_KEYS.has(keyTypeOf(f)));

// null: nothing inside this type (at any depth) needs fixing, the common case costs one lookup
const plans = new WeakMap<protobuf.Type, Plan | null>();

function planOf(type: protobuf.Type): Plan | null {
  let plan = plans.get(type);
  if (plan !== undefined) return plan;
  plan = null;
  if (reaches(type, needsFix)) {
    plan = { maps: [], nested: [] };
    for (const f of type.fieldsArray) {
      const m = messageType(f);
      if (needsFix(f)) {
        const keyType = keyTypeOf(f);
        plan.maps.push({
          field: f.name,
          message: m,
          bytes: f.type === "bytes",
          unsignedKey: UNSIGNED_KEYS.has(keyType) ? true : SIGNED_KEYS.has(keyType) ? false : undefined,
        });
      } else if (m && !f.map && reaches(m, needsFix)) plan.nested.push({ field: f.name, type: m });
    }
  }
  plans.set(type, plan);
  return plan;
}

function fixMap(map: Decoded, p: MapPlan): Decoded {
  // Long is what protobufjs reads 64-bit keys as (and hashes); without it they are plain numbers
  const rekey = p.unsignedKey !== undefined && !!protobuf.util.Long;
  const out: Decoded = rekey ? {} : map;
  for (const k of Object.keys(map)) {
    let v = map[k];
    if (p.message) {
      if (v === null || v === undefined) v = p.message.create();
      else fixMapEntries(p.message, v as Decoded);
    } else if (p.bytes && !(v instanceof Uint8Array)) v = emptyBytes();
    const key =
      rekey && k.length === HASH_LENGTH ? protobuf.util.longFromHash(k, p.unsignedKey).toString() : k;
    out[key] = v;
  }
  return out;
}

/** Rewrites, in place, the map entries of a message protobufjs decoded into what Go would hold. */
export function fixMapEntries(type: protobuf.Type, message: Decoded): void {
  const plan = planOf(type);
  if (!plan) return;
  for (const p of plan.maps) {
    const map = message[p.field];
    // an absent map is protobufjs' shared frozen empty object: nothing to fix, nothing to write
    if (map && typeof map === "object" && Object.keys(map).length > 0)
      message[p.field] = fixMap(map as Decoded, p);
  }
  for (const { field, type: t } of plan.nested) {
    const v = message[field];
    if (Array.isArray(v)) for (const item of v) fixMapEntries(t, item as Decoded);
    else if (v && typeof v === "object") fixMapEntries(t, v as Decoded);
  }
}
