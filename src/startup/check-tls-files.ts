// Checks the TLS files before the server starts, so a mistake is reported against the flag (or variable, or
// config key) that named the file, not as a bare OpenSSL message ("error:1E08010C:DECODER routines::unsupported")
// from deep inside the TLS server. Never prints file contents: a key file is a secret.
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { UsageError } from "./usage-error.js";

export interface TlsFiles {
  cert: string;
  key: string;
  /** How the user named each file: "--tls-cert", "BASALT_TLS_CERT", "server.tlsCert". */
  certName: string;
  keyName: string;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----/;
const PRIVATE_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

function read(path: string, name: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `${name}: no such file: ${path}` : `${name}: cannot read ${path}: ${code ?? (err as Error).message}`);
  }
}

export function checkTlsFiles(files: TlsFiles): void {
  const cert = read(files.cert, files.certName);
  const key = read(files.key, files.keyName);
  const certIsCert = CERTIFICATE.test(cert);
  const keyIsKey = PRIVATE_KEY.test(key);
  if (!certIsCert && !keyIsKey && PRIVATE_KEY.test(cert) && CERTIFICATE.test(key)) {
    throw new UsageError(
      `${files.certName} and ${files.keyName} look swapped: ${files.certName} (${files.cert}) holds a private key and ` +
        `${files.keyName} (${files.key}) a certificate`,
    );
  }
  if (!certIsCert) {
    const what = PRIVATE_KEY.test(cert) ? "a private key, not a certificate" : "no PEM certificate (-----BEGIN CERTIFICATE-----)";
    throw new UsageError(`${files.certName}: ${files.cert} holds ${what}`);
  }
  if (!keyIsKey) {
    const what = CERTIFICATE.test(key) ? "a certificate, not a private key" : "no PEM private key (-----BEGIN PRIVATE KEY-----)";
    throw new UsageError(`${files.keyName}: ${files.key} holds ${what}`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const reason = /key values mismatch/i.test((err as Error).message)
      ? "does not match the certificate"
      : `was refused by OpenSSL (${(err as Error).message})`;
    throw new UsageError(`${files.keyName}: the private key in ${files.key} ${reason} in ${files.certName} (${files.cert})`);
  }
}
