// Guardrail ids and ARNs as Bedrock writes them: a 12-character lower-case alphanumeric id, and
// arn:aws:bedrock:<region>:<account>:guardrail/<id>. Clients may name a guardrail by either.
import { randomBytes } from "node:crypto";

const ARN = /^arn:aws(?:-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/([a-z0-9]+)$/;
const ID = /^[a-z0-9]+$/;

/** The id inside a guardrail identifier (an id or an ARN), or undefined when it is neither. */
export function guardrailIdOf(identifier: string): string | undefined {
  if (ID.test(identifier)) return identifier;
  return ARN.exec(identifier)?.[1];
}

export const guardrailArn = (region: string, accountId: string, id: string): string =>
  `arn:aws:bedrock:${region}:${accountId}:guardrail/${id}`;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A new random id in Bedrock's form (12 lower-case letters and digits). */
export function newGuardrailId(): string {
  const bytes = randomBytes(12);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}
