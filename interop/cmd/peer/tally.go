package main

import (
	"context"
	"io"
	"time"

	"go-micro.dev/v5/server"

	pb "microts/interop/proto"
)

// tallyDelay: how long Tally.Sum thinks after the client's EOS before it answers, so that a
// half-closing client's repeated EOS frames reach it while it still runs.
const tallyDelay = 200 * time.Millisecond

// Tally is a client-streaming handler (endpoint Tally.Sum): it reads Pings until the client's EOS,
// answers once with a Pong whose stroke is their sum, and returns nil. Having read io.EOF, it gets
// no EOS from go-micro's router afterwards (rpc_router.go: a handler that saw EOF ends silently):
// what a client that half-closes a stream to a Go server sees.
type Tally struct{}

func (t *Tally) Sum(ctx context.Context, stream server.Stream) error {
	logRPC(ctx, "Tally.Sum", nil)
	var sum int64
	for {
		ping := new(pb.Ping)
		err := stream.Recv(ping)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		sum += ping.Stroke
	}
	time.Sleep(tallyDelay)
	return stream.Send(streamMsg(ctx, &pb.Pong{Stroke: sum}))
}
