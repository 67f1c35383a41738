// Issue 10, item 10: the README's LangChain JS and Vercel AI SDK snippets, run as written against a real
// Basalt (the CLI on loopback): a chat call and a streamed one each. Keep these and the README in step.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startBasalt, type RunningBasalt } from "../helpers/start-basalt.js";

let basalt: RunningBasalt;

describe("SDK snippets (real CLI)", () => {
  before(async () => {
    basalt = await startBasalt();
  });

  after(async () => {
    await basalt?.stop();
  });

  describe("README snippets against a real Basalt", () => {
    it("LangChain JS: ChatBedrockConverse with a BedrockRuntimeClient pointed at Basalt", async () => {
      // --- README: LangChain JS ---
      const { ChatBedrockConverse } = await import("@langchain/aws");
      const { BedrockRuntimeClient } = await import("@aws-sdk/client-bedrock-runtime");

      const llm = new ChatBedrockConverse({
        model: "basalt.echo",
        region: "us-east-1", // required here too, even with a client
        // The client, not `endpointHost` (which always prepends https://).
        client: new BedrockRuntimeClient({
          endpoint: basalt.url, // e.g. "http://localhost:4599"
          region: "us-east-1",
          credentials: { accessKeyId: "basalt", secretAccessKey: "basalt" }, // any, without an auth section
        }),
      });
      const reply = await llm.invoke("Hello from LangChain");
      // --- end ---
      assert.equal(reply.content, "Hello from LangChain");
      assert.ok((reply.usage_metadata?.output_tokens ?? 0) > 0);

      let streamed = "";
      for await (const chunk of await llm.stream("one two three")) streamed += typeof chunk.content === "string" ? chunk.content : "";
      assert.equal(streamed, "one two three");
    });

    it("Vercel AI SDK: createAmazonBedrock with baseURL", async () => {
      // --- README: Vercel AI SDK ---
      const { createAmazonBedrock } = await import("@ai-sdk/amazon-bedrock");
      const { generateText, streamText } = await import("ai");

      const bedrock = createAmazonBedrock({
        baseURL: basalt.url, // e.g. "http://localhost:4599"
        region: "us-east-1",
        accessKeyId: "basalt", // any, without an auth section
        secretAccessKey: "basalt",
      });
      const { text, usage } = await generateText({ model: bedrock("basalt.echo"), prompt: "Hello from the AI SDK" });
      // --- end ---
      assert.equal(text, "Hello from the AI SDK");
      assert.ok((usage.outputTokens ?? 0) > 0);

      const result = streamText({ model: bedrock("basalt.echo"), prompt: "streamed words here" });
      let streamed = "";
      for await (const delta of result.textStream) streamed += delta;
      assert.equal(streamed, "streamed words here");
    });

    it("structured output through a forced tool: the Vercel AI SDK's generateObject and LangChain's withStructuredOutput", async () => {
      const { createAmazonBedrock } = await import("@ai-sdk/amazon-bedrock");
      const { generateObject } = await import("ai");
      const { z } = await import("zod");
      const bedrock = createAmazonBedrock({ baseURL: basalt.url, region: "us-east-1", accessKeyId: "basalt", secretAccessKey: "basalt" });
      const schema = z.object({ city: z.string(), days: z.number() });
      const { object } = await generateObject({ model: bedrock("basalt.echo"), schema, prompt: "Lyon" });
      assert.deepEqual(object, { city: "Lyon", days: 0 });

      const { ChatBedrockConverse } = await import("@langchain/aws");
      const { BedrockRuntimeClient } = await import("@aws-sdk/client-bedrock-runtime");
      const llm = new ChatBedrockConverse({
        // LangChain forces the tool only for models it knows take toolChoice (Claude's ids); echo takes it too.
        model: "basalt.echo", region: "us-east-1", supportsToolChoiceValues: ["auto", "any", "tool"],
        client: new BedrockRuntimeClient({ endpoint: basalt.url, region: "us-east-1", credentials: { accessKeyId: "basalt", secretAccessKey: "basalt" } }),
      });
      const structured = await llm.withStructuredOutput(schema).invoke("Oslo");
      assert.deepEqual(structured, { city: "Oslo", days: 0 });
    });

    it("Vercel AI SDK with a Bedrock API key (apiKey → Authorization: Bearer)", async () => {
      const { createAmazonBedrock } = await import("@ai-sdk/amazon-bedrock");
      const { generateText } = await import("ai");
      const bedrock = createAmazonBedrock({ baseURL: basalt.url, region: "us-east-1", apiKey: "any-key-without-auth" });
      const { text } = await generateText({ model: bedrock("basalt.echo"), prompt: "bearer works" });
      assert.equal(text, "bearer works");
    });
  });
});
