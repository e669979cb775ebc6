/**
 * Which upsert keys (institution/barcode) were seen, in 8 bytes a key instead
 * of a string each: a million items' duplicate check costs ~16 MB, not ~80.
 * Keys are kept as two independent 32-bit hashes. Two different keys collide
 * with odds of about n²/2⁶⁵ (3 in 100 million for a million keys), and a
 * collision can only refuse an import as "appears twice", never load a wrong
 * record.
 */
export class KeySet {
  #slots = new Uint32Array(2 * 1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `key`; false when it was there already. */
  add(key: string): boolean {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a >>>= 0;
    // 0/0 marks an empty slot.
    b = (b | 1) >>> 0;
    if (this.#added(a, b)) {
      if (++this.#size * 2 > this.#slots.length / 2) this.#grow();
      return true;
    }
    return false;
  }

  #added(a: number, b: number): boolean {
    const slots = this.#slots;
    const mask = slots.length / 2 - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      if (slots[2 * i + 1] === 0) {
        slots[2 * i] = a;
        slots[2 * i + 1] = b;
        return true;
      }
      if (slots[2 * i] === a && slots[2 * i + 1] === b) return false;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.#added(old[i]!, old[i + 1]!);
  }
}
