/**
 * How far stated confidence is from how often the answer is right. A confidence of 0.8 should be
 * right 8 times in 10: the reliability diagram shows it per bin, the expected calibration error
 * (ECE) sums the gaps weighted by how many answers fall in each bin.
 */
export interface CalibrationPoint {
  /** The stated probability of being right, 0..1. */
  confidence: number;
  correct: boolean;
}

export interface ReliabilityBin {
  label: string;
  n: number;
  /** Mean stated confidence in the bin. */
  confidence: number;
  /** Share right in the bin. */
  accuracy: number;
}

export function reliabilityBins(points: readonly CalibrationPoint[], binCount = 10): ReliabilityBin[] {
  const sums = Array.from({ length: binCount }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const point of points) {
    const confidence = Math.min(1, Math.max(0, point.confidence));
    const bin = sums[Math.min(binCount - 1, Math.floor(confidence * binCount))]!;
    bin.n++;
    bin.confidence += confidence;
    if (point.correct) bin.correct++;
  }
  return sums.map((bin, index) => ({
    label: `${(index / binCount).toFixed(1)}–${((index + 1) / binCount).toFixed(1)}`,
    n: bin.n,
    confidence: bin.n > 0 ? bin.confidence / bin.n : 0,
    accuracy: bin.n > 0 ? bin.correct / bin.n : 0,
  }));
}

export function expectedCalibrationError(points: readonly CalibrationPoint[], binCount = 10): number {
  if (points.length === 0) return 0;
  return reliabilityBins(points, binCount).reduce(
    (sum, bin) => sum + (bin.n / points.length) * Math.abs(bin.accuracy - bin.confidence),
    0,
  );
}
