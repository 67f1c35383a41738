// Preloaded into Portkey's gateway process (node --import) by the benchmark only.
// Why: with the @hono/node-server it installs (1.19.x), Portkey's streaming path wraps the upstream's
// fetch() Response in hono's lightweight Response, which keeps fetch's *immutable* Headers; Portkey then
// appends its x-portkey-* headers and every streamed chat completion fails with "TypeError: immutable"
// ({"status":"failure","message":"Something went wrong"}). Re-wrapping fetch results with mutable headers
// fixes that at the cost of one extra Response object per upstream call; JSON requests are unaffected
// by the bug but go through the same shim, so both modes are measured alike.
const upstreamFetch = globalThis.fetch;
const NativeResponse = globalThis.Response;
globalThis.fetch = async (input, init) => {
  const res = await upstreamFetch(input, init);
  return new NativeResponse(res.body, { status: res.status, statusText: res.statusText, headers: new Headers(res.headers) });
};
