/** What run.ts asks of the load generator (load.ts), and what it answers: one JSON line each way. */
import * as z from 'zod/mini';

export const LoadPlan = z.strictObject({
  mode: z.enum(['parley', 'bare']),
  /** One URL per server; pairs are spread over them (half the pairs across two servers). */
  urls: z.array(z.string()),
  /** Whose RSS is read (summed) for the memory figure. */
  serverPids: z.array(z.number()),
  levels: z.array(z.number()),
  rates: z.array(z.number()),
  seconds: z.number(),
  /** Epoch ms after which no new step starts. */
  deadline: z.number(),
});
export type LoadPlan = z.infer<typeof LoadPlan>;

export const StepResult = z.strictObject({
  sockets: z.number(),
  target: z.number(),
  sentPerSecond: z.number(),
  achieved: z.number(),
  /** Milliseconds; null when more than half (p50) or 1% (p99) of the step's messages never arrived. */
  p50: z.nullable(z.number()),
  p99: z.nullable(z.number()),
  lost: z.number(),
  errors: z.number(),
  serverCpu: z.number(),
  loadCpu: z.number(),
  /** The load generator's own event-loop delay: latency it adds to every message it sends or receives. */
  loadLoopP99: z.number(),
  /** How busy each core was, counting every process on the machine. */
  coresBusy: z.array(z.number()),
  pass: z.boolean(),
});
export type StepResult = z.infer<typeof StepResult>;

export const LevelResult = z.strictObject({
  wanted: z.number(),
  sockets: z.number(),
  connectSeconds: z.number(),
  rssPerSocketKb: z.number(),
  connectError: z.optional(z.string()),
  steps: z.array(StepResult),
});
export type LevelResult = z.infer<typeof LevelResult>;

export const LoadResult = z.strictObject({
  idleRssKb: z.number(),
  levels: z.array(LevelResult),
  stoppedBy: z.string(),
});
export type LoadResult = z.infer<typeof LoadResult>;
