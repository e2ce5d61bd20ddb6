// Command bench is the Go side of bench/: a go-micro server and a closed-loop go-micro client over
// go-micro's http transport, so the TypeScript suite can measure go-micro Go<->Go on the same machine.
//
//	bench server                                          prints {"address":"127.0.0.1:PORT"}
//	bench client ADDR CONCURRENCY DURATION_MS WARMUP_MS PAYLOAD_BYTES
//
// The client prints the same JSON lines as bench/src/client.ts ({"phase":"measure"},
// {"phase":"done"}, then {"requests","seconds","p50","p99"} with latencies in µs), so run.ts reads
// its CPU and memory the same way. Both sides use a memory registry and the client calls with
// client.WithAddress: no registry round trip and no mdns on the host's loopback.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go-micro.dev/v5/client"
	"go-micro.dev/v5/registry"
	"go-micro.dev/v5/server"
	"go-micro.dev/v5/transport"
)

// Request and Response mirror the Node benchmark's small JSON exchange.
type Request struct {
	Name string `json:"name"`
}

type Response struct {
	Msg string `json:"msg"`
}

// Bench is the handler: Bench.Hello answers {"msg":"Hello <name>"} like the Node servers.
type Bench struct{}

func (b *Bench) Hello(ctx context.Context, req *Request, rsp *Response) error {
	rsp.Msg = "Hello " + req.Name
	return nil
}

func emit(v interface{}) {
	b, _ := json.Marshal(v)
	os.Stdout.Write(append(b, '\n'))
}

func runServer() int {
	srv := server.NewRPCServer(
		server.Name("bench"),
		server.Address("127.0.0.1:0"),
		server.Registry(registry.NewMemoryRegistry()),
		server.Transport(transport.NewHTTPTransport()),
	)
	if err := srv.Handle(srv.NewHandler(new(Bench))); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := srv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	emit(map[string]string{"address": srv.Options().Address})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	_ = srv.Stop()
	return 0
}

func runClient(args []string) int {
	if len(args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: bench client ADDR CONCURRENCY DURATION_MS WARMUP_MS PAYLOAD_BYTES")
		return 2
	}
	addr := args[0]
	conc, _ := strconv.Atoi(args[1])
	durMs, _ := strconv.Atoi(args[2])
	warmMs, _ := strconv.Atoi(args[3])
	payload, _ := strconv.Atoi(args[4])
	name := "John"
	if payload > 0 {
		name = strings.Repeat("x", payload)
	}
	// Pool at least as large as the caller count, so every caller keeps its own connection as the
	// Node micro client does.
	pool := client.DefaultPoolSize
	if conc > pool {
		pool = conc
	}
	c := client.NewClient(
		client.Registry(registry.NewMemoryRegistry()),
		client.Transport(transport.NewHTTPTransport()),
		client.ContentType("application/json"),
		client.PoolSize(pool),
		client.Retries(0),
	)

	var measuring, stop atomic.Bool
	var mu sync.Mutex
	latencies := make([]float64, 0, 1<<20)
	var failures atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]float64, 0, 1<<16)
			for !stop.Load() {
				t0 := time.Now()
				req := c.NewRequest("bench", "Bench.Hello", &Request{Name: name})
				var rsp Response
				if err := c.Call(context.Background(), req, &rsp, client.WithAddress(addr)); err != nil {
					failures.Add(1)
					if failures.Load() == 1 {
						fmt.Fprintln(os.Stderr, "call error:", err)
					}
					continue
				}
				if measuring.Load() {
					local = append(local, float64(time.Since(t0).Nanoseconds())/1000)
				}
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		}()
	}
	time.Sleep(time.Duration(warmMs) * time.Millisecond)
	measuring.Store(true)
	t0 := time.Now()
	emit(map[string]string{"phase": "measure"})
	time.Sleep(time.Duration(durMs) * time.Millisecond)
	measuring.Store(false)
	seconds := time.Since(t0).Seconds()
	emit(map[string]string{"phase": "done"})
	stop.Store(true)
	wg.Wait()
	sort.Float64s(latencies)
	q := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		i := int(p * float64(len(latencies)))
		if i >= len(latencies) {
			i = len(latencies) - 1
		}
		return latencies[i]
	}
	emit(map[string]interface{}{"requests": len(latencies), "seconds": seconds, "p50": q(0.5), "p99": q(0.99), "failures": failures.Load()})
	return 0
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench server | bench client ADDR CONCURRENCY DURATION_MS WARMUP_MS PAYLOAD_BYTES")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "server":
		os.Exit(runServer())
	case "version":
		// Go toolchain and go-micro module versions, for bench/RESULTS.md.
		gm := "go-micro.dev/v5 ?"
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, m := range bi.Deps {
				if m.Path == "go-micro.dev/v5" {
					gm = m.Path + " " + m.Version
				}
			}
		}
		fmt.Println(runtime.Version() + ", " + gm)
	case "client":
		os.Exit(runClient(os.Args[2:]))
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}
