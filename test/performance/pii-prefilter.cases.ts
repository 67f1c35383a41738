// The PII detectors' `needs` pre-check (a native scan for something every match contains, run before the
// linear-time but JS-stepped SafeRegex) must never hide a finding: for random texts over an alphabet that
// makes every pattern's pieces likely, wherever a detector finds an entity, its `needs` holds too.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PII_DETECTORS } from "../../src/guardrails/pii/pii-detectors.js";
import { findPii } from "../../src/guardrails/pii/find-pii.js";
import type { GuardrailPiiEntityType } from "../../src/core/control-plane-shapes.generated.js";

const pieces = [
  "a", "Z", "w", "W", "www.", "http", "://", "@", ".", ":", "-", " ", "(", ")", "+", "1", "2", "5", "9", "0", "com", "ab", "ff", "\n",
  "415", "555", "0132", "(212)", "+44", "20", "7946", "123-45-", "4111", "10.0.",
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((xs) => xs.join(""));

test("a PII detector's `needs` never changes what it finds", () => {
  const guarded = PII_DETECTORS.filter((d) => d.needs);
  assert.ok(guarded.length >= 5);
  // Each detector with and without its pre-check (the detectors are plain objects; restored after each run).
  const withoutNeeds = <T>(d: (typeof guarded)[number], run: () => T): T => {
    const mutable = d as { needs?: RegExp };
    const needs = mutable.needs;
    mutable.needs = undefined;
    try {
      return run();
    } finally {
      mutable.needs = needs;
    }
  };
  fc.assert(
    fc.property(text, (t) => {
      for (const d of guarded) {
        const types = new Set<GuardrailPiiEntityType>([d.type]);
        assert.deepEqual(findPii(t, types), withoutNeeds(d, () => findPii(t, types)), `${d.type} on ${JSON.stringify(t)}`);
      }
    }),
    { numRuns: 3000 },
  );
});

test("the pre-check leaves findings as they were on texts that carry PII", () => {
  const types = new Set<GuardrailPiiEntityType>(["EMAIL", "PHONE", "URL", "IP_ADDRESS", "US_SOCIAL_SECURITY_NUMBER", "CREDIT_DEBIT_CARD_NUMBER"]);
  const found = findPii("Mail jane.doe@example.com or call +1 415-555-0132; see https://example.com/x from 10.0.0.12, SSN 123-45-6789, card 4111 1111 1111 1111.", types);
  assert.deepEqual(found.map((f) => `${f.type}=${f.match}`), [
    "EMAIL=jane.doe@example.com", "PHONE=+1 415-555-0132", "URL=https://example.com/x", "IP_ADDRESS=10.0.0.12",
    "US_SOCIAL_SECURITY_NUMBER=123-45-6789", "CREDIT_DEBIT_CARD_NUMBER=4111 1111 1111 1111",
  ]);
  assert.deepEqual(findPii("Summarise the weather in Paris today in one line.", types), []);
});
