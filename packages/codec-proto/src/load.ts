// Message types from .proto files at run time, so services need no code generation step.

import type { MessageType } from "@micro/core";
import protobuf from "protobufjs";

export interface LoadOptions {
  /**
   * Keep field names as written in the .proto file (`user_id`) instead of protobufjs' default
   * lowerCamelCase (`userId`). JSON bodies always carry the original names either way.
   */
  keepCase?: boolean;
}

export interface ProtoTypes {
  /** The fully qualified message type, e.g. `greeter.Request`; throws naming the missing type. */
  type<T = Record<string, unknown>>(name: string): MessageType<T>;
  /** protobufjs' root, for services, enums and anything else in the files. */
  readonly root: protobuf.Root;
}

function wrap(root: protobuf.Root): ProtoTypes {
  root.resolveAll(); // fail on an unresolved reference now, not on the first message
  return {
    root,
    type<T>(name: string): MessageType<T> {
      return root.lookupType(name) as unknown as MessageType<T>;
    },
  };
}

/** Loads .proto files (imports resolved relative to each file). */
export async function loadProto(files: string | string[], options: LoadOptions = {}): Promise<ProtoTypes> {
  const root = new protobuf.Root();
  return wrap(await root.load(files, { keepCase: options.keepCase ?? false }));
}

/** Parses .proto source text, for tests and single-file services. */
export function parseProto(source: string, options: LoadOptions = {}): ProtoTypes {
  return wrap(protobuf.parse(source, { keepCase: options.keepCase ?? false }).root);
}
