// A key's model allow-list: globs over served model ids, and the IAM-style refusal naming caller and ARN.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Caller } from "../../src/core/caller.js";
import { BedrockError } from "../../src/core/errors.js";
import { checkModelAccess, mayUseModel, modelArn } from "../../src/auth/check-model-access.js";

const teamA: Caller = { name: "team-a", via: "sigv4", region: "eu-west-1", models: Object.freeze(["basalt.echo", "anthropic.*", "meta.llama3-?-8b"]) };

describe("model allow-list", () => {
  it("matches served ids by glob: * any run, ? one character, everything else literally", () => {
    for (const id of ["basalt.echo", "anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic.", "meta.llama3-1-8b"]) assert.ok(mayUseModel(teamA, id), id);
    for (const id of ["basalt.echoes", "basaltXecho", "openai.gpt-oss-20b", "xanthropic.claude", "meta.llama3-10-8b"]) assert.ok(!mayUseModel(teamA, id), id);
  });

  it("lets a caller without a list use every model", () => {
    assert.ok(mayUseModel({ name: "ci", via: "api-key" }, "anything:at/all"));
  });

  it("refuses IAM-style, naming the caller, the action of the operation and the model's ARN", () => {
    const refuse = (requestedModelId: string, operation: string) => {
      try {
        checkModelAccess(teamA, { servedModelId: "openai.gpt-oss-20b", requestedModelId, operation });
      } catch (err) {
        assert.ok(err instanceof BedrockError && err.errorName === "AccessDeniedException");
        return err.message;
      }
      assert.fail("allowed");
    };
    assert.equal(refuse("openai.gpt-oss-20b", "Converse"),
      "User: arn:aws:iam::000000000000:user/team-a is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-west-1::foundation-model/openai.gpt-oss-20b because no identity-based policy allows the bedrock:InvokeModel action");
    assert.match(refuse("openai.gpt-oss-20b", "ConverseStream"), /perform: bedrock:InvokeModelWithResponseStream on resource/);
    assert.match(refuse("openai.gpt-oss-20b", "CountTokens"), /perform: bedrock:CountTokens on/);
    assert.equal(modelArn("us.openai.gpt-oss-20b", "us-east-1"), "arn:aws:bedrock:us-east-1:000000000000:inference-profile/us.openai.gpt-oss-20b");
    const arn = "arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-20b";
    assert.match(refuse(arn, "InvokeModel"), new RegExp(`on resource: ${arn.replace(/[.]/g, "\\.")} because`));
  });

  it("checks the served id, not the requested one (an ARN cannot smuggle a glob match)", () => {
    const star: Caller = { name: "x", via: "sigv4", models: ["*echo*"] };
    assert.throws(() => checkModelAccess(star, { servedModelId: "secret-model", requestedModelId: "arn:aws:bedrock:x::echo/secret-model", operation: "Converse" }));
    assert.doesNotThrow(() => checkModelAccess(star, { servedModelId: "basalt.echo", requestedModelId: "us.basalt.echo", operation: "Converse" }));
  });
});
