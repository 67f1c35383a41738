// The policy seam: middlewares wrap in the listed order, and a pass-through model keeps its relay only
// behind admission-only middlewares.
import { test } from "node:test";
import assert from "node:assert/strict";
import { admissionMiddleware, wrapModel, type ModelMiddleware } from "../../src/core/model-middleware.js";
import { BedrockError } from "../../src/core/errors.js";
import type { CallContext, ConverseInput, Model, RelayCall } from "../../src/core/model.js";
import { ANONYMOUS } from "../../src/core/caller.js";
import { newCallRecord } from "../../src/core/call-record.js";
import { createEchoProvider } from "../../src/providers/echo/index.js";

const ctx = (): CallContext => ({
  requestedModelId: "basalt.echo", requestId: "r-1", startedAt: process.hrtime.bigint(), signal: new AbortController().signal,
  caller: ANONYMOUS, record: newCallRecord({ requestId: "r-1", frontDoor: "bedrock" }),
});
const input: ConverseInput = { messages: [{ role: "user", content: [{ text: "one two" }] }] };

/** The echo model with a relay that answers 200 with the action name, like a Bedrock upstream would. */
function relayedEcho(): Model {
  const echo = createEchoProvider().model({ id: "basalt.echo", provider: "echo" });
  return {
    id: echo.id,
    converse: (i, c) => echo.converse(i, c),
    converseStream: (i, c) => echo.converseStream(i, c),
    countTokens: (i, c) => echo.countTokens(i, c),
    async relay(call: RelayCall) {
      return { status: 200, headers: {}, body: (async function* () { yield Buffer.from(call.action); })() };
    },
  };
}

/** A transforming middleware: rewrites the reply text. */
const shout: ModelMiddleware = (inner) => ({
  id: inner.id,
  async converse(i, c) {
    const out = await inner.converse(i, c);
    const block = out.output && "message" in out.output ? out.output.message.content[0] : undefined;
    if (block && "text" in block) block.text = block.text.toUpperCase();
    return out;
  },
  converseStream: (i, c) => inner.converseStream(i, c),
  countTokens: (i, c) => inner.countTokens(i, c),
  // Even a middleware that passes relay on by mistake must not keep it: it did not declare admission-only.
  relay: inner.relay?.bind(inner),
});

test("no middleware: the model itself, relay included", () => {
  const model = relayedEcho();
  assert.equal(wrapModel(model, []), model);
});

test("a transforming middleware drops the relay, so calls go through converse()", async () => {
  const wrapped = wrapModel(relayedEcho(), [shout]);
  assert.equal(wrapped.relay, undefined);
  const out = await wrapped.converse(input, ctx());
  assert.deepEqual(out.output, { message: { role: "assistant", content: [{ text: "ONE TWO" }] } });
});

test("an admission-only middleware keeps the relay and runs before relayed calls too", async () => {
  const seen: string[] = [];
  const refuseRelay = admissionMiddleware((c, kind) => {
    seen.push(kind);
    if (kind === "relay" && c.caller.name === "anonymous") throw new BedrockError("AccessDeniedException", "no relay for you");
  });
  const wrapped = wrapModel(relayedEcho(), [refuseRelay]);
  assert.ok(wrapped.relay, "relay kept");
  await assert.rejects(wrapped.relay!({ action: "converse", body: new Uint8Array(), headers: {} }, ctx()), { name: "AccessDeniedException" });
  await wrapped.converse(input, ctx());
  for await (const _ of wrapped.converseStream(input, ctx())) void _;
  await wrapped.countTokens({ converse: input }, ctx());
  assert.deepEqual(seen, ["relay", "converse", "converseStream", "countTokens"]);
});

test("admission outside a transforming middleware: no relay (the inner one dropped it)", () => {
  const admit = admissionMiddleware(() => undefined);
  assert.equal(wrapModel(relayedEcho(), [admit, shout]).relay, undefined);
  assert.ok(wrapModel(relayedEcho(), [admit, admit]).relay);
});

test("the first middleware listed is the outermost", async () => {
  const order: string[] = [];
  const tag = (name: string) => admissionMiddleware(() => void order.push(name));
  await wrapModel(relayedEcho(), [tag("outer"), tag("inner")]).converse(input, ctx());
  assert.deepEqual(order, ["outer", "inner"]);
});
