// A throwaway self-signed certificate for 127.0.0.1 and localhost (the openssl CLI), written to a
// temp dir as PEM files, for the TLS flag tests (core's tests do not depend on @micro/testing).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function certFiles(): { dir: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "micro-core-tls-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1"].concat([
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]),
    { stdio: "ignore" },
  );
  return { dir, cert, key };
}
