// Path templates (`/model/{modelId}/converse`, as the service models write them) matched segment by
// segment. Labels are percent-decoded only after the path is split, so an encoded '/' in an ARN stays inside
// its label (DIGEST §13.4). Lookups go through Maps, never plain objects, so `constructor`, `__proto__` or
// `toString` in a path match nothing.

export interface RouteSpec<T> {
  readonly method: string;
  /** A path template: literal segments and `{label}` segments. */
  readonly path: string;
  readonly value: T;
}

export interface RouteMatch<T> {
  readonly value: T;
  /** Decoded label values by label name (a prototype-free object). */
  readonly labels: Readonly<Record<string, string>>;
}

interface Leaf<T> { value: T; labelNames: string[] }

interface Node<T> {
  literal: Map<string, Node<T>>;
  label?: Node<T>;
  byMethod: Map<string, Leaf<T>>;
}

const newNode = <T>(): Node<T> => ({ literal: new Map(), byMethod: new Map() });
const LABEL = /^\{([A-Za-z0-9_]+)\}$/;

// A client calls the same few paths over and over (one per model and operation): their matches are kept,
// frozen, so a hit costs one Map lookup instead of a split, a walk and a decode. Bounded, as paths are the
// client's choice.
const MAX_REMEMBERED = 512;

export class RouteTable<T> {
  private readonly root = newNode<T>();
  // By method, then path: a lookup hashes the path the request already has, where one key joining the two
  // made (and flattened) a new string per request.
  private readonly remembered = new Map<string, Map<string, RouteMatch<T> | null>>();
  private rememberedCount = 0;

  constructor(routes: Iterable<RouteSpec<T>> = []) {
    for (const route of routes) this.add(route);
  }

  add({ method, path, value }: RouteSpec<T>): void {
    let node = this.root;
    const labelNames: string[] = [];
    for (const segment of path.split("/").slice(1)) {
      const label = LABEL.exec(segment);
      if (label) {
        labelNames.push(label[1]);
        node = node.label ??= newNode();
      } else {
        let next = node.literal.get(segment);
        if (!next) node.literal.set(segment, (next = newNode()));
        node = next;
      }
    }
    if (node.byMethod.has(method)) throw new Error(`two routes for ${method} ${path}`);
    node.byMethod.set(method, { value, labelNames });
    this.forgetMatches();
  }

  private forgetMatches(): void {
    this.remembered.clear();
    this.rememberedCount = 0;
  }

  /** The route for a method and a path (without query string); literal segments win over labels. */
  match(method: string, path: string): RouteMatch<T> | undefined {
    const known = this.remembered.get(method)?.get(path);
    if (known !== undefined) return known ?? undefined;
    const found = this.#match(method, path);
    const match = found && Object.freeze({ value: found.value, labels: Object.freeze(found.labels) });
    if (this.rememberedCount >= MAX_REMEMBERED) this.forgetMatches();
    let byPath = this.remembered.get(method);
    if (!byPath) this.remembered.set(method, (byPath = new Map()));
    byPath.set(path, match ?? null);
    this.rememberedCount++;
    return match;
  }

  #match(method: string, path: string): RouteMatch<T> | undefined {
    if (path.charCodeAt(0) !== 47 /* / */) return undefined;
    const segments = path.split("/");
    const raw: string[] = [];
    const leaf = find(this.root, segments, 1, method, raw);
    if (!leaf) return undefined;
    const labels: Record<string, string> = Object.create(null);
    for (let i = 0; i < raw.length; i++) {
      try {
        labels[leaf.labelNames[i]] = decodeURIComponent(raw[i]);
      } catch {
        return undefined;
      }
    }
    return { value: leaf.value, labels };
  }
}

function find<T>(node: Node<T>, segments: string[], i: number, method: string, raw: string[]): Leaf<T> | undefined {
  if (i === segments.length) return node.byMethod.get(method);
  const segment = segments[i];
  const literal = node.literal.get(segment);
  if (literal) {
    const hit = find(literal, segments, i + 1, method, raw);
    if (hit) return hit;
  }
  if (node.label && segment !== "") {
    raw.push(segment);
    const hit = find(node.label, segments, i + 1, method, raw);
    if (hit) return hit;
    raw.pop();
  }
  return undefined;
}
