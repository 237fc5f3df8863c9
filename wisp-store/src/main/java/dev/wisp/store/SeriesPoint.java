package dev.wisp.store;

/**
 * One bucket of a function's (or a tenant's) time series. Counts are 0 when nothing happened;
 * a measured value with nothing to measure (no warm invocation, no sample) is {@code null}, not 0
 * or NaN, so "no data" cannot pass for a reading and serialises as JSON null. Invocation records
 * fall in the bucket of their completion time, samples in the bucket of their timestamp.
 *
 * @param bucketStart  epoch ms, a multiple of the resolution
 * @param invocations  attempts that ran: every status except throttled and rejected
 * @param errors       status error, timeout, oom or crash
 * @param throttles    status throttled
 * @param coldStarts   invocations that started an instance
 * @param warmDurationP50Ms duration quantiles (exec time, init excluded) of warm invocations that ran;
 *                     continuous quantiles, interpolated between the two nearest values
 * @param coldDurationP50Ms the same for cold invocations
 * @param waitP95Ms    95th percentile of time from received to dispatched, of invocations that ran
 * @param concurrentMax the highest busy-instance count of any concurrency sample in the bucket (summed
 *                     over the selected functions and versions at each sampling tick)
 * @param instancesIdle mean over the bucket's sampling ticks of the function-level instance counts
 *                     (summed over the selected functions and versions at each tick)
 * @param cpuMillicores mean over the bucket's sampling ticks of the summed CPU of the selected functions'
 *                     instances; a tick with function samples but no instance samples counts as 0
 * @param memoryBytes  the same for resident memory
 * @param gbSeconds    summed over every record in the bucket
 * @param costUsd      summed over every record in the bucket
 */
public record SeriesPoint(long bucketStart, long invocations, long errors, long throttles, long coldStarts,
                          Double warmDurationP50Ms, Double warmDurationP95Ms, Double warmDurationP99Ms,
                          Double coldDurationP50Ms, Double coldDurationP95Ms, Double coldDurationP99Ms,
                          Double waitP95Ms, Integer concurrentMax,
                          Double instancesIdle, Double instancesBusy, Double instancesInitializing,
                          Double cpuMillicores, Double memoryBytes, double gbSeconds, double costUsd) {}
