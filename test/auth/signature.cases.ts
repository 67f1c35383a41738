// The request signature's HMAC is computed as two one-shot hashes over buffers kept with the signing key, the
// date and the canonical request's hash written into them per verification; it must agree with node:crypto's
// Hmac for every canonical request (short, long, multi-byte), every date and every scope length.
import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { it } from "node:test";
import { parseCredential, signatureMatches, signingKey } from "../../src/auth/signature.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

for (const region of ["us-east-1", "r".repeat(700), "région-ü"]) {
  it(`signatureMatches agrees with node:crypto's HMAC-SHA256 for canonical requests of every length (region of ${region.length} chars)`, () => {
    const scope = parseCredential(`AKIDEXAMPLE/20261201/${region}/bedrock/aws4_request`)!;
    const key = signingKey(SECRET, scope.date, scope.region, scope.service);
    const requests = [
      "",
      "POST\n/model/basalt.echo/converse\n\nhost:localhost\n\nhost\ne3b0c442",
      "x".repeat(1_000),
      "é€😀 multi-byte ".repeat(80),
      randomBytes(3_000).toString("latin1"),
    ];
    // Several dates in a row on one scope: each verification overwrites the last one's date and hash.
    for (const amzDate of ["20261201T120000Z", "20261201T235959Z", "20261201T000001Z"]) for (const canonicalRequest of requests) {
      const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope.path}\n${createHash("sha256").update(canonicalRequest, "utf8").digest("hex")}`;
      const signatureHex = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex }), true);
      const flipped = (signatureHex[0] === "0" ? "1" : "0") + signatureHex.slice(1);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: flipped }), false);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: "another secret", signatureHex }), false);
      assert.equal(signatureMatches({ canonicalRequest, amzDate: "20261201T120000", scope, secret: SECRET, signatureHex }), false);
      // Read in place, in the header it came in: only the 64 characters from signatureAt count.
      const header = `Signature=${signatureHex}`;
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: header, signatureAt: 10 }), true);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: `${header}  `, signatureAt: 10 }), true);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: `Signature=${flipped}`, signatureAt: 10 }), false);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: header, signatureAt: 9 }), false);
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: header.slice(0, -1), signatureAt: 10 }), false);
      // Without signatureAt the whole text is the signature: a longer one with the right start is not it.
      assert.equal(signatureMatches({ canonicalRequest, amzDate, scope, secret: SECRET, signatureHex: `${signatureHex}0` }), false);
    }
  });
}
