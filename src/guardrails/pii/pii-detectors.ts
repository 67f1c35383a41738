// How each PII entity type of the service model is found: a candidate pattern (the linear-time SafeRegex) plus the
// validation that separates a real identifier from look-alikes (check digits, issuer ranges, country codes),
// or a context keyword where a bare number is too ambiguous to call. Listed in priority order: when two
// configured types claim overlapping text, the earlier one wins. docs/guardrails.md has this table in prose.
import { isIPv4, isIPv6 } from "node:net";
import type { GuardrailPiiEntityType } from "../../core/control-plane-shapes.generated.js";
import { anyCase } from "../text/safe-regex/any-case.js";
import { SafeRegex } from "../text/safe-regex/safe-regex.js";
import {
  abaRoutingValid, cardIssuerKnown, digitsOf, ibanValid, itinValid, luhnValid, nhsValid, ninoPrefixValid, ssnValid,
  swiftValid, utrValid, vinCheckDigitValid,
} from "./checksums.js";

const safe = (pattern: string) => new SafeRegex(pattern);

export interface PiiDetector {
  readonly type: GuardrailPiiEntityType;
  /** Linear-time. With a capture group, the entity is group 1, which sits at the match's `groupAt` end. */
  readonly pattern: SafeRegex;
  readonly groupAt?: "start" | "end";
  /** Extra checks on the entity; `text`/`start`/`end` give its surroundings. */
  readonly valid?: (entity: string, text: string, start: number, end: number) => boolean;
  /** Trims trailing characters that the pattern over-takes (URL punctuation, a password's full stop). */
  readonly trim?: RegExp;
  /** 0–1, reported by InvokeGuardrailChecks: checksum-validated 0.99, pattern 0.95, context keyword 0.9. */
  readonly confidence: number;
  /**
   * Something every finding contains, as a native RegExp that cannot backtrack: a text without it skips the
   * pattern. The SafeRegex is linear but steps every thread in JS; on a text with no `@`, say, this native
   * scan is ~100× cheaper (bench/: the PII policy was 13 % of a guarded call's CPU).
   */
  readonly needs?: RegExp;
}

const DIGIT = /[0-9]/;
/** Ten digits, at most two other characters between neighbours: what every valid PHONE match holds. */
const TEN_DIGITS = /[0-9](?:[^0-9]{0,2}[0-9]){9}/;

/** Separator between a context keyword and its value: "PIN 1234", "PIN: 1234", "PIN number is 1234", "PIN #1234". */
const SEP = "(?:[ \\t:#=\\-]|\\.[ \\t]|[Nn]umber[ \\t]|[Nn]o\\.|[Ii]s[ \\t]|[Ww]as[ \\t]|[Oo]f[ \\t]|[Cc]ode[ \\t]){1,12}";
/** Stricter separator for free-form values (passwords, user names): a colon, equals sign, "is" or "was". */
const ASSIGN = "[ \\t]*(?:[:=]|[ \\t][Ii]s[ \\t]|[ \\t][Ww]as[ \\t])[ \\t]*";
const NUMBER_WORDS = "(?:[ \\t](?:[Nn]umber|[Nn]o\\.?|#))?";
const keyword = (...words: string[]) => `\\b(?:${words.join("|")})${NUMBER_WORDS}`;

const hasDigit = (s: string) => /[0-9]/.test(s);
const precededBy = (text: string, start: number, word: RegExp) => word.test(text.slice(Math.max(0, start - 24), start));

export const PII_DETECTORS: readonly PiiDetector[] = [
  { type: "AWS_ACCESS_KEY", confidence: 0.99,
    pattern: safe("\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\\b") },
  { type: "AWS_SECRET_KEY", confidence: 0.9,
    pattern: safe("[A-Za-z0-9/+]{40}"),
    valid: (s, text, start, end) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) &&
      !/[A-Za-z0-9/+=]/.test(text[start - 1] ?? "") && !/[A-Za-z0-9/+]/.test(text[end] ?? "") },
  { type: "CREDIT_DEBIT_CARD_NUMBER", needs: DIGIT, confidence: 0.99,
    pattern: safe(
      "[0-9]{4}(?: [0-9]{4}){2,3}(?: [0-9]{1,3})?|[0-9]{4}(?:-[0-9]{4}){2,3}(?:-[0-9]{1,3})?|" +
      "[0-9]{4}[ \\-][0-9]{6}[ \\-][0-9]{4,5}|[0-9]{12,19}"),
    valid: (s) => { const d = digitsOf(s); return d.length >= 12 && d.length <= 19 && luhnValid(d) && cardIssuerKnown(d); } },
  { type: "CREDIT_DEBIT_CARD_CVV", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword("CVV2?", "CVC2?", "CID", anyCase("security code"), anyCase("cvv"))}${SEP}([0-9]{3,4})`) },
  { type: "CREDIT_DEBIT_CARD_EXPIRY", confidence: 0.9, groupAt: "end",
    pattern: safe(
      `\\b(?:${anyCase("exp")}(?:${anyCase("iry")}|${anyCase("iration")}|${anyCase("ires")}|\\.)?(?: ${anyCase("date")})?|` +
      `${anyCase("valid thru")}|${anyCase("valid through")}|${anyCase("valid until")})${SEP}((?:0[1-9]|1[0-2]) ?[/\\-] ?(?:20)?[0-9]{2})`) },
  { type: "US_SOCIAL_SECURITY_NUMBER", needs: DIGIT, confidence: 0.95,
    pattern: safe(`[0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{3} [0-9]{2} [0-9]{4}|${keyword("SSN", anyCase("social security"))}${SEP}([0-9]{9})`),
    groupAt: "end", valid: (s) => ssnValid(digitsOf(s)) },
  { type: "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", confidence: 0.95,
    pattern: safe(`9[0-9]{2}-[0-9]{2}-[0-9]{4}|9[0-9]{2} [0-9]{2} [0-9]{4}|${keyword("ITIN")}${SEP}(9[0-9]{8})`),
    groupAt: "end", valid: (s) => itinValid(digitsOf(s)) },
  { type: "INTERNATIONAL_BANK_ACCOUNT_NUMBER", confidence: 0.99,
    pattern: safe("[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?"), valid: ibanValid },
  { type: "SWIFT_CODE", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword("SWIFT", "BIC", anyCase("swift"))}(?: ${anyCase("code")})?${SEP}([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\\b`),
    valid: swiftValid },
  { type: "US_BANK_ROUTING_NUMBER", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword(anyCase("routing"), "ABA", "RTN")}${SEP}([0-9]{9})`), valid: abaRoutingValid },
  { type: "US_BANK_ACCOUNT_NUMBER", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword(anyCase("account"), anyCase("acct"), anyCase("checking"), anyCase("savings"))}${SEP}([0-9]{8,17})`) },
  { type: "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword("UTR", anyCase("unique taxpayer reference"))}${SEP}([0-9]{5} ?[0-9]{5})`),
    valid: (s) => utrValid(digitsOf(s)) },
  { type: "UK_NATIONAL_INSURANCE_NUMBER", confidence: 0.95,
    pattern: safe("\\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\\b"), valid: ninoPrefixValid },
  { type: "UK_NATIONAL_HEALTH_SERVICE_NUMBER", confidence: 0.99,
    pattern: safe("[0-9]{3} [0-9]{3} [0-9]{4}|[0-9]{10}"), valid: (s) => nhsValid(digitsOf(s)) },
  { type: "CA_SOCIAL_INSURANCE_NUMBER", confidence: 0.95,
    pattern: safe(`[0-9]{3}[ \\-][0-9]{3}[ \\-][0-9]{3}|${keyword("SIN", anyCase("social insurance"))}${SEP}([0-9]{9})`),
    groupAt: "end", valid: (s) => luhnValid(digitsOf(s)) },
  { type: "CA_HEALTH_NUMBER", confidence: 0.95,
    pattern: safe(`[0-9]{4}[ \\-][0-9]{3}[ \\-][0-9]{3}(?:[ \\-]?[A-Z]{2})?|` +
      `${keyword(anyCase("health card"), anyCase("health number"), "OHIP", "PHN")}${SEP}([0-9]{4}[ \\-]?[0-9]{3}[ \\-]?[0-9]{3}(?:[ \\-]?[A-Z]{2})?)`),
    groupAt: "end", valid: (s) => luhnValid(digitsOf(s).slice(0, 10)) },
  { type: "US_PASSPORT_NUMBER", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword(anyCase("passport"))}${SEP}([A-Z]?[0-9]{8,9})\\b`) },
  { type: "VEHICLE_IDENTIFICATION_NUMBER", confidence: 0.95,
    pattern: safe("\\b[A-HJ-NPR-Z0-9]{17}\\b"),
    valid: (s, text, start) => /[A-Z]/.test(s) && hasDigit(s) && (vinCheckDigitValid(s) || precededBy(text, start, /\bVIN\b/)) },
  { type: "DRIVER_ID", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword(`${anyCase("driver")}(?:'s|’s|s)? ${anyCase("licen")}[cs]e`, `${anyCase("driving licen")}[cs]e`, "DL")}${SEP}([A-Z0-9][A-Z0-9\\-]{4,19})\\b`),
    valid: hasDigit },
  { type: "LICENSE_PLATE", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword(`${anyCase("licen")}[cs]e ${anyCase("plate")}`, anyCase("number plate"), anyCase("registration plate"), anyCase("plate"))}${SEP}([A-Z0-9]{1,4}[ \\-]?[A-Z0-9]{1,4}(?:[ \\-]?[A-Z0-9]{1,3})?)\\b`),
    valid: hasDigit },
  { type: "PIN", confidence: 0.9, groupAt: "end",
    pattern: safe(`${keyword("PIN", `${anyCase("pin")} ${anyCase("code")}`, `${anyCase("pin")} ${anyCase("number")}`)}${SEP}([0-9]{4,8})\\b`) },
  { type: "PASSWORD", confidence: 0.9, groupAt: "end", trim: /[.,;:!?)"'\]]+$/,
    pattern: safe(`\\b(?:${anyCase("password")}|${anyCase("passcode")}|${anyCase("passphrase")}|${anyCase("passwd")}|${anyCase("pwd")})${ASSIGN}([^\\s]{4,128})`) },
  { type: "USERNAME", confidence: 0.9, groupAt: "end", trim: /[.,;:!?)"'\]]+$/,
    pattern: safe(`\\b(?:${anyCase("user")} ?${anyCase("name")}|${anyCase("user")} ?ID|${anyCase("login")}|${anyCase("handle")})${ASSIGN}([A-Za-z0-9._@\\-]{3,64})`) },
  { type: "EMAIL", needs: /@/, confidence: 0.99,
    pattern: safe("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}"),
    valid: (s) => { const local = s.slice(0, s.indexOf("@")); return !local.startsWith(".") && !local.endsWith(".") && !local.includes(".."); } },
  { type: "URL", needs: /:\/\/|[Ww]{3}\./, confidence: 0.99, trim: /[.,;:!?)\]}'"]+$/,
    pattern: safe("(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^\\s<>\"'`]+|\\b[Ww][Ww][Ww]\\.[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)+[^\\s<>\"'`]*") },
  { type: "MAC_ADDRESS", confidence: 0.95,
    pattern: safe("[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}") },
  { type: "IP_ADDRESS", needs: DIGIT, confidence: 0.99,
    pattern: safe("(?:[0-9]{1,3}\\.){3}[0-9]{1,3}"),
    valid: (s, text, start, end) => isIPv4(s) && !(text[end] === "." && /[0-9]/.test(text[end + 1] ?? "")) &&
      !(text[start - 1] === "." && /[0-9]/.test(text[start - 2] ?? "")) },
  { type: "IP_ADDRESS", needs: /:/, confidence: 0.99,
    pattern: safe("[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"),
    valid: (s) => isIPv6(s) && (s.match(/[0-9A-Fa-f]/g)?.length ?? 0) >= 2 },
  { type: "PHONE", needs: TEN_DIGITS, confidence: 0.95,
    pattern: safe(
      "(?:\\+?1[ .\\-]?)?(?:\\([2-9][0-9]{2}\\)|[2-9][0-9]{2})[ .\\-]?[2-9][0-9]{2}[ .\\-]?[0-9]{4}|" +
      "\\+[1-9][0-9]{0,2}[ .\\-]?(?:\\(?[0-9]{1,4}\\)?[ .\\-]?)?[0-9]{2,4}(?:[ .\\-]?[0-9]{2,4}){1,3}"),
    valid: (s) => { const n = digitsOf(s).length; return n >= 10 && n <= 15; } },
  { type: "AGE", confidence: 0.9, groupAt: "start",
    pattern: safe(`([0-9]{1,3}[ \\-]?(?:${anyCase("years")}|${anyCase("year")}|${anyCase("yrs")}|${anyCase("yr")}|${anyCase("months")}|${anyCase("month")}))[ \\-](?:${anyCase("old")}|${anyCase("of age")})`) },
  { type: "AGE", confidence: 0.9, groupAt: "end",
    pattern: safe(`\\b(?:${anyCase("aged")}|${anyCase("age")})[ \\t:]{1,3}([0-9]{1,3})\\b`) },
  { type: "ADDRESS", confidence: 0.9,
    pattern: safe(
      "\\b[0-9]{1,6} (?:[A-Z][A-Za-z]+ ){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|" +
      "Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq)\\b\\.?" +
      "(?:,? (?:Apt|Apartment|Suite|Ste|Unit)\\.? ?#?[A-Za-z0-9\\-]+)?(?:, [A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,2})?" +
      "(?:,? [A-Z]{2}\\b)?(?: [0-9]{5}(?:-[0-9]{4})?)?(?:, (?:USA|United States|US|UK|Canada))?|" +
      "\\b(?:Suite|Apt|Apartment|Unit) #?[0-9][A-Za-z0-9\\-]*(?:, (?:Building|Bldg\\.?|Floor) [0-9A-Za-z]+)?") },
];
