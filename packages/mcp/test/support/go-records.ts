// Registry records as go-micro v5.30.0's extractor writes them (json.Marshal of
// server.NewHandler(h).Endpoints(), the shapes the gateway's OpenAPI tests capture), for:
//
//   type Address struct { Street string `json:"street"`; Zip int32 `json:"zip,omitempty"`; Geo *Geo `json:"geo"` }
//   type Geo struct { Lat float64 `json:"lat"`; Deep *Deeper `json:"deep"` }
//   type Deeper struct{ X string }
//   type Item struct { SKU string `json:"sku"`; Qty uint64 `json:"qty"` }
//   type Request struct {
//     ID int64 `json:"id"`; Address Address `json:"address"`; Items []*Item `json:"items"`
//     Tags []string `json:"tags"`; Labels map[string]string `json:"labels"`; Blob []byte `json:"blob"`
//     When time.Time `json:"when"`; Ptr *Item `json:"ptr"`; Any interface{} `json:"any"`
//   }
//   type Response struct { Msg string `json:"msg"`; Items []*Item `json:"items"` }
//   func (g *Greeter) Hello(ctx context.Context, req *Request, rsp *Response) error   // + WithEndpointDocs
//   func (g *Greeter) ServerStream(ctx context.Context, req *Request, stream server.Stream) error
//   func (g *Greeter) Bidi(ctx context.Context, stream server.Stream) error
//   func (g *Greeter) Locate(ctx context.Context, req *Geo, rsp *Address) error
//   server.WithEndpointScopes("Greeter.Locate", "geo:read")
//
// Slices are `[]Elem` without values, maps and interfaces `""`, pointers vanish, a struct met at
// depth 2 has no values, and a bidi handler's request is context.Context.
import type { Endpoint, Service, Value } from "@micro/core";

const v = (name: string, type: string, values: Value[] | null = null): Value =>
  ({ name, type, values }) as unknown as Value;

const ITEM = [v("sku", "string"), v("qty", "uint64")];

const REQUEST = v("Request", "Request", [
  v("id", "int64"),
  v("address", "Address", [v("street", "string"), v("zip", "int32"), v("geo", "Geo")]),
  v("items", "[]Item"),
  v("tags", "[]string"),
  v("labels", ""),
  v("blob", "[]uint8"),
  v("when", "Time"),
  v("ptr", "Item", ITEM),
  v("any", ""),
]);

export const GO_ENDPOINTS: Endpoint[] = [
  {
    name: "Greeter.Bidi",
    request: v("Context", "Context"),
    response: v("Stream", "Stream"),
    metadata: { stream: "true" },
  },
  {
    name: "Greeter.Hello",
    request: REQUEST,
    response: v("Response", "Response", [v("msg", "string"), v("items", "[]Item")]),
    metadata: { description: "Says hello.", example: '{"id": 1}' },
  },
  {
    name: "Greeter.Locate",
    request: v("Geo", "Geo", [v("lat", "float64"), v("deep", "Deeper", [v("X", "string")])]),
    response: v("Address", "Address", [
      v("street", "string"),
      v("zip", "int32"),
      v("geo", "Geo", [v("lat", "float64"), v("deep", "Deeper")]),
    ]),
    metadata: { scopes: "geo:read" },
  },
  {
    name: "Greeter.ServerStream",
    request: REQUEST,
    response: v("Stream", "Stream"),
    metadata: { stream: "true" },
  },
];

/** A Go service's record: no `micro-ts` marker in node metadata, so the Go dialect. */
export function goService(name: string, endpoints: Endpoint[] = GO_ENDPOINTS, version = "latest"): Service {
  return {
    name,
    version,
    metadata: {},
    endpoints,
    nodes: [{ id: `${name}-1`, address: "127.0.0.1:1", metadata: { registry: "mdns", server: "mucp" } }],
  };
}
