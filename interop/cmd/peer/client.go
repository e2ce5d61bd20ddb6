package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	micro "go-micro.dev/v5"
	"go-micro.dev/v5/client"
	"go-micro.dev/v5/codec/bytes"
	"go-micro.dev/v5/errors"
	"go-micro.dev/v5/metadata"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"microts/interop/plain"
	pb "microts/interop/proto"
)

// ctxWithMetadata turns repeated --metadata K=V into go-micro context metadata
// (sent as request headers / broker message headers).
func ctxWithMetadata(o opts) context.Context {
	ctx := context.Background()
	if len(o.metadata) == 0 {
		return ctx
	}
	md := metadata.Metadata{}
	for _, kv := range o.metadata {
		k, v, _ := strings.Cut(kv, "=")
		md[k] = v
	}
	return metadata.NewContext(ctx, md)
}

func callOpts(o opts) []client.CallOption {
	var co []client.CallOption
	if o.address != "" {
		co = append(co, client.WithAddress(strings.Split(o.address, ",")...))
	}
	return co
}

// decodeBody fills msg (a proto message or a plain struct) from the --body JSON.
func decodeBody(body string, msg interface{}) error {
	if m, ok := msg.(proto.Message); ok {
		return protojson.Unmarshal([]byte(body), m)
	}
	return json.Unmarshal([]byte(body), msg)
}

// show prints a received message as one JSON line. Proto messages are printed
// with their field values as plain JSON numbers/strings (not protojson), so
// that output is identical for --types proto and --types plain.
func show(msg interface{}) {
	switch m := msg.(type) {
	case *pb.Response:
		emit(plain.Response{Msg: m.Msg})
	case *pb.StreamResponse:
		emit(plain.StreamResponse{Count: m.Count})
	case *pb.Pong:
		emit(plain.Pong{Stroke: m.Stroke})
	case *bytes.Frame:
		emitRaw(m.Data)
	default:
		emit(m)
	}
}

// showErr prints a go-micro error as JSON (parsing plain-text errors into
// {"detail":...}) and returns the process exit code 1.
func showErr(err error) int {
	e := errors.Parse(err.Error())
	emit(map[string]interface{}{"error": e})
	return 1
}

func unaryTypes(o opts) (req, rsp interface{}) {
	if o.raw {
		return &bytes.Frame{Data: []byte(o.body)}, &bytes.Frame{}
	}
	if strings.HasPrefix(o.endpoint, "Numbers.") {
		// int64/uint64 as bare JSON numbers, whatever --types says
		return &plain.Numbers{}, &plain.Numbers{}
	}
	if o.types == "plain" {
		return &plain.Request{}, &plain.Response{}
	}
	return &pb.Request{}, &pb.Response{}
}

func runCall() int {
	svc, o := newService("call")
	if o.endpoint == "" {
		o.endpoint = "Greeter.Hello"
	}
	req, rsp := unaryTypes(o)
	if !o.raw {
		if err := decodeBody(o.body, req); err != nil {
			emit(map[string]string{"error": "bad --body: " + err.Error()})
			return 2
		}
	}
	cl := svc.Client()
	r := cl.NewRequest(o.service, o.endpoint, req, client.WithContentType(o.contentType))
	if err := cl.Call(ctxWithMetadata(o), r, rsp, callOpts(o)...); err != nil {
		return showErr(err)
	}
	show(rsp)
	return 0
}

func runStream() int {
	svc, o := newService("stream")
	cl := svc.Client()
	ctx := ctxWithMetadata(o)
	plainTypes := o.types == "plain"

	switch o.mode {
	case "server":
		if o.endpoint == "" {
			o.endpoint = "Greeter.ServerStream"
		}
		// Like protoc-gen-micro generated clients: open the stream with an empty
		// request message, then send the real request as the 2nd frame.
		var open, first interface{} = &pb.StreamRequest{}, &pb.StreamRequest{Count: o.count}
		if plainTypes {
			open, first = &plain.StreamRequest{}, &plain.StreamRequest{Count: o.count}
		}
		st, err := cl.Stream(ctx, cl.NewRequest(o.service, o.endpoint, open, client.WithContentType(o.contentType)), callOpts(o)...)
		if err != nil {
			return showErr(err)
		}
		defer st.Close()
		if err := st.Send(first); err != nil {
			return showErr(err)
		}
		for {
			var m interface{} = &pb.StreamResponse{}
			if plainTypes {
				m = &plain.StreamResponse{}
			}
			err := st.Recv(m)
			if err == io.EOF {
				return 0
			}
			if err != nil {
				return showErr(err)
			}
			show(m)
		}
	case "bidi":
		if o.endpoint == "" {
			o.endpoint = "Greeter.BidiStream"
		}
		var open interface{} = &pb.Ping{}
		if plainTypes {
			open = &plain.Ping{}
		}
		st, err := cl.Stream(ctx, cl.NewRequest(o.service, o.endpoint, open, client.WithContentType(o.contentType)), callOpts(o)...)
		if err != nil {
			return showErr(err)
		}
		for i := int64(0); i < o.count; i++ {
			var ping, pong interface{} = &pb.Ping{Stroke: i}, &pb.Pong{}
			if plainTypes {
				ping, pong = &plain.Ping{Stroke: i}, &plain.Pong{}
			}
			if err := st.Send(ping); err != nil {
				st.Close()
				return showErr(err)
			}
			if err := st.Recv(pong); err != nil {
				st.Close()
				return showErr(err)
			}
			show(pong)
		}
		// Close sends Micro-Error: EOS; the server handler then sees io.EOF.
		if err := st.Close(); err != nil {
			return showErr(err)
		}
		return 0
	default:
		emit(map[string]string{"error": fmt.Sprintf("unknown --mode %q (want server or bidi)", o.mode)})
		return 2
	}
}

func runPublish() int {
	svc, o := newService("publish")
	var ev interface{} = &pb.Event{}
	if o.types == "plain" {
		ev = &plain.Event{}
	}
	if err := decodeBody(o.body, ev); err != nil {
		emit(map[string]string{"error": "bad --body: " + err.Error()})
		return 2
	}
	cl := svc.Client()
	cl.Init(client.ContentType(o.contentType))
	if err := micro.NewEvent(o.topic, cl).Publish(ctxWithMetadata(o), ev); err != nil {
		return showErr(err)
	}
	wait, err := time.ParseDuration(o.wait)
	if err != nil {
		wait = time.Second
	}
	// The http broker POSTs asynchronously after Publish returns: give it time.
	time.Sleep(wait)
	emit(map[string]interface{}{"published": true, "topic": o.topic})
	return 0
}
