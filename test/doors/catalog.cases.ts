// The control plane's catalogue through @aws-sdk/client-bedrock and boto3's `bedrock` client, on the
// runtime's port: served models listed and filtered, profiles for the us./eu./global. forms, config overrides.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  BedrockClient, GetFoundationModelCommand, GetInferenceProfileCommand, GetModelInvocationLoggingConfigurationCommand, ListCustomModelsCommand,
  ListFoundationModelAgreementOffersCommand, ListImportedModelsCommand, ListPromptRoutersCommand, ListProvisionedModelThroughputsCommand,
  ListFoundationModelsCommand, ListInferenceProfilesCommand,
} from "@aws-sdk/client-bedrock";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";

const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const EMBED = "amazon.titan-embed-text-v2:0";
let basalt: RunningBasalt;
let client: BedrockClient;

before(async () => {
  const config = writeConfig(`
models:
  - { id: "basalt.echo", provider: echo }
  - { id: "${HAIKU}", provider: echo }
  - { id: "${EMBED}", provider: echo }
  - { id: "meta.llama3-1-8b-instruct-v1:0", provider: echo, catalog: { modelName: "Llama Test", providerName: "Meta Labs", lifecycleStatus: LEGACY } }
`);
  basalt = await startBasalt({ config });
  client = new BedrockClient({ endpoint: basalt.url, region: "us-east-1", credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" }, maxAttempts: 1 });
});
after(async () => {
  client.destroy();
  await basalt.stop();
});

test("ListFoundationModels lists the served models with family-derived names, and filters", async () => {
  const all = await client.send(new ListFoundationModelsCommand({}));
  assert.deepEqual(all.modelSummaries?.map((m) => m.modelId), ["basalt.echo", HAIKU, EMBED, "meta.llama3-1-8b-instruct-v1:0"]);
  const haiku = all.modelSummaries!.find((m) => m.modelId === HAIKU)!;
  assert.equal(haiku.providerName, "Anthropic");
  assert.equal(haiku.modelArn, `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`);
  assert.deepEqual(haiku.inputModalities, ["TEXT", "IMAGE"]);
  assert.deepEqual(haiku.outputModalities, ["TEXT"]);
  assert.equal(haiku.responseStreamingSupported, true);
  assert.deepEqual(haiku.inferenceTypesSupported, ["ON_DEMAND"]);
  for (const m of all.modelSummaries!) assert.ok(m.modelName!.length <= 20 && m.providerName!.length <= 20, m.modelId);

  const byProvider = await client.send(new ListFoundationModelsCommand({ byProvider: "anthropic" }));
  assert.deepEqual(byProvider.modelSummaries?.map((m) => m.modelId), [HAIKU]);
  const embeddings = await client.send(new ListFoundationModelsCommand({ byOutputModality: "EMBEDDING" }));
  assert.deepEqual(embeddings.modelSummaries?.map((m) => m.modelId), [EMBED]);
  const fineTunable = await client.send(new ListFoundationModelsCommand({ byCustomizationType: "FINE_TUNING" }));
  assert.deepEqual(fineTunable.modelSummaries, []);
  const provisioned = await client.send(new ListFoundationModelsCommand({ byInferenceType: "PROVISIONED" }));
  assert.deepEqual(provisioned.modelSummaries, []);
});

test("derived names read as the catalogue writes them: version digits joined by a point", async () => {
  const haiku = await client.send(new GetFoundationModelCommand({ modelIdentifier: HAIKU }));
  assert.equal(haiku.modelDetails?.modelName, "Claude 3.5 Haiku");
});

test("config overrides win; GetFoundationModel by id and by ARN; an unknown id is a ValidationException", async () => {
  const llama = await client.send(new GetFoundationModelCommand({ modelIdentifier: "meta.llama3-1-8b-instruct-v1:0" }));
  assert.equal(llama.modelDetails?.modelName, "Llama Test");
  assert.equal(llama.modelDetails?.providerName, "Meta Labs");
  assert.equal(llama.modelDetails?.modelLifecycle?.status, "LEGACY");
  const byArn = await client.send(new GetFoundationModelCommand({ modelIdentifier: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` }));
  assert.equal(byArn.modelDetails?.modelId, HAIKU);
  await assert.rejects(client.send(new GetFoundationModelCommand({ modelIdentifier: "nobody.nothing-v1" })), { name: "ValidationException" });
});

test("inference profiles: us./eu./global. forms, paged, and got by id or ARN", async () => {
  const all = await client.send(new ListInferenceProfilesCommand({}));
  const ids = all.inferenceProfileSummaries!.map((p) => p.inferenceProfileId);
  assert.ok(ids.includes(`us.${HAIKU}`) && ids.includes(`eu.${HAIKU}`) && ids.includes(`global.${HAIKU}`));
  assert.equal(ids.length, 12);
  const pages: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListInferenceProfilesCommand({ maxResults: 5, nextToken }));
    pages.push(...page.inferenceProfileSummaries!.map((p) => p.inferenceProfileId!));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepEqual(pages, ids);
  const app = await client.send(new ListInferenceProfilesCommand({ typeEquals: "APPLICATION" }));
  assert.deepEqual(app.inferenceProfileSummaries, []);
  const profile = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: `us.${HAIKU}` }));
  assert.equal(profile.type, "SYSTEM_DEFINED");
  assert.deepEqual(profile.models, [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` }]);
  const byArn = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: profile.inferenceProfileArn }));
  assert.equal(byArn.inferenceProfileId, `us.${HAIKU}`);
  await assert.rejects(client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: "ap.none" })), { name: "ResourceNotFoundException" });
});

test("an unplugged control-plane operation answers 404 UnknownOperationException naming it", async () => {
  await assert.rejects(client.send(new ListFoundationModelAgreementOffersCommand({ modelId: HAIKU })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, "UnknownOperationException");
    assert.equal(err.$metadata?.httpStatusCode, 404);
    assert.match(err.message, /ListFoundationModelAgreementOffers/);
    return true;
  });
});

test("inventories Basalt never has (custom models, provisioned throughput, …) are empty lists; invocation logging is not configured", async () => {
  assert.deepEqual((await client.send(new ListCustomModelsCommand({}))).modelSummaries, []);
  assert.deepEqual((await client.send(new ListProvisionedModelThroughputsCommand({}))).provisionedModelSummaries, []);
  assert.deepEqual((await client.send(new ListImportedModelsCommand({}))).modelSummaries, []);
  assert.deepEqual((await client.send(new ListPromptRoutersCommand({}))).promptRouterSummaries, []);
  assert.equal((await client.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig, undefined);
});

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
test("boto3's bedrock client lists and gets models and profiles", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  const script = fileURLToPath(new URL("./catalog.py", import.meta.url));
  const out = await new Promise<string>((resolve, reject) =>
    execFile("python3", [script, basalt.url], { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout))));
  const got = JSON.parse(out) as Record<string, unknown>;
  assert.equal((got.all as string[]).length, 4);
  assert.deepEqual(got.anthropic, [HAIKU]);
  assert.deepEqual(got.embedding, [EMBED]);
  assert.equal((got.get as { providerName: string }).providerName, "Anthropic");
  assert.equal((got.profiles as string[]).length, 12);
  assert.equal(got.profile, `eu.${HAIKU}`);
  assert.deepEqual((got.unplugged as unknown[]).slice(0, 2), ["UnknownOperationException", 404]);
  assert.deepEqual(got.customModels, []);
});
