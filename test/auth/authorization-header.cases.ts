// The Authorization header's parse is found again by its text before the signature: a header that the full
// pattern would refuse must still be refused after a valid one with the same beginning was seen, and a
// header that differs anywhere before the signature must be parsed afresh.
import assert from "node:assert/strict";
import { it } from "node:test";
import { parseAuthorization } from "../../src/auth/authorization-header.js";
import { EMPTY_SHA256, isHexSha256 } from "../../src/auth/canonical-request.js";

const HEAD = "AWS4-HMAC-SHA256 Credential=AKIDHEADER000001/20261201/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=";
const SIG_A = "a".repeat(64);
const SIG_B = "0123456789abcdef".repeat(4);

it("parses a header, then finds the same beginning again with another signature", () => {
  const first = parseAuthorization(HEAD + SIG_A);
  assert.ok(first);
  assert.equal(first.signature, SIG_A);
  assert.equal(first.head.signedHeaderList, "host;x-amz-date");
  assert.deepEqual(first.head.signedHeaders, ["host", "x-amz-date"]);
  assert.equal(first.head.scope?.accessKeyId, "AKIDHEADER000001");
  assert.equal(first.head.scope?.region, "us-east-1");
  const second = parseAuthorization(HEAD + SIG_B);
  assert.equal(second?.head, first.head);
  assert.equal(second?.signature, SIG_B);
});

it("refuses, after a valid header was seen, the same beginning followed by anything but 64 lower-case hex digits", () => {
  assert.ok(parseAuthorization(HEAD + SIG_A));
  for (const tail of ["A".repeat(64), "g".repeat(64), SIG_A.slice(1), SIG_A + "0", `${"a".repeat(32)} ${"a".repeat(31)}`]) {
    assert.equal(parseAuthorization(HEAD + tail), undefined, tail);
  }
});

it("says where the signature is in the header as sent", () => {
  for (const header of [HEAD + SIG_A, HEAD + SIG_B, `${HEAD}${SIG_B}  `, HEAD.replace(", SignedHeaders", " ,  SignedHeaders") + SIG_A]) {
    const parsed = parseAuthorization(header);
    assert.ok(parsed, header);
    assert.equal(parsed.header, header);
    assert.equal(header.slice(parsed.signatureAt, parsed.signatureAt + 64), parsed.signature);
  }
});

it("parses afresh a header that differs before the signature, also at the same length as the last one", () => {
  assert.ok(parseAuthorization(HEAD + SIG_A));
  const west = parseAuthorization(HEAD.replace("us-east-1", "us-west-1") + SIG_A);
  assert.equal(west?.head.scope?.region, "us-west-1");
  assert.equal(parseAuthorization(HEAD + SIG_B)?.head.scope?.region, "us-east-1");
  const other = parseAuthorization(HEAD.replace("host;x-amz-date", "content-type;host;x-amz-date") + SIG_A);
  assert.deepEqual(other?.head.signedHeaders, ["content-type", "host", "x-amz-date"]);
  assert.equal(parseAuthorization(HEAD.replace("Credential=", "Credentials=") + SIG_A), undefined);
});

it("accepts whitespace after the signature as the pattern does, and keeps an unscoped credential's parse undefined", () => {
  assert.equal(parseAuthorization(`${HEAD}${SIG_B}  `)?.signature, SIG_B);
  const unscoped = parseAuthorization(HEAD.replace("/us-east-1/bedrock/aws4_request", "/bedrock") + SIG_A);
  assert.ok(unscoped);
  assert.equal(unscoped.head.scope, undefined);
});

it("a hex SHA-256 is exactly 64 lower-case hex digits (payload hashes and signatures)", () => {
  const valid = "0123456789abcdef".repeat(4);
  assert.equal(isHexSha256(valid), true);
  assert.equal(isHexSha256(EMPTY_SHA256), true);
  for (const bad of [valid.slice(1), `${valid}0`, valid.toUpperCase(), `${valid.slice(0, 63)}g`, `${valid.slice(0, 63)}/`,
    `${valid.slice(0, 63)}:`, `${valid.slice(0, 63)}\``, `${valid.slice(0, 63)}é`, ` ${valid.slice(1)}`, "", "UNSIGNED-PAYLOAD"]) {
    assert.equal(isHexSha256(bad), /^[0-9a-f]{64}$/.test(bad), JSON.stringify(bad));
    assert.equal(isHexSha256(bad), false, JSON.stringify(bad));
    // In place: the text's characters from `at` on, which must be exactly 64.
    assert.equal(isHexSha256(`Signature=${bad}`, 10), false, JSON.stringify(bad));
  }
  assert.equal(isHexSha256(`Signature=${valid}`, 10), true);
  assert.equal(isHexSha256(`Signature=${valid}`, 9), false);
  assert.equal(isHexSha256(`Signature=${valid} `, 10), false);
});
