// fast-check arbitraries for request bodies, generated from the Bedrock Runtime service model: values of
// each shape that are mostly well-formed (so many requests get past validation and reach a model), with a
// small chance at every node of a mutation a hostile or buggy client would send — null, a value of the wrong
// type, an unknown key, a union with no member or two, an out-of-range number, a deeply nested document.
import fc from "fast-check";
import { exceedsDepth } from "../../src/core/json-depth.js";
import { shape } from "../../src/service-model/service-model.js";

const MAX_DEPTH = 7;

/**
 * How often a node is mutated: "gentle" bodies are mostly valid and reach the models, "hostile" ones break
 * somewhere in most requests. Each is the weight of the well-formed value against each kind of mutation.
 */
export type Temper = "gentle" | "hostile";
const WELL_FORMED: Record<Temper, number> = { gentle: 400, hostile: 25 };
/** Chance in 100 that an optional member is present. */
const OPTIONAL_PRESENT: Record<Temper, number> = { gentle: 15, hostile: 50 };

const wrongType = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.string({ maxLength: 8 }), fc.constant([]), fc.constant({}),
  fc.constant({ x: 1 }), fc.constant([null]), fc.constant(""),
);

/** A document nested `depth` levels (a few hostile ones go far past any limit). */
const deepDocument = fc.integer({ min: 50, max: 3_000 }).map((depth) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

function mutated(arb: fc.Arbitrary<unknown>, temper: Temper): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: WELL_FORMED[temper], arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: wrongType },
  );
}

/** Adds an unknown key now and then (beside the members, or beside a null member). */
function withStrayKeys(arb: fc.Arbitrary<Record<string, unknown>>, temper: Temper): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(arb, fc.integer({ min: 0, max: WELL_FORMED[temper] }), fc.string({ maxLength: 6 })).map(([v, roll, key]) => {
    if (roll === 0) return { ...v, [key || "x"]: 1 };
    if (roll === 1) return { ...v, __proto__x: null, constructor: "c" };
    return v;
  });
}

// Names as the service model writes them: alphanumerics mostly, so tool names and ids often pass patterns.
const name = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,11}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const prose = fc.oneof(
  { weight: 6, arbitrary: fc.lorem({ maxCount: 6 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constant("   ") },
);

const cache = new Map<string, fc.Arbitrary<unknown>>();

/** Values of one named shape of the runtime service model. */
export function shapeArbitrary(shapeName: string, temper: Temper, depth = 0): fc.Arbitrary<unknown> {
  const key = `${shapeName}@${Math.min(depth, MAX_DEPTH)}/${temper}`;
  let arb = cache.get(key);
  if (!arb) {
    arb = mutated(build(shapeName, temper, depth), temper);
    cache.set(key, arb);
  }
  return arb;
}

/** A record whose optional members are present now and then. */
function someOf(model: Record<string, fc.Arbitrary<unknown>>, required: string[], temper: Temper): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(model).map(([k, arb]) => {
    const present = required.includes(k) ? fc.constant(true) : fc.integer({ min: 1, max: 100 }).map((n) => n <= OPTIONAL_PRESENT[temper]);
    return fc.tuple(fc.constant(k), present, arb);
  });
  return fc.tuple(...entries).map((kvs) => {
    const out: Record<string, unknown> = {};
    for (const [k, present, v] of kvs) if (present) out[k] = v;
    return out;
  });
}

function build(shapeName: string, temper: Temper, depth: number): fc.Arbitrary<unknown> {
  const s = shape(shapeName);
  const deeper = depth + 1;
  const sub = (name: string) => shapeArbitrary(name, temper, deeper);
  if (s.document) {
    return fc.oneof({ weight: 20, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: deepDocument });
  }
  switch (s.type) {
    case "structure": {
      const members = Object.entries(s.members ?? {}).filter(([, ref]) => !ref.location);
      if (depth >= MAX_DEPTH) return fc.constant({});
      if (s.union) {
        const one = members.map(([m, ref]) => fc.record({ [m]: sub(ref.shape) }));
        // Text dominates content blocks, as in real conversations.
        const weighted = members.map(([m], i) => ({ weight: m === "text" ? members.length : 1, arbitrary: one[i] }));
        return fc.oneof(
          { weight: WELL_FORMED[temper], arbitrary: fc.oneof(...weighted) },
          { weight: 1, arbitrary: fc.constant({}) },
          { weight: 1, arbitrary: fc.tuple(fc.oneof(...one), fc.oneof(...one)).map(([a, b]) => ({ ...a, ...b })) },
        );
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [m, ref] of members) model[m] = sub(ref.shape);
      const required = (s.required ?? []).filter((m) => model[m] !== undefined);
      return withStrayKeys(someOf(model, required, temper), temper);
    }
    case "list":
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(sub(s.member!.shape), { maxLength: 3 });
    case "map":
      if (depth >= MAX_DEPTH) return fc.constant({});
      return fc.dictionary(name, sub(s.value!.shape), { maxKeys: 2 });
    case "string":
      if (s.enum) return fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
      return s.pattern ? name : prose;
    case "blob":
      return fc.oneof(
        { weight: 10, arbitrary: fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString("base64")) },
        { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      );
    case "integer": case "long":
      return fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: s.min ?? 0, max: Math.min(s.max ?? 4_096, 4_096) }) },
        { weight: 1, arbitrary: fc.integer() },
        { weight: 1, arbitrary: fc.double() },
      );
    case "float": case "double":
      return fc.oneof(
        { weight: 10, arbitrary: fc.double({ min: s.min ?? 0, max: s.max ?? 1, noNaN: true }) },
        { weight: 1, arbitrary: fc.double() },
      );
    case "boolean":
      return fc.boolean();
    case "timestamp":
      return fc.integer({ min: 0, max: 2_000_000_000 });
    default:
      return fc.constant(null);
  }
}

/** A conversation whose roles alternate (so some requests pass the conversation rules), its blocks from the model. */
export function messagesArbitrary(temper: Temper): fc.Arbitrary<unknown> {
  return mutated(
    fc.array(fc.array(shapeArbitrary("ContentBlock", temper, 2), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 })
      .map((contents) => contents.map((content, i) => ({ role: i % 2 ? "assistant" : "user", content }))),
    temper,
  );
}

/** A Converse request body: the model's ConverseRequest with alternating messages. */
export function converseBodyArbitrary(temper: Temper): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(shapeArbitrary("ConverseRequest", temper), messagesArbitrary(temper)).map(([request, messages]) => {
    const base = typeof request === "object" && request !== null && !Array.isArray(request) ? (request as Record<string, unknown>) : {};
    return { ...base, messages };
  });
}

/** One mutation of a hostile client, applied at one node of an otherwise (mostly) valid body. */
const MUTATIONS: readonly ((node: Record<string, unknown> | unknown[], key: string | number) => void)[] = [
  (node, key) => void ((node as Record<string, unknown>)[key] = null),
  (node, key) => void ((node as Record<string, unknown>)[key] = 7),
  (node, key) => void ((node as Record<string, unknown>)[key] = "seven"),
  (node, key) => void ((node as Record<string, unknown>)[key] = { x: 1 }),
  (node, key) => void ((node as Record<string, unknown>)[key] = []),
  (node, key) => void ((node as Record<string, unknown>)[key] = [null]),
  // The union case of issue 21: the member set to null, an unknown key beside it.
  (node, key) => {
    const v = (node as Record<string, unknown>)[key];
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const first = Object.keys(v)[0];
      if (first !== undefined) (v as Record<string, unknown>)[first] = null;
      (v as Record<string, unknown>).x = 1;
    }
  },
  (node, key) => {
    const v = (node as Record<string, unknown>)[key];
    if (typeof v === "object" && v !== null && !Array.isArray(v)) (v as Record<string, unknown>).unknownMember = { y: 2 };
  },
  (node, key) => {
    const v = (node as Record<string, unknown>)[key];
    if (typeof v === "object" && v !== null && !Array.isArray(v)) for (const k of Object.keys(v)) delete (v as Record<string, unknown>)[k];
  },
  (node, key) => {
    let deep: unknown = 1;
    for (let i = 0; i < 2_000; i++) deep = { a: deep };
    (node as Record<string, unknown>)[key] = deep;
  },
  (node, key) => {
    if (Array.isArray(node)) node.splice(Number(key), 1);
    else delete node[key as string];
  },
];

/** Every (container, key) pair of a JSON value, parents before children. */
function slots(value: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((child, i) => (out.push([v, i]), walk(child)));
    else if (typeof v === "object" && v !== null) for (const [k, child] of Object.entries(v)) (out.push([v as Record<string, unknown>, k]), walk(child));
  };
  walk(value);
  return out;
}

/** A body with exactly one mutation at one node: the anomaly a validator must catch on its own. */
export function mutatedOnce<T>(base: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(base, fc.nat(), fc.nat(MUTATIONS.length - 1)).map(([value, where, how]) => {
    // A body already nested past any limit is hostile enough (and copying it would recurse as deep).
    if (exceedsDepth(value, 200)) return value;
    const copy = structuredClone(value);
    const all = slots(copy);
    if (all.length > 0) {
      const [node, key] = all[where % all.length];
      MUTATIONS[how](node, key);
    }
    return copy;
  });
}
