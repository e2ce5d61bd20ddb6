package main

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// runMDNS asks "<service>.<domain>." PTR on the mDNS group from an ephemeral
// socket (like go-micro's client does) and records every answer. Run it only
// inside a network namespace (see ../../netns.sh): the query goes to 224.0.0.251.
func runMDNS(args []string) error {
	fs := flag.NewFlagSet("mdns", flag.ExitOnError)
	service := fs.String("service", "greeter.go", "service name")
	domain := fs.String("domain", "micro", "mdns domain")
	out := fs.String("out", "", "output directory")
	wait := fs.Duration("wait", time.Second, "how long to collect answers")
	qtype := fs.String("type", "PTR", "query type: PTR or ANY")
	fs.Parse(args)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	name := *service + "." + *domain + "."
	q := new(dns.Msg)
	t := dns.TypePTR
	if strings.EqualFold(*qtype, "ANY") {
		t = dns.TypeANY
	}
	q.SetQuestion(name, t)
	q.RecursionDesired = false
	qb, err := q.Pack()
	if err != nil {
		return err
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero, Port: 0})
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.WriteToUDP(qb, &net.UDPAddr{IP: net.ParseIP("224.0.0.251"), Port: 5353}); err != nil {
		return err
	}
	os.WriteFile(filepath.Join(*out, "query.bin"), qb, 0o644)

	deadline := time.Now().Add(*wait)
	n := 0
	for time.Now().Before(deadline) {
		conn.SetReadDeadline(deadline)
		buf := make([]byte, 65536)
		k, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			break
		}
		m := new(dns.Msg)
		if err := m.Unpack(buf[:k]); err != nil {
			continue
		}
		base := filepath.Join(*out, fmt.Sprintf("response-%d", n))
		n++
		os.WriteFile(base+".bin", buf[:k], 0o644)
		os.WriteFile(base+".txt", []byte(fmt.Sprintf(";; from %s\n%s", from, m.String())), 0o644)
		for _, rr := range append(m.Answer, m.Extra...) {
			txt, ok := rr.(*dns.TXT)
			if !ok {
				continue
			}
			inst := strings.TrimSuffix(txt.Hdr.Name, ".")
			strs, _ := json.MarshalIndent(txt.Txt, "", "  ")
			os.WriteFile(filepath.Join(*out, "txt-strings.json"), append(strs, '\n'), 0o644)
			decoded, err := decodeTXT(txt.Txt)
			if err != nil {
				return fmt.Errorf("decode TXT of %s: %w", inst, err)
			}
			os.WriteFile(filepath.Join(*out, "txt-decoded.json"), decoded, 0o644)
			say(map[string]interface{}{"instance": txt.Hdr.Name, "ttl": txt.Hdr.Ttl, "strings": len(txt.Txt), "decoded_bytes": len(decoded)})
		}
	}
	if n == 0 {
		return fmt.Errorf("no mdns answer for %s", name)
	}
	say(map[string]interface{}{"responses": n, "out": *out})
	return nil
}

// decodeTXT: concatenate strings -> hex decode -> zlib inflate -> exact JSON bytes.
func decodeTXT(strs []string) ([]byte, error) {
	raw, err := hex.DecodeString(strings.Join(strs, ""))
	if err != nil {
		return nil, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
