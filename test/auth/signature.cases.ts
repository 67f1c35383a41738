// The request signature's HMAC is computed from pads kept with the signing key (two one-shot hashes); it must
// agree with node:crypto's Hmac for every message: short, longer than the scratch space, multi-byte.
import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { it } from "node:test";
import { parseCredential, signatureMatches, signingKey } from "../../src/auth/signature.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

for (const region of ["us-east-1", "r".repeat(700), "région-ü"]) {
  it(`signatureMatches agrees with node:crypto's HMAC-SHA256 for canonical requests of every length (region of ${region.length} chars)`, () => {
    const scope = parseCredential(`AKIDEXAMPLE/20261201/${region}/bedrock/aws4_request`)!;
    const key = signingKey(SECRET, scope.date, scope.region, scope.service);
    const amzDate = "20261201T120000Z";
    const requests = [
      "",
      "POST\n/model/basalt.echo/converse\n\nhost:localhost\n\nhost\ne3b0c442",
      "x".repeat(1_000),
      "é€😀 multi-byte ".repeat(80),
      randomBytes(3_000).toString("latin1"),
    ];
    for (const canonicalRequest of requests) {
      const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope.path}\n${createHash("sha256").update(canonicalRequest, "utf8").digest("hex")}`;
      const signatureHex = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex }), true);
      const flipped = (signatureHex[0] === "0" ? "1" : "0") + signatureHex.slice(1);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: flipped }), false);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: "another secret", signatureHex }), false);
    }
  });
}
