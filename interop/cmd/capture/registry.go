package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/urfave/cli/v2"
	micro "go-micro.dev/v5"
	"go-micro.dev/v5/registry"
)

type cliOpts struct{ service, topic, out string }

// initService parses go-micro's standard flags (--registry, --registry_address...)
// plus ours, without starting anything.
func initService() (micro.Service, cliOpts) {
	var o cliOpts
	svc := micro.New("capture",
		micro.Address("127.0.0.1:0"),
		micro.Flags(
			&cli.StringFlag{Name: "service", Value: "greeter.go"},
			&cli.StringFlag{Name: "topic", Value: "events.capture"},
			&cli.StringFlag{Name: "out", Value: "broker-post.http"},
		),
		micro.Action(func(c *cli.Context) error {
			o = cliOpts{service: c.String("service"), topic: c.String("topic"), out: c.String("out")}
			return nil
		}),
	)
	svc.Init()
	return svc, o
}

func runRegistry() error {
	svc, o := initService()
	svcs, err := svc.Options().Registry.GetService(o.service)
	if err != nil {
		return err
	}
	b, err := json.Marshal(svcs)
	if err != nil {
		return err
	}
	fmt.Println(string(b))
	return nil
}

// runBroker registers a fake http-broker subscriber (exactly the entry a Go
// http broker writes for a broadcast subscription) pointing at a raw listener
// and records the first request a publisher sends to it.
func runBroker() error {
	svc, o := initService()
	reg := svc.Options().Registry
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	node := &registry.Node{
		Id:       o.topic + "-" + uuid.New().String(),
		Address:  l.Addr().String(),
		Metadata: map[string]string{"secure": "false", "broker": "http", "topic": o.topic},
	}
	entry := &registry.Service{Name: "micro.http.broker", Version: "ff.http.broadcast", Nodes: []*registry.Node{node}}
	if err := reg.Register(entry, registry.RegisterTTL(time.Minute)); err != nil {
		return err
	}
	defer reg.Deregister(entry)
	say(map[string]string{"listen": l.Addr().String(), "node": node.Id})
	c, err := l.Accept()
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	b, err := readHTTPRequest(bufio.NewReader(c))
	os.WriteFile(o.out, b, 0o644)
	if err != nil {
		return err
	}
	c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
	time.Sleep(100 * time.Millisecond)
	say(map[string]interface{}{"saved": o.out, "bytes": len(b)})
	return nil
}
