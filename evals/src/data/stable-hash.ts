// The product's folds and samples (assist-service `fitCollectionCalibration`) and the evals' k-fold
// split by the same hash.
export { stableHash } from '@naparnik/assist-service';
