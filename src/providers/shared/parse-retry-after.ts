// How long an upstream asked us to wait before trying again, from its answer's headers: `retry-after-ms`
// (OpenAI's, milliseconds) first, else `Retry-After` (RFC 9110: delay-seconds or an HTTP-date). The gateway's
// retry policy honours it (gateway/policies/resilience/); unreadable or negative values say nothing.
type HeaderValue = string | string[] | undefined;

const first = (v: HeaderValue): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim();

export function parseRetryAfterMs(headers: Readonly<Record<string, HeaderValue>>, now: number = Date.now()): number | undefined {
  const ms = first(headers["retry-after-ms"]);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const after = first(headers["retry-after"]);
  if (after === undefined || after === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.ceil(Number(after) * 1000);
  // An HTTP-date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); anything else is not one.
  const date = /^[A-Za-z]{3}, /.test(after) ? Date.parse(after) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
