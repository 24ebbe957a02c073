package io.lightcone.bench.fanout;

/**
 * Where the fan-out writer sends its commits: a Lightcone reducer call, or Redis PUBLISHes. Used from the writer's
 * thread only; outcomes go to the {@link FanoutRecorder}.
 */
interface CommitSink
{
    /**
     * Sends commit {@code seq}: rewrite (publish) the workload's rows starting at {@code firstId}.
     *
     * @param seq     commit number, from 1.
     * @param firstId first row id.
     * @param sentNs  the writer's nanoTime now, written into every row.
     */
    void send(long seq, int firstId, long sentNs);

    /**
     * Completes what has arrived.
     *
     * @return work done (0 when idle).
     */
    int poll();

    /**
     * @return commits sent without an outcome yet.
     */
    long inFlight();
}
