// Reading Basalt's JSON log lines back from a spawned process's output (tests of the operator's view).

export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** Every JSON line of the output (stderr's non-JSON lines, such as a pasted config snippet, are skipped). */
export function logLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // A line cut by the read in progress; the caller polls again.
    }
  }
  return lines;
}

/** Waits (polling, up to 30 s) for the log line of one request id and returns it. */
export async function callLine(output: () => string, requestId: string): Promise<LogLine> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const line = logLines(output()).find((l) => l.requestId === requestId && l.frontDoor !== undefined);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no log line for request ${requestId}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
