// A Map bounded to `maxEntries`, evicting the least recently used entry. Recency is a doubly linked list
// through the entries (coldest at the head): a touch moves one node with four pointer writes. Re-inserting
// into the Map on every touch (the simpler way to keep recency in a Map's insertion order) left a deleted
// slot per touch and rehashed the table every few reads; these maps sit under every call (the embedded
// store's quota windows and cache values, SQLite's prepared statements).

interface Node<K, V> {
  readonly key: K;
  value: V;
  prev: Node<K, V> | undefined;
  next: Node<K, V> | undefined;
}

export class LruMap<K, V> {
  readonly #entries = new Map<K, Node<K, V>>();
  /** Least recently used. */
  #head: Node<K, V> | undefined;
  /** Most recently used. */
  #tail: Node<K, V> | undefined;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, marked as most recently used. */
  get(key: K): V | undefined {
    const node = this.#entries.get(key);
    if (node === undefined) return undefined;
    this.#touch(node);
    return node.value;
  }

  set(key: K, value: V): void {
    const node = this.#entries.get(key);
    if (node !== undefined) {
      node.value = value;
      this.#touch(node);
      return;
    }
    const added: Node<K, V> = { key, value, prev: this.#tail, next: undefined };
    if (this.#tail) this.#tail.next = added;
    else this.#head = added;
    this.#tail = added;
    this.#entries.set(key, added);
    if (this.#entries.size > this.maxEntries && this.#head) this.delete(this.#head.key);
  }

  delete(key: K): void {
    const node = this.#entries.get(key);
    if (node === undefined) return;
    this.#entries.delete(key);
    this.#unlink(node);
  }

  clear(): void {
    this.#entries.clear();
    this.#head = this.#tail = undefined;
  }

  #touch(node: Node<K, V>): void {
    if (node === this.#tail) return;
    this.#unlink(node);
    node.prev = this.#tail;
    node.next = undefined;
    this.#tail!.next = node;
    this.#tail = node;
  }

  #unlink(node: Node<K, V>): void {
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = node.next = undefined;
  }
}
