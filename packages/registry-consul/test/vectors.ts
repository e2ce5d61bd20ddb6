// The greeter a Go server registers and the Consul tags go-micro encodes for it (zlib, then hex; the version
// tags are those of https://github.com/micro/go-micro/blob/v5.30.0/registry/consul/encoding_test.go), shared by the tests.
import type { Service } from "@micro/core";
import {
  GO_GREETER_ENDPOINT_JSON,
  GO_GREETER_METADATA,
  GO_GREETER_NODE_ID,
  goGreeter,
} from "@micro/testing/vectors";

export const GO_NODE_ID = GO_GREETER_NODE_ID;
export const GO_METADATA = GO_GREETER_METADATA;
/** The greeter record a Go server registers (node metadata broker, protocol, registry, server, transport). */
export const greeter: Service = goGreeter();

/** Produced by Go (registry/consul/encoding_test.go). */
export const GO_VERSION_TAGS = {
  "1.0.0": "v-789c32d433d03300040000ffff02ce00ee",
  latest: "v-789cca492c492d2e01040000ffff08cc028e",
};

/** Same rules, compressed with C zlib. */
export const DERIVED_TAGS = {
  latest: "v-789ccb492c492d2e010008cc028e",
  metadata: [
    "t-789cab564a2acacf4e2d52b252ca28292950aa0500364d0600",
    "t-789cab562a28ca2fc94fcecf51b252ca2d4d2e50aa050046a906e2",
    "t-789cab562a4a4dcf2c2e29aa54b252ca4dc92b56aa0500466c06e6",
    "t-789cab562a4e2d2a4b2d52b252ca2d4d2e50aa050037200607",
    "t-789cab562a294acc2b2ec82f2a51b252ca28292950aa05004f930768",
  ],
  endpoint:
    "e-789cab562a4a2d2c4d2d2e51b2aa56ca4bcc4d55b2520a828ae828955416a00a9425e600594a56d170c5600aaeb2b8a428332f1d49615e694e4e6d6cad0ed09ae282fcbce254147ba0424816c145306dca2d4e27c6a2dcd492c494c49244a045401e54af7b516a6a496a919e476a4e4ebe522d002aca537b",
};

/** The endpoint tag's payload: Go's JSON of the Greeter.Hello endpoint. */
export const GO_ENDPOINT_JSON = GO_GREETER_ENDPOINT_JSON;
