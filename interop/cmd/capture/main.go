// Command capture records real go-micro bytes for the interop test vectors.
// Every listener binds to loopback only.
//
//	capture proxy    --target 127.0.0.1:P --out DIR [--listen 127.0.0.1:0]
//	    TCP recording proxy: per connection N writes DIR/conn-N.c2s, DIR/conn-N.s2c
//	    (raw bytes each way) and DIR/conn-N.timeline (ordered chunks: dir, offset, len).
//	capture raw      --out FILE [--listen 127.0.0.1:0] [--reply FILE]
//	    accepts one connection, saves one complete HTTP request, optionally answers
//	    with the bytes of --reply, then closes.
//	capture replay   --target 127.0.0.1:P --in FILE --out FILE [--idle 500ms]
//	    sends FILE on a fresh connection and records everything received until idle/close.
//	capture mdns     --service NAME --out DIR [--domain micro]
//	    sends an mDNS PTR query for NAME.micro. and stores the raw answer records,
//	    the TXT strings, and their decoded JSON (hex -> zlib inflate -> JSON).
//	capture broker   --topic T --out FILE [go-micro registry flags]
//	    registers a fake http-broker subscriber node (service micro.http.broker) whose
//	    address is a raw listener, and saves the first HTTP request POSTed to it.
//	capture registry --service NAME [go-micro registry flags]
//	    prints json.Marshal of registry.GetService(NAME).
//
// Each mode prints JSON lines on stdout ({"listen":...} when listening, {"saved":...}).
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: capture <proxy|raw|replay|mdns|broker|registry> [flags]")
		os.Exit(2)
	}
	mode := os.Args[1]
	args := os.Args[2:]
	var err error
	switch mode {
	case "proxy":
		err = runProxy(args)
	case "raw":
		err = runRaw(args)
	case "replay":
		err = runReplay(args)
	case "mdns":
		err = runMDNS(args)
	case "broker":
		os.Args = append([]string{os.Args[0]}, args...)
		err = runBroker()
	case "registry":
		os.Args = append([]string{os.Args[0]}, args...)
		err = runRegistry()
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "capture:", err)
		os.Exit(1)
	}
}
