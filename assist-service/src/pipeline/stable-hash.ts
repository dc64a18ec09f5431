/**
 * The same number for the same text on every machine and run: ingest's FNV-1a, under the name the
 * calibration folds and the evals' k-fold split use.
 */
export { fnv1a as stableHash } from '@naparnik/ingest';
