// Every PII entity type of the service model is detected: one real-looking example each (what is found,
// exactly), and a look-alike each that validation rejects (bad check digit, missing context, wrong range).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GuardrailPiiEntityType } from "../../src/core/control-plane-shapes.generated.js";
import { DETECTABLE_TYPES, findPii } from "../../src/guardrails/pii/find-pii.js";
import { shape } from "../../src/service-model/service-model.js";

const found = (type: GuardrailPiiEntityType, text: string) => findPii(text, new Set([type])).map((f) => f.match);

// [type, text, what is found, a look-alike that is not]
const EXAMPLES: [GuardrailPiiEntityType, string, string[], string][] = [
  ["ADDRESS", "Ship it to 100 Main Street, Anytown, USA please", ["100 Main Street, Anytown, USA"], "I walked 100 steps down the street"],
  ["AGE", "I am 40 years old", ["40 years"], "I waited 40 years for this"],
  ["AWS_ACCESS_KEY", "key AKIAIOSFODNN7EXAMPLE here", ["AKIAIOSFODNN7EXAMPLE"], "key AKIAIOSFODNN7EXAMPLEXX here"],
  ["AWS_SECRET_KEY", "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"], "sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"],
  ["CA_HEALTH_NUMBER", "OHIP 1234-567-897 AB", ["1234-567-897 AB"], "OHIP 1234-567-890 AB"],
  ["CA_SOCIAL_INSURANCE_NUMBER", "SIN 046 454 286", ["046 454 286"], "SIN 046 454 287"],
  ["CREDIT_DEBIT_CARD_CVV", "CVV: 123", ["123"], "I have 123 apples"],
  ["CREDIT_DEBIT_CARD_EXPIRY", "expires 12/27", ["12/27"], "the ratio is 12/27"],
  ["CREDIT_DEBIT_CARD_NUMBER", "card 4111 1111 1111 1111 ok", ["4111 1111 1111 1111"], "card 4111 1111 1111 1112 ok"],
  ["DRIVER_ID", "driver's license D1234567", ["D1234567"], "driver's license expired"],
  ["EMAIL", "write to jane.doe@example.com.", ["jane.doe@example.com"], "write to jane.doe@example"],
  ["INTERNATIONAL_BANK_ACCOUNT_NUMBER", "IBAN GB82 WEST 1234 5698 7654 32", ["GB82 WEST 1234 5698 7654 32"], "IBAN GB82 WEST 1234 5698 7654 33"],
  ["IP_ADDRESS", "hosts 192.168.1.20 and 2001:db8::8a2e:370:7334", ["192.168.1.20", "2001:db8::8a2e:370:7334"], "version 1.2.3.4.5 or 999.1.1.1"],
  ["LICENSE_PLATE", "license plate ABC 1234", ["ABC 1234"], "license plate unknown"],
  ["MAC_ADDRESS", "mac 00:1A:2B:3C:4D:5E", ["00:1A:2B:3C:4D:5E"], "time 10:30:00"],
  ["NAME", "Hi, I am Priya, and my manager is John Smith", ["Priya", "John Smith"], "mark the date and be frank"],
  ["PASSWORD", "my password is hunter2.", ["hunter2"], "I forgot my password again"],
  ["PHONE", "call 607-456-7890 or +44 20 7946 0958", ["607-456-7890", "+44 20 7946 0958"], "call 123-45"],
  ["PIN", "my PIN is 4821", ["4821"], "a pin in the map 4821"],
  ["SWIFT_CODE", "SWIFT code DEUTDEFF", ["DEUTDEFF"], "SWIFT code DEUTQQFF"],
  ["UK_NATIONAL_HEALTH_SERVICE_NUMBER", "NHS 943 476 5919", ["943 476 5919"], "NHS 943 476 5918"],
  ["UK_NATIONAL_INSURANCE_NUMBER", "NI AB 12 34 56 C", ["AB 12 34 56 C"], "NI GB 12 34 56 C"],
  ["UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER", "UTR 1123456789", ["1123456789"], "UTR 1234567890"],
  ["URL", "see https://example.com/a?b=1, or www.example.org.", ["https://example.com/a?b=1", "www.example.org"], "see example dot com"],
  ["USERNAME", "username: jdoe_99", ["jdoe_99"], "the username field"],
  ["US_BANK_ACCOUNT_NUMBER", "account number 12345678901", ["12345678901"], "12345678901 was the count"],
  ["US_BANK_ROUTING_NUMBER", "routing number 021000021", ["021000021"], "routing number 021000022"],
  ["US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", "ITIN 912-70-1234", ["912-70-1234"], "ITIN 912-40-1234"],
  ["US_PASSPORT_NUMBER", "passport number C03005988", ["C03005988"], "passport photo 2024"],
  ["US_SOCIAL_SECURITY_NUMBER", "SSN 324-12-3212", ["324-12-3212"], "SSN 000-12-3212 or 666-12-3212"],
  ["VEHICLE_IDENTIFICATION_NUMBER", "VIN 1HGCM82633A004352", ["1HGCM82633A004352"], "code 1HGCM82633A004353"],
];

describe("PII detection", () => {
  it("covers every entity type of the service model", () => {
    const enumTypes = shape("GuardrailPiiEntityType").enum!;
    assert.deepEqual([...DETECTABLE_TYPES].sort(), [...enumTypes].sort());
    assert.deepEqual(EXAMPLES.map(([t]) => t).sort(), [...enumTypes].sort());
  });

  for (const [type, text, expected, lookAlike] of EXAMPLES) {
    it(`${type}: finds ${JSON.stringify(expected)}, not the look-alike`, () => {
      assert.deepEqual(found(type, text), expected);
      assert.deepEqual(found(type, lookAlike), [], `look-alike ${JSON.stringify(lookAlike)}`);
    });
  }

  it("reports offsets, and gives overlapping text to the higher-priority type", () => {
    const text = "SSN 324-12-3212";
    const [f] = findPii(text, new Set(["US_SOCIAL_SECURITY_NUMBER", "PHONE"]));
    assert.deepEqual({ type: f.type, start: f.start, end: f.end }, { type: "US_SOCIAL_SECURITY_NUMBER", start: 4, end: 15 });
    const card = findPii("4111111111111111", new Set(["CREDIT_DEBIT_CARD_NUMBER", "PHONE", "UK_NATIONAL_HEALTH_SERVICE_NUMBER"]));
    assert.deepEqual(card.map((x) => x.type), ["CREDIT_DEBIT_CARD_NUMBER"]);
  });

  it("does not take part of a longer token", () => {
    assert.deepEqual(found("CREDIT_DEBIT_CARD_NUMBER", "id 41111111111111119"), []);
    assert.deepEqual(found("EMAIL", "a@b.co"), ["a@b.co"]);
  });
});
