import { mix, mulberry32, type Rng } from '../data/random.js';
import type { FaultKind } from '../options.js';

/** Draws at most one injected fault per API request, from a seeded stream (repeatable runs). */
export class FaultInjector<K = FaultKind> {
  private readonly rng: Rng;

  constructor(
    private readonly faults: readonly { kind: K; probability: number }[],
    seed: number,
  ) {
    this.rng = mulberry32(mix(seed, 0xfa017));
  }

  draw(): K | undefined {
    if (this.faults.length === 0) return undefined;
    let roll = this.rng();
    for (const fault of this.faults) {
      roll -= fault.probability;
      if (roll < 0) return fault.kind;
    }
    return undefined;
  }
}
