// Check-digit and range validations that separate a real identifier from a number that merely looks like one.
// Each follows the identifier's published algorithm; all take the digits (or characters) only.

export const digitsOf = (s: string): string => s.replace(/\D/g, "");

/** Luhn (ISO/IEC 7812): payment cards, Canadian SINs, Ontario health numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer prefixes (IIN ranges) of the card networks: Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro. */
export function cardIssuerKnown(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits[0] === "4") return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38) return n >= 14 && n <= 19; // Diners Club
  if (p2 === 62) return n >= 16 && n <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12 && n <= 19; // Maestro
  return false;
}

/** US SSN: area not 000, 666 or 900–999; group not 00; serial not 0000 (SSA rules since 2011). */
export function ssnValid(digits: string): boolean {
  const area = Number(digits.slice(0, 3));
  return digits.length === 9 && area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== "00" && digits.slice(5) !== "0000";
}

/** US ITIN: 9XX-XX-XXXX with group 50–65, 70–88, 90–92 or 94–99 (IRS). */
export function itinValid(digits: string): boolean {
  const group = Number(digits.slice(3, 5));
  return digits.length === 9 && digits[0] === "9" &&
    ((group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) || (group >= 94 && group <= 99));
}

/** ABA routing number: weights 3-7-1 sum to a multiple of 10, and a Federal Reserve prefix (00–12, 21–32, 61–72, 80). */
export function abaRoutingValid(digits: string): boolean {
  if (digits.length !== 9) return false;
  const d = [...digits].map(Number);
  const sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
  const prefix = d[0] * 10 + d[1];
  return sum % 10 === 0 && (prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80);
}

/** IBAN (ISO 13616): 15–34 characters, country letters, two check digits, mod 97 = 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s/g, "").toUpperCase();
  if (iban.length < 15 || iban.length > 34 || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** UK NHS number: ten digits, modulus-11 check digit (weights 10…2). */
export function nhsValid(digits: string): boolean {
  if (digits.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits.charCodeAt(9) - 48;
}

/** UK Unique Taxpayer Reference: ten digits whose first is the HMRC check digit of the other nine. */
export function utrValid(digits: string): boolean {
  if (digits.length !== 10) return false;
  const weights = [6, 7, 8, 9, 10, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i + 1) - 48) * weights[i];
  const table = [2, 1, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  return table[sum % 11] === digits.charCodeAt(0) - 48;
}

const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** VIN (ISO 3779 / 49 CFR 565): 17 characters without I, O, Q; position 9 is the check digit (0–9 or X). */
export function vinCheckDigitValid(vin: string): boolean {
  if (vin.length !== 17) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin[i];
    const value = ch >= "0" && ch <= "9" ? Number(ch) : VIN_VALUES[ch];
    if (value === undefined) return false;
    sum += value * VIN_WEIGHTS[i];
  }
  const check = sum % 11;
  return vin[8] === (check === 10 ? "X" : String(check));
}

// ISO 3166-1 alpha-2 codes, for SWIFT/BIC location checks.
const COUNTRIES = new Set((
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO " +
  "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE " +
  "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO " +
  "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW " +
  "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM " +
  "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW").split(" "));

/** SWIFT/BIC (ISO 9362): 4-letter bank, a real country code, 2-character location, optional 3-character branch. */
export function swiftValid(code: string): boolean {
  return (code.length === 8 || code.length === 11) && COUNTRIES.has(code.slice(4, 6));
}

/** UK National Insurance number prefixes HMRC never issues. */
export function ninoPrefixValid(nino: string): boolean {
  return !["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].includes(nino.slice(0, 2).toUpperCase());
}
