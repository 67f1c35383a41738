// The per-event signature chain (src/auth/verify-event-signature.ts) against the signer the AWS SDKs use
// (@smithy/signature-v4's signMessage): a chain across midnight UTC (each event's scope is its own day), and
// what breaks it — an altered payload, a reordered or replayed event, another seed, a wrong secret.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { eventSignatureChain } from "../../src/auth/verify-event-signature.js";

const KEY = { accessKeyId: "AKIDCHAIN", secretAccessKey: "chain-secret" };
const SEED = "a".repeat(64);
const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20261130/eu-west-3/bedrock/aws4_request, SignedHeaders=:authority;x-amz-date, Signature=${SEED}`;
const secretFor = (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined);

interface Signed { dateMs: number; signature: Uint8Array; payload: Uint8Array }

async function signChain(payloads: string[], start: Date, stepMs: number): Promise<Signed[]> {
  const signer = new SignatureV4({ service: "bedrock", region: "eu-west-3", credentials: KEY, sha256: Sha256 });
  let prior = SEED;
  const out: Signed[] = [];
  for (const [i, text] of payloads.entries()) {
    const date = new Date(start.getTime() + i * stepMs);
    const body = Buffer.from(text);
    const { signature } = await signer.sign({ message: { headers: { ":date": { type: "timestamp", value: date } }, body }, priorSignature: prior }, { signingDate: date });
    prior = signature;
    out.push({ dateMs: date.getTime(), signature: Buffer.from(signature, "hex"), payload: body });
  }
  return out;
}

const chain = () => eventSignatureChain(AUTHORIZATION, secretFor)!;

describe("per-event signature chain", () => {
  test("verifies the SDK signer's chain, across midnight UTC, with millisecond dates", async () => {
    const events = await signChain(["one", "two", "three", ""], new Date("2026-11-30T23:59:59.123Z"), 450);
    const c = chain();
    for (const e of events) assert.equal(c.verify(e.dateMs, e.signature, e.payload), true);
  });

  test("an altered payload, a skipped or replayed event, or another date fails", async () => {
    const events = await signChain(["one", "two", "three"], new Date("2026-11-30T10:00:00.000Z"), 1000);
    let c = chain();
    assert.equal(c.verify(events[0].dateMs, events[0].signature, Buffer.from("One")), false);
    c = chain();
    assert.equal(c.verify(events[1].dateMs, events[1].signature, events[1].payload), false, "skipping the first");
    c = chain();
    assert.equal(c.verify(events[0].dateMs, events[0].signature, events[0].payload), true);
    assert.equal(c.verify(events[0].dateMs, events[0].signature, events[0].payload), false, "replaying the first");
    c = chain();
    assert.equal(c.verify(events[0].dateMs + 1, events[0].signature, events[0].payload), false, "another :date");
  });

  test("a chain seeded by another request's signature, or made with another secret, fails", async () => {
    const [first] = await signChain(["one"], new Date("2026-11-30T10:00:00.000Z"), 0);
    const otherSeed = eventSignatureChain(AUTHORIZATION.replace(SEED, "b".repeat(64)), secretFor)!;
    assert.equal(otherSeed.verify(first.dateMs, first.signature, first.payload), false);
    const otherSecret = eventSignatureChain(AUTHORIZATION, () => "another-secret")!;
    assert.equal(otherSecret.verify(first.dateMs, first.signature, first.payload), false);
    assert.equal(eventSignatureChain(AUTHORIZATION, () => undefined), undefined, "an unknown key has no chain");
    assert.equal(eventSignatureChain("Bearer abc", secretFor), undefined, "a Bearer key has no chain");
  });
});
