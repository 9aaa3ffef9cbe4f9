/** A small seeded pseudo-random generator, so generated data is the same for the same seed. */

/** Random numbers from a 32-bit seed (the mulberry32 algorithm); not for security. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer from `min` to `max`, both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Returns true with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Cannot pick from an empty list.');
    return item;
  }
}

/**
 * Picks items with cumulative weights prepared once. `zipf` builds weights
 * 1/(rank+1)^exponent, so the first items of a list come up most often.
 */
export class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    for (const weight of weights) {
      this.total += weight;
      this.cumulative.push(this.total);
    }
  }

  static zipf<T>(items: readonly T[], exponent: number): WeightedPicker<T> {
    return new WeightedPicker(
      items,
      items.map((_, rank) => 1 / Math.pow(rank + 1, exponent)),
    );
  }

  pick(random: SeededRandom): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}
