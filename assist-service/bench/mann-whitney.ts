/**
 * The Mann–Whitney U test (two-sided), normal approximation with the tie correction and a
 * continuity correction — what `scipy.stats.mannwhitneyu(method='asymptotic')` gives. For bench
 * output: whether two timing samples look drawn from one distribution, printed, never asserted.
 */
export function mannWhitneyU(
  left: readonly number[],
  right: readonly number[],
): { u: number; z: number; p: number } {
  const n1 = left.length;
  const n2 = right.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, z: Number.NaN, p: Number.NaN };
  const all = [
    ...left.map((value) => ({ value, first: true })),
    ...right.map((value) => ({ value, first: false })),
  ].sort((a, b) => a.value - b.value);
  const n = all.length;
  let rankSum = 0;
  let ties = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && all[end + 1]!.value === all[start]!.value) end += 1;
    const rank = (start + end) / 2 + 1;
    const count = end - start + 1;
    ties += count ** 3 - count;
    for (let index = start; index <= end; index++) if (all[index]!.first) rankSum += rank;
    start = end + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  if (sigma === 0) return { u, z: 0, p: 1 };
  const distance = Math.max(0, Math.abs(u - mean) - 0.5);
  const z = (Math.sign(u - mean) * distance) / sigma;
  return { u, z, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/** Φ(x) through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
