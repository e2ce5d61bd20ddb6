package main

import (
	"bytes"
	"context"
	"encoding/json"

	rawcodec "go-micro.dev/v5/codec/bytes"
	"go-micro.dev/v5/metadata"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// rawStreamFrames is set by --raw-stream-frames (default true).
//
// go-micro v5.30's server stream Send encodes every message into ONE reused
// buffer (server/rpc_codec.go Write: body = c.buf.wbuf.Bytes()) and hands the
// slice to an asynchronous pseudo-socket (internal/util/socket Send only queues
// the pointer). Back-to-back Sends therefore overwrite earlier bodies before
// they reach the wire (observed: counts 0,1,2 arrive as {}, {"count":"2"},
// {"count":"2"}). With this flag the handler pre-encodes each message exactly
// like go-micro's codecs would and sends it as a bytes.Frame, which the server
// codec writes verbatim from our own, never reused, buffer.
var rawStreamFrames = true

// streamMsg returns what to pass to stream.Send for msg.
func streamMsg(ctx context.Context, msg interface{}) interface{} {
	if !rawStreamFrames {
		return msg
	}
	ct, _ := metadata.Get(ctx, "Content-Type")
	if ct == "" {
		ct = "application/protobuf" // go-micro server default
	}
	switch ct {
	case "application/json":
		var raw []byte
		if pm, ok := msg.(proto.Message); ok {
			b, err := protojson.Marshal(pm) // as codec/json does for proto messages (v5.14+)
			if err != nil {
				return msg
			}
			raw = b
		} else {
			b, err := json.Marshal(msg)
			if err != nil {
				return msg
			}
			raw = b
		}
		// json.Encoder.Encode(json.RawMessage) == go-micro's codec/json Write:
		// compacts, HTML-escapes and appends '\n'.
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(json.RawMessage(raw)); err != nil {
			return msg
		}
		return &rawcodec.Frame{Data: buf.Bytes()}
	case "application/protobuf", "application/octet-stream":
		if pm, ok := msg.(proto.Message); ok {
			b, err := proto.Marshal(pm)
			if err != nil {
				return msg
			}
			if len(b) == 0 {
				// an empty Frame would be treated as "no body"; let go-micro encode it
				return msg
			}
			return &rawcodec.Frame{Data: b}
		}
	}
	return msg
}
