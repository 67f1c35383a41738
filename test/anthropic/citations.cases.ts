// Citations: documents sent with citations enabled, and the cited answer coming back — as citationsContent
// blocks from Converse, and as `citation` deltas ahead of their text in ConverseStream (the order Bedrock's
// own Claude streams use, see recordings/bedrock/*document-citations*).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand, type Message } from "@aws-sdk/client-bedrock-runtime";
import { blockStart, blockStop, message, messageDelta, messageStart, messageStop, textBlock, textDelta } from "../fakes/anthropic-upstream.js";
import { MODEL_ID, collectEvents, stable, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\n");
const CITED = "Generative artificial intelligence refers to models that predict and generate various types of outputs.";

const question: Message = {
  role: "user",
  content: [
    { document: { format: "pdf", name: "document", source: { bytes: PDF }, citations: { enabled: true } } },
    { document: { format: "txt", name: "notes", source: { text: "Alpha. Beta." }, citations: { enabled: true } } },
    { text: "What is generative AI?" },
  ],
};

// The Messages API's citation objects, as its reference documents them.
const pageCitation = { type: "page_location", cited_text: CITED, document_index: 0, document_title: "document", start_page_number: 1, end_page_number: 2 };
const charCitation = { type: "char_location", cited_text: "Beta.", document_index: 1, document_title: "notes", start_char_index: 7, end_char_index: 12 };
const bedrockPage = { title: "document", sourceContent: [{ text: CITED }], location: { documentPage: { documentIndex: 0, start: 1, end: 2 } } };
const bedrockChar = { title: "notes", sourceContent: [{ text: "Beta." }], location: { documentChar: { documentIndex: 1, start: 7, end: 12 } } };

test("Converse: documents go up with citations enabled; cited text comes back as citationsContent", async () => {
  stack.upstream.enqueue({
    json: message({
      content: [
        textBlock("Based on the supplied document, "),
        { type: "text", text: "generative AI predicts and generates outputs", citations: [pageCitation, charCitation] },
        textBlock("."),
      ],
    }),
  });
  const res = await stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [question] }));
  const { body } = await stack.upstream.nextRequest();
  const sent = (body.messages as { content: Record<string, unknown>[] }[])[0].content;
  assert.deepEqual(sent[0].citations, { enabled: true });
  assert.deepEqual(sent[1], { type: "document", source: { type: "text", media_type: "text/plain", data: "Alpha. Beta." }, title: "notes", citations: { enabled: true } });

  assert.deepEqual(res.output?.message?.content, [
    { text: "Based on the supplied document, " },
    { citationsContent: { content: [{ text: "generative AI predicts and generates outputs" }], citations: [bedrockPage, bedrockChar] } },
    { text: "." },
  ]);
});

test("ConverseStream: citations_delta becomes a citation delta ahead of its block's text", async () => {
  stack.upstream.enqueue({
    sse: [
      messageStart({ input: 640, output: 1 }),
      blockStart(0, { type: "text", text: "" }),
      textDelta(0, "Based on the supplied document, "),
      blockStop(0),
      blockStart(1, { type: "text", text: "", citations: [] }),
      { event: "content_block_delta", data: { type: "content_block_delta", index: 1, delta: { type: "citations_delta", citation: pageCitation } } },
      textDelta(1, "generative AI"),
      textDelta(1, " predicts outputs"),
      blockStop(1),
      blockStart(2, { type: "text", text: "" }),
      { event: "content_block_delta", data: { type: "content_block_delta", index: 2, delta: { type: "citations_delta", citation: { type: "content_block_location", cited_text: "Alpha.", document_index: 1, document_title: null, start_block_index: 0, end_block_index: 1 } } } },
      textDelta(2, "."),
      blockStop(2),
      messageDelta("end_turn", 30),
      messageStop(),
    ],
  });
  const res = await stack.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: [question] }));
  assert.deepEqual(stable(await collectEvents(res.stream)), [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Based on the supplied document, " } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { citation: bedrockPage } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { text: "generative AI" } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { text: " predicts outputs" } } },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { contentBlockDelta: { contentBlockIndex: 2, delta: { citation: { sourceContent: [{ text: "Alpha." }], location: { documentChunk: { documentIndex: 1, start: 0, end: 1 } } } } } },
    { contentBlockDelta: { contentBlockIndex: 2, delta: { text: "." } } },
    { contentBlockStop: { contentBlockIndex: 2 } },
    { messageStop: { stopReason: "end_turn" } },
    { metadata: { usage: { inputTokens: 640, outputTokens: 30, totalTokens: 670 }, metrics: { latencyMs: "n" } } },
  ]);
  await stack.upstream.nextRequest();
});

test("a cited answer sent back in the history goes upstream as its text", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("ok")] }) });
  const cited: Message = {
    role: "assistant",
    content: [{ text: "Based on it, " }, { citationsContent: { content: [{ text: "AI generates outputs" }], citations: [bedrockPage] } }],
  };
  await stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [question, cited, { role: "user", content: [{ text: "More?" }] }] }));
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual((body.messages as { content: unknown[] }[])[1].content, [
    { type: "text", text: "Based on it, " },
    { type: "text", text: "AI generates outputs" },
  ]);
});

test("InvokeModel with Claude's body: the native answer carries its citations (text blocks with citations, citations_delta)", async () => {
  const claudeBody = JSON.stringify({
    anthropic_version: "bedrock-2023-05-31", max_tokens: 200,
    messages: [{ role: "user", content: [
      { type: "document", source: { type: "text", media_type: "text/plain", data: "Alpha. Beta." }, title: "notes", citations: { enabled: true } },
      { type: "text", text: "What is generative AI?" },
    ] }],
  });
  stack.upstream.enqueue({
    json: message({ content: [textBlock("Based on it, "), { type: "text", text: "AI generates outputs", citations: [pageCitation, charCitation] }] }),
  });
  const res = await stack.client.send(new InvokeModelCommand({ modelId: MODEL_ID, contentType: "application/json", body: claudeBody }));
  const answer = JSON.parse(new TextDecoder().decode(res.body)) as { content: { type: string; text: string; citations?: unknown[] }[] };
  assert.deepEqual(answer.content[1], { type: "text", text: "AI generates outputs", citations: [pageCitation, charCitation] });
  assert.equal(answer.content[0].citations, undefined, "a block without citations carries none");
  await stack.upstream.nextRequest();

  stack.upstream.enqueue({
    sse: [
      messageStart({ input: 40, output: 1 }),
      blockStart(0, { type: "text", text: "", citations: [] }),
      { event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: pageCitation } } },
      textDelta(0, "AI generates outputs"),
      blockStop(0),
      messageDelta("end_turn", 5),
      messageStop(),
    ],
  });
  const streamed = await stack.client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, contentType: "application/json", body: claudeBody }));
  const chunks: { type: string; delta?: { type: string; citation?: unknown } }[] = [];
  for await (const e of streamed.body ?? []) if (e.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(e.chunk.bytes)));
  const citation = chunks.find((c) => c.delta?.type === "citations_delta");
  assert.deepEqual(citation?.delta?.citation, pageCitation);
  assert.ok(chunks.indexOf(citation!) < chunks.findIndex((c) => c.delta?.type === "text_delta"), "the citation comes ahead of its text");
  await stack.upstream.nextRequest();
});
