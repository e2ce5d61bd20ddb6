package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	micro "go-micro.dev/v5"
	"go-micro.dev/v5/errors"
	"go-micro.dev/v5/metadata"
	"go-micro.dev/v5/server"

	"microts/interop/plain"
	pb "microts/interop/proto"
)

// ---- behaviour shared by the proto and plain handlers ----

func helloMsg(ctx context.Context, name string) string {
	msg := "Hello " + name
	if v, ok := metadata.Get(ctx, "X-Test-Header"); ok {
		msg += " [X-Test-Header=" + v + "]"
	}
	return msg
}

// failErr: name "409" -> go-micro error {id:<service>, code:409, detail:"failed: 409"}.
// A non-numeric name gives code 500.
func failErr(id, name string) error {
	code, err := strconv.Atoi(name)
	if err != nil || code <= 0 {
		code = 500
	}
	return errors.New(id, "failed: "+name, int32(code))
}

// slow sleeps <name> milliseconds (name must be an integer) and replies.
func slow(name string) string {
	ms, _ := strconv.Atoi(name)
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return fmt.Sprintf("slept %dms", ms)
}

func logRPC(ctx context.Context, endpoint string, req interface{}) {
	md, _ := metadata.FromContext(ctx)
	emit(map[string]interface{}{"rpc": endpoint, "request": req, "headers": md})
}

// ---- protobuf-typed handler (protoc-gen-micro registration, type name "Greeter") ----

type protoGreeter struct{ id string }

func (g *protoGreeter) Hello(ctx context.Context, req *pb.Request, rsp *pb.Response) error {
	logRPC(ctx, "Greeter.Hello", map[string]string{"name": req.Name})
	rsp.Msg = helloMsg(ctx, req.Name)
	return nil
}

func (g *protoGreeter) Fail(ctx context.Context, req *pb.Request, rsp *pb.Response) error {
	logRPC(ctx, "Greeter.Fail", map[string]string{"name": req.Name})
	return failErr(g.id, req.Name)
}

func (g *protoGreeter) Slow(ctx context.Context, req *pb.Request, rsp *pb.Response) error {
	logRPC(ctx, "Greeter.Slow", map[string]string{"name": req.Name})
	rsp.Msg = slow(req.Name)
	return nil
}

func (g *protoGreeter) ServerStream(ctx context.Context, req *pb.StreamRequest, stream pb.Greeter_ServerStreamStream) error {
	logRPC(ctx, "Greeter.ServerStream", map[string]int64{"count": req.Count})
	for i := int64(0); i < req.Count; i++ {
		if err := stream.SendMsg(streamMsg(ctx, &pb.StreamResponse{Count: i})); err != nil {
			return err
		}
	}
	return nil
}

func (g *protoGreeter) BidiStream(ctx context.Context, stream pb.Greeter_BidiStreamStream) error {
	logRPC(ctx, "Greeter.BidiStream", nil)
	for {
		ping, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.SendMsg(streamMsg(ctx, &pb.Pong{Stroke: ping.Stroke})); err != nil {
			return err
		}
	}
}

// ---- plain-struct handler (encoding/json bodies); Go type name is "Greeter" ----

type Greeter struct{ id string }

func (g *Greeter) Hello(ctx context.Context, req *plain.Request, rsp *plain.Response) error {
	logRPC(ctx, "Greeter.Hello", req)
	rsp.Msg = helloMsg(ctx, req.Name)
	return nil
}

func (g *Greeter) Fail(ctx context.Context, req *plain.Request, rsp *plain.Response) error {
	logRPC(ctx, "Greeter.Fail", req)
	return failErr(g.id, req.Name)
}

func (g *Greeter) Slow(ctx context.Context, req *plain.Request, rsp *plain.Response) error {
	logRPC(ctx, "Greeter.Slow", req)
	rsp.Msg = slow(req.Name)
	return nil
}

func (g *Greeter) ServerStream(ctx context.Context, stream server.Stream) error {
	req := new(plain.StreamRequest)
	if err := stream.Recv(req); err != nil {
		return err
	}
	logRPC(ctx, "Greeter.ServerStream", req)
	for i := int64(0); i < req.Count; i++ {
		if err := stream.Send(streamMsg(ctx, &plain.StreamResponse{Count: i})); err != nil {
			return err
		}
	}
	return nil
}

func (g *Greeter) BidiStream(ctx context.Context, stream server.Stream) error {
	logRPC(ctx, "Greeter.BidiStream", nil)
	for {
		ping := new(plain.Ping)
		err := stream.Recv(ping)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(streamMsg(ctx, &plain.Pong{Stroke: ping.Stroke})); err != nil {
			return err
		}
	}
}

// ---- Numbers: int64/uint64 in plain encoding/json (registered with --numbers) ----

// Numbers echoes its request. Its Go type name is the handler name: endpoint Numbers.Echo.
type Numbers struct{}

func (n *Numbers) Echo(ctx context.Context, req *plain.Numbers, rsp *plain.Numbers) error {
	logRPC(ctx, "Numbers.Echo", req)
	*rsp = *req
	return nil
}

// ---- subscribers ----

func eventLine(ctx context.Context, topic, id, message string) {
	md, _ := metadata.FromContext(ctx)
	if t, ok := md["Micro-Topic"]; ok && t != "" {
		topic = t
	}
	hdrs := map[string]string{}
	for k, v := range md {
		hdrs[k] = v
	}
	emit(map[string]interface{}{"topic": topic, "id": id, "message": message, "headers": hdrs})
}

func subscribers(o opts) func(topic string) interface{} {
	if o.types == "plain" {
		return func(topic string) interface{} {
			return func(ctx context.Context, ev *plain.Event) error {
				eventLine(ctx, topic, ev.Id, ev.Message)
				return nil
			}
		}
	}
	return func(topic string) interface{} {
		return func(ctx context.Context, ev *pb.Event) error {
			eventLine(ctx, topic, ev.Id, ev.Message)
			return nil
		}
	}
}

func runServer() int {
	var svc micro.Service
	svc, o := newService("server")
	svc.Init(micro.Name(o.name), micro.Version(o.version))
	rawStreamFrames = o.rawFrames
	srv := svc.Server()

	var err error
	switch o.types {
	case "plain":
		err = srv.Handle(srv.NewHandler(&Greeter{id: o.name}))
	default:
		err = pb.RegisterGreeterHandler(srv, &protoGreeter{id: o.name})
	}
	if err == nil && o.numbers {
		err = srv.Handle(srv.NewHandler(&Numbers{}))
	}
	if err == nil {
		err = srv.Handle(srv.NewHandler(&Tally{}))
	}
	if err != nil {
		emit(map[string]string{"error": err.Error()})
		return 1
	}
	sub := subscribers(o)
	if o.topic != "" {
		if err := micro.RegisterSubscriber(o.topic, srv, sub(o.topic)); err != nil {
			emit(map[string]string{"error": err.Error()})
			return 1
		}
	}
	if o.queueTopic != "" {
		if err := micro.RegisterSubscriber(o.queueTopic, srv, sub(o.queueTopic), server.SubscriberQueue(o.queue)); err != nil {
			emit(map[string]string{"error": err.Error()})
			return 1
		}
	}

	svc.Init(
		micro.AfterStart(func() error {
			so := srv.Options()
			emit(map[string]interface{}{
				"ready":    true,
				"id":       so.Name + "-" + so.Id,
				"address":  so.Advertise,
				"name":     so.Name,
				"version":  so.Version,
				"registry": so.Registry.String(),
				"broker":   so.Broker.Address(),
				"types":    o.types,
			})
			return nil
		}),
		micro.AfterStop(func() error {
			emit(map[string]interface{}{"stopped": true})
			return nil
		}),
	)
	if err := svc.Run(); err != nil {
		emit(map[string]string{"error": err.Error()})
		return 1
	}
	return 0
}
