// Package plain holds plain Go structs (encoding/json tags, no protobuf) that
// mirror the messages of proto/greeter.proto. A Go peer started with
// --types plain uses them, so its JSON bodies go through encoding/json instead
// of protojson (go-micro's JSON codec switches on whether a value is a proto
// message). The type names match the proto message names on purpose: the
// registry endpoint advertisement uses the Go type name.
package plain

type Request struct {
	Name string `json:"name"`
}

type Response struct {
	Msg string `json:"msg"`
}

type StreamRequest struct {
	Count int64 `json:"count"`
}

type StreamResponse struct {
	Count int64 `json:"count"`
}

type Ping struct {
	Stroke int64 `json:"stroke"`
}

type Pong struct {
	Stroke int64 `json:"stroke"`
}

type Event struct {
	Id      string `json:"id"`
	Message string `json:"message"`
}

// Numbers carries 64-bit integers through encoding/json as bare JSON numbers
// (no protobuf, so no int64-as-string): the Numbers.Echo endpoint of
// `peer server --numbers` and `peer call --endpoint Numbers.Echo` use it.
type Numbers struct {
	Ints  []int64  `json:"ints"`
	Uints []uint64 `json:"uints"`
}
