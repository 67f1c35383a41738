// The real CLI (dist/cli.js) as a process: its lifecycle, flags, TLS and ports, in one test process (test/README.md,
// "One process per folder"). Run one alone with `node --import tsx --test test/foundation/<name>.cases.ts`.
import "./cli-and-lifecycle.cases.js";
import "./tls-and-ports.cases.js";
