package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

func say(v interface{}) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("refusing non-loopback address %q", addr)
	}
	return nil
}

func runProxy(args []string) error {
	fs := flag.NewFlagSet("proxy", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "listen address (loopback)")
	target := fs.String("target", "", "go-micro server host:port (loopback)")
	out := fs.String("out", "", "output directory")
	fs.Parse(args)
	if err := loopbackOnly(*listen); err != nil {
		return err
	}
	if err := loopbackOnly(*target); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	say(map[string]string{"listen": l.Addr().String()})
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
		<-ch
		l.Close()
	}()
	var wg sync.WaitGroup
	for n := 0; ; n++ {
		c, err := l.Accept()
		if err != nil {
			break
		}
		wg.Add(1)
		go func(n int, c net.Conn) {
			defer wg.Done()
			proxyConn(n, c, *target, *out)
		}(n, c)
	}
	wg.Wait()
	return nil
}

type recorder struct {
	mu       sync.Mutex
	timeline *os.File
	off      map[string]int
	start    time.Time
}

func (r *recorder) note(dir string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.timeline, "%s offset=%d len=%d t=%s\n", dir, r.off[dir], n, time.Since(r.start).Round(time.Microsecond))
	r.off[dir] += n
}

func proxyConn(n int, c net.Conn, target, out string) {
	defer c.Close()
	s, err := net.Dial("tcp", target)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dial:", err)
		return
	}
	defer s.Close()
	base := filepath.Join(out, fmt.Sprintf("conn-%d", n))
	c2s, _ := os.Create(base + ".c2s")
	s2c, _ := os.Create(base + ".s2c")
	tl, _ := os.Create(base + ".timeline")
	defer c2s.Close()
	defer s2c.Close()
	defer tl.Close()
	rec := &recorder{timeline: tl, off: map[string]int{}, start: time.Now()}
	pipe := func(dst net.Conn, src net.Conn, f *os.File, dir string, done chan struct{}) {
		defer close(done)
		buf := make([]byte, 64*1024)
		for {
			k, err := src.Read(buf)
			if k > 0 {
				f.Write(buf[:k])
				rec.note(dir, k)
				dst.Write(buf[:k])
			}
			if err != nil {
				rec.note(dir+"-closed", 0)
				if tc, ok := dst.(*net.TCPConn); ok {
					tc.CloseWrite()
				}
				return
			}
		}
	}
	d1, d2 := make(chan struct{}), make(chan struct{})
	go pipe(s, c, c2s, "c2s", d1)
	go pipe(c, s, s2c, "s2c", d2)
	<-d1
	<-d2
	say(map[string]string{"saved": base})
}

// readHTTPRequest reads one full HTTP/1.1 request (headers + Content-Length
// body) and returns its exact bytes.
func readHTTPRequest(br *bufio.Reader) ([]byte, error) {
	var raw bytes.Buffer
	tee := io.TeeReader(br, &raw)
	tr := bufio.NewReader(tee) // raw holds what was read; a Go client sends nothing more before our reply
	req, err := http.ReadRequest(tr)
	if err != nil {
		return raw.Bytes(), err
	}
	io.Copy(io.Discard, req.Body)
	req.Body.Close()
	return raw.Bytes(), nil
}

func runRaw(args []string) error {
	fs := flag.NewFlagSet("raw", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "listen address (loopback)")
	out := fs.String("out", "", "file for the request bytes")
	reply := fs.String("reply", "", "optional file whose bytes are sent back")
	fs.Parse(args)
	if err := loopbackOnly(*listen); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	defer l.Close()
	say(map[string]string{"listen": l.Addr().String()})
	c, err := l.Accept()
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	b, err := readHTTPRequest(bufio.NewReader(c))
	if werr := os.WriteFile(*out, b, 0o644); werr != nil {
		return werr
	}
	if err != nil {
		return err
	}
	if *reply != "" {
		rb, err := os.ReadFile(*reply)
		if err != nil {
			return err
		}
		c.Write(rb)
		time.Sleep(200 * time.Millisecond)
	}
	say(map[string]interface{}{"saved": *out, "bytes": len(b)})
	return nil
}

func runReplay(args []string) error {
	fs := flag.NewFlagSet("replay", flag.ExitOnError)
	target := fs.String("target", "", "host:port (loopback)")
	in := fs.String("in", "", "bytes to send")
	out := fs.String("out", "", "file for the received bytes")
	idle := fs.Duration("idle", 500*time.Millisecond, "stop after this long without data")
	fs.Parse(args)
	if err := loopbackOnly(*target); err != nil {
		return err
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	c, err := net.Dial("tcp", *target)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Write(data); err != nil {
		return err
	}
	var got bytes.Buffer
	buf := make([]byte, 64*1024)
	for {
		c.SetReadDeadline(time.Now().Add(*idle))
		k, err := c.Read(buf)
		got.Write(buf[:k])
		if err != nil {
			break
		}
	}
	if err := os.WriteFile(*out, got.Bytes(), 0o644); err != nil {
		return err
	}
	say(map[string]interface{}{"saved": *out, "bytes": got.Len(), "preview": strings.SplitN(got.String(), "\r\n", 2)[0]})
	return nil
}
