type NumberArray = Int32Array | Uint16Array | Float32Array;

/** Counts as they are kept: one byte each when none is above 255 (nearly always), else two. */
export type Counts = Uint8Array | Uint16Array;

/** The same counts in one byte each when they all fit, which halves what the index keeps of them. */
export function narrowed(counts: Uint16Array): Counts {
  for (let index = 0; index < counts.length; index++) if (counts[index]! > 255) return counts;
  return Uint8Array.from(counts);
}

/** Ids as they are kept: two bytes each when the vocabulary has at most 65,536 words, else four. */
export type Ids = Int32Array | Uint16Array;

/** The same ids in two bytes each when every id of a vocabulary of `size` fits. */
export function narrowedIds(ids: Int32Array, size: number): Ids {
  return size <= 65_536 ? Uint16Array.from(ids) : ids;
}

/** A growable list of numbers in a typed array. */
export class NumberList<T extends NumberArray> {
  length = 0;
  values: T;
  constructor(values: T) {
    this.values = values;
  }
  push(value: number) {
    if (this.length === this.values.length) {
      const next = new (this.values.constructor as new (length: number) => T)(
        Math.max(1024, this.values.length * 2),
      );
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = value;
  }
  /** The numbers in an array of their own size; the list lets go of its larger buffer. */
  take(): T {
    // Sized right already (an index built again with its predecessor's sizes): no copy.
    const taken = this.length === this.values.length ? this.values : (this.values.slice(0, this.length) as T);
    this.values = new (this.values.constructor as new (length: number) => T)(0);
    this.length = 0;
    return taken;
  }
}

/** A growable array of positions by id; ids never seen read as -1. */
export class Slots {
  private values = new Int32Array(1024).fill(-1);
  at(id: number): number {
    return id < this.values.length ? this.values[id]! : -1;
  }
  set(id: number, slot: number) {
    if (id >= this.values.length) {
      const next = new Int32Array(Math.max(id + 1, this.values.length * 2)).fill(-1);
      next.set(this.values);
      this.values = next;
    }
    this.values[id] = slot;
  }
  release() {
    this.values = new Int32Array(0);
  }
}

/** Strings numbered in the order first met, each with a count (of the rows that hold it). */
export class Vocabulary {
  readonly ids = new Map<string, number>();
  readonly byId: string[] = [];
  readonly frequencies: NumberList<Int32Array>;
  constructor(capacity = 1024) {
    this.frequencies = new NumberList(new Int32Array(capacity));
  }
  idOf(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(word, id);
      this.byId.push(word);
      this.frequencies.push(0);
    }
    return id;
  }
}
