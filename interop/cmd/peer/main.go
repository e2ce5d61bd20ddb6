// Command peer is the Go side of the Micro-for-TypeScript interop harness.
// It is a real go-micro v5 program (server, client, publisher) driven by flags.
//
//	peer server  --name greeter.go [--version 1.0.0] [--types proto|plain] [--numbers]
//	peer call    --service S --endpoint Greeter.Hello --body '{"name":"John"}' [--content-type ct] [--metadata K=V]... [--address host:port]
//	peer stream  --mode server|bidi --service S [--count N] [--content-type ct]
//	peer publish --topic T --body '{"id":"1","message":"hi"}' [--content-type ct] [--metadata K=V]...
//
// All standard go-micro flags/env vars (--registry, --registry_address,
// --server_address, --broker_address, --client_retries, ...) are accepted too,
// because every mode builds a micro service and calls Init on it.
// Output on stdout is one JSON object per line; go-micro's own logs go to stderr.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"
	micro "go-micro.dev/v5"
)

var outMu sync.Mutex

// emit writes v as one JSON line on stdout.
func emit(v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"marshal_error": err.Error()})
	}
	outMu.Lock()
	os.Stdout.Write(append(b, '\n'))
	outMu.Unlock()
}

// emitRaw writes an already-encoded JSON value as one line on stdout.
func emitRaw(b []byte) {
	outMu.Lock()
	os.Stdout.Write(append([]byte(strings.TrimRight(string(b), "\n")), '\n'))
	outMu.Unlock()
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: peer <server|call|stream|publish> [flags]
  peer server  --name greeter.go [--version 1.0.0] [--types proto|plain] [--numbers]
  peer call    --service greeter.ts --endpoint Greeter.Hello --body '{"name":"John"}'
               [--content-type application/json|application/protobuf] [--metadata K=V]... [--address 127.0.0.1:PORT]
  peer stream  --mode server|bidi --service greeter.ts [--count 3] [--content-type ...] [--address ...]
  peer publish --topic events.ts --body '{"id":"1","message":"hi"}' [--content-type ...] [--metadata K=V]...
Standard go-micro flags (--registry, --registry_address, --server_address, --broker_address, ...) work in every mode.
Run "peer <mode> --help" for all flags.`)
}

// opts holds the values of our own (non go-micro) flags.
type opts struct {
	name, version, types                 string
	topic, queueTopic, queue             string
	service, endpoint, body, contentType string
	address, mode                        string
	metadata                             []string
	count                                int64
	wait                                 string
	raw, rawFrames, numbers              bool
}

func ourFlags(mode string) []cli.Flag {
	common := []cli.Flag{
		&cli.StringFlag{Name: "types", Value: "proto", Usage: "message types: proto (protoc-generated, JSON via protojson) or plain (Go structs, JSON via encoding/json)"},
		&cli.StringFlag{Name: "content-type", Value: "application/json", Usage: "content type for calls/streams/publications"},
		&cli.StringSliceFlag{Name: "metadata", Usage: "K=V request/publication metadata (repeatable)"},
	}
	switch mode {
	case "server":
		return append(common,
			&cli.StringFlag{Name: "name", Value: "greeter.go", Usage: "service name"},
			&cli.StringFlag{Name: "version", Value: "latest", Usage: "service version"},
			&cli.StringFlag{Name: "topic", Value: "events.go", Usage: "broadcast subscriber topic"},
			&cli.StringFlag{Name: "queue-topic", Value: "events.go.q", Usage: "queue-group subscriber topic"},
			&cli.StringFlag{Name: "queue", Value: "q.go", Usage: "queue group of the queue-topic subscriber"},
			&cli.BoolFlag{Name: "numbers", Usage: "also serve Numbers.Echo: int64/uint64 lists through plain encoding/json"},
			&cli.BoolFlag{Name: "raw-stream-frames", Value: true, Usage: "pre-encode stream replies (works around go-micro v5.30 server stream buffer reuse); --raw-stream-frames=false shows the stock behaviour"},
		)
	case "call", "stream":
		return append(common,
			&cli.StringFlag{Name: "service", Value: "greeter.ts", Usage: "target service name"},
			&cli.StringFlag{Name: "endpoint", Usage: "endpoint (call: default Greeter.Hello; stream: Greeter.ServerStream / Greeter.BidiStream)"},
			&cli.StringFlag{Name: "body", Value: "{}", Usage: "request body as JSON"},
			&cli.StringFlag{Name: "address", Usage: "call this host:port directly (client.WithAddress), bypassing the registry"},
			&cli.StringFlag{Name: "mode", Value: "server", Usage: "stream: server or bidi"},
			&cli.Int64Flag{Name: "count", Value: 3, Usage: "stream: number of responses (server) or pings (bidi)"},
			&cli.BoolFlag{Name: "raw", Usage: "call: send --body verbatim (bytes.Frame) and print the raw reply body"},
		)
	case "publish":
		return append(common,
			&cli.StringFlag{Name: "topic", Value: "events.ts", Usage: "topic"},
			&cli.StringFlag{Name: "body", Value: `{"id":"1","message":"hello"}`, Usage: "event as JSON (fields id, message)"},
			&cli.StringFlag{Name: "wait", Value: "1s", Usage: "how long to wait after Publish (the http broker delivers asynchronously)"},
		)
	}
	return common
}

func readOpts(c *cli.Context) opts {
	return opts{
		name: c.String("name"), version: c.String("version"), types: c.String("types"),
		topic: c.String("topic"), queueTopic: c.String("queue-topic"), queue: c.String("queue"),
		service: c.String("service"), endpoint: c.String("endpoint"), body: c.String("body"),
		contentType: c.String("content-type"), address: c.String("address"), mode: c.String("mode"),
		metadata: c.StringSlice("metadata"), count: c.Int64("count"), wait: c.String("wait"), raw: c.Bool("raw"), rawFrames: c.Bool("raw-stream-frames"), numbers: c.Bool("numbers"),
	}
}

// newService builds a go-micro service for the given mode, parses all flags
// (ours and go-micro's standard ones) and returns it with our option values.
// Loopback defaults: server and broker listen on 127.0.0.1:0 unless told otherwise.
func newService(mode string, extra ...micro.Option) (micro.Service, opts) {
	var o opts
	base := []micro.Option{
		micro.Address("127.0.0.1:0"),
		micro.Flags(ourFlags(mode)...),
		micro.Action(func(c *cli.Context) error {
			o = readOpts(c)
			return nil
		}),
	}
	svc := micro.New("peer."+mode, append(base, extra...)...)
	svc.Init()
	return svc, o
}

func main() {
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		usage()
		os.Exit(2)
	}
	mode := os.Args[1]
	// go-micro's cmd parses os.Args: drop the mode word so only flags remain.
	os.Args = append([]string{os.Args[0]}, os.Args[2:]...)
	var code int
	switch mode {
	case "server":
		code = runServer()
	case "call":
		code = runCall()
	case "stream":
		code = runStream()
	case "publish":
		code = runPublish()
	default:
		usage()
		code = 2
	}
	os.Exit(code)
}
