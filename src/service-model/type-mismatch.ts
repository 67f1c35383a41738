// A member of the wrong JSON type never reaches constraint validation: the AWS front end's JSON reader
// (Coral) fails while binding the body and answers SerializationException, naming the JSON token it met
// and the Java type it wanted — "STRING_VALUE can not be converted to an Integer" for `"maxTokens":"5"`
// (the reader's wording as quoted from an AWS service's answer in public code; no Bedrock capture of this
// case is public). An object or array where a scalar belongs fails on its first token.

const TARGET: Readonly<Record<string, string>> = {
  integer: "an Integer",
  long: "a Long",
  float: "a Float",
  double: "a Double",
  string: "a String",
  boolean: "a Boolean",
  blob: "a ByteBuffer",
  timestamp: "a Date",
  list: "a List",
  map: "a Map",
  structure: "a Structure",
};

function token(v: unknown): string {
  if (typeof v === "string") return "STRING_VALUE";
  if (typeof v === "number") return "NUMBER_VALUE";
  if (typeof v === "boolean") return "BOOLEAN_VALUE";
  return "NULL_VALUE";
}

/** The SerializationException message for value `v` where the model wants `expected` (a shape type). */
export function mismatchMessage(expected: string, v: unknown): string {
  if (Array.isArray(v)) return "Start of list found where not expected";
  if (typeof v === "object" && v !== null) return "Start of structure or map found where not expected.";
  return `${token(v)} can not be converted to ${TARGET[expected] ?? "a String"}`;
}
