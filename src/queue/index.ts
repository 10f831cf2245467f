// `clearcopy/queue`: the Redis queue as a library (a subpath, so `clearcopy` alone never loads BullMQ).
export { checkRedis, redactRedisUrl, redisOptions, redisUrlFrom, REDIS_URL_ENV } from './connection.js';
export { addSources, jobIdOf, queuedOptions, renderOptionsOf, DEFAULT_QUEUE, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, PAGE_CHECKS, QUEUE_PREFIX, type AddOptions, type AddResult, type PageJobData, type PageOutcome, type QueuedOptions } from './jobs.js';
export { runWorker, removeStaleTemps, TRANSIENT_FAILURES, type WorkerEvent, type WorkerOptions, type WorkerSummary } from './worker.js';
export { queueRun, queueStatus, RATE_WINDOW_MS, type QueueStatus } from './status.js';
