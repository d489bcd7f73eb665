/**
 * The part of the quality adaptation that only a call needs, loaded once the call has begun so that it
 * stays out of the page's first download: the budget split, setting encodings, the watch on the CPU (the
 * encoders' and the browser's word), and the reader of each connection's media stats.
 */
export { applyEncoding } from './apply-encoding.js';
export { CpuPressure, framesFallShort } from './cpu-pressure.js';
export { MachinePressure } from './machine-pressure.js';
export { MAX_CPU_LEVEL, splitUploadBudget } from './upload-budget.js';
export { readMediaStats } from '../media-stats.js';
