/** A small seeded PRNG (mulberry32), so that a failing drop plan can be replayed with LOAD_SEED. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Which clients (by index) lose their connection before which round (rounds 2..rounds-1), a `fraction` of them once each. */
export function dropPlan(init: { readonly count: number; readonly rounds: number; readonly fraction: number; readonly seed: number }): Map<number, number[]> {
  const next = random(init.seed);
  const indices = Array.from({ length: init.count }, (_, index) => index).sort(() => next() - 0.5).slice(0, Math.round(init.count * init.fraction));
  const plan = new Map<number, number[]>();
  for (const index of indices) {
    const round = 2 + Math.floor(next() * Math.max(1, init.rounds - 2));
    plan.set(round, [...(plan.get(round) ?? []), index]);
  }
  return plan;
}
