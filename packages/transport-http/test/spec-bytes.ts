// The bytes of a Go v5 client calling Greeter.Hello on a Go v5 server with JSON (first call of the process,
// service greeter at 10.0.0.5:43521), verbatim: the request, the success response and the error response
// (headers sorted, the request's headers echoed, the error in Micro-Error and X-Micro-Error).
export const ERROR_JSON =
  '{"id":"go.micro.server","code":500,"detail":"boom","status":"Internal Server Error"}';

export const REQUEST =
  "POST / HTTP/1.1\r\n" +
  "Host: 10.0.0.5:43521\r\n" +
  "User-Agent: Go-http-client/1.1\r\n" +
  "Content-Length: 16\r\n" +
  "Accept: application/json\r\n" +
  "Content-Type: application/json\r\n" +
  "Micro-Endpoint: Greeter.Hello\r\n" +
  "Micro-Id: 0\r\n" +
  "Micro-Method: Greeter.Hello\r\n" +
  "Micro-Service: greeter\r\n" +
  "Timeout: 5000000000\r\n" +
  "\r\n" +
  '{"name":"John"}\n';

export const SUCCESS =
  "HTTP/1.1 200 OK\r\n" +
  "Content-Length: 21\r\n" +
  "Accept: application/json\r\n" +
  "Content-Type: application/json\r\n" +
  "Micro-Endpoint: Greeter.Hello\r\n" +
  "Micro-Id: 0\r\n" +
  "Micro-Method: Greeter.Hello\r\n" +
  "Micro-Service: greeter\r\n" +
  "Timeout: 5000000000\r\n" +
  "User-Agent: Go-http-client/1.1\r\n" +
  "\r\n" +
  '{"msg":"Hello John"}\n';

export const ERROR =
  "HTTP/1.1 200 OK\r\n" +
  "Content-Length: 0\r\n" +
  "Accept: application/json\r\n" +
  "Content-Type: application/json\r\n" +
  "Micro-Endpoint: Greeter.Hello\r\n" +
  `Micro-Error: ${ERROR_JSON}\r\n` +
  "Micro-Id: 0\r\n" +
  "Micro-Method: Greeter.Hello\r\n" +
  "Micro-Service: greeter\r\n" +
  "Timeout: 5000000000\r\n" +
  "User-Agent: Go-http-client/1.1\r\n" +
  `X-Micro-Error: ${ERROR_JSON}\r\n` +
  "\r\n";

/** The header map a go-micro server socket sees for REQUEST (first values, canonical, no Host). */
export const REQUEST_HEADER = {
  "User-Agent": "Go-http-client/1.1",
  "Content-Length": "16",
  Accept: "application/json",
  "Content-Type": "application/json",
  "Micro-Endpoint": "Greeter.Hello",
  "Micro-Id": "0",
  "Micro-Method": "Greeter.Hello",
  "Micro-Service": "greeter",
  Timeout: "5000000000",
};
