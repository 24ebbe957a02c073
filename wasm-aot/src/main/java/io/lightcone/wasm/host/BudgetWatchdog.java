package io.lightcone.wasm.host;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops a call that overruns its wall-clock budget by interrupting the thread that runs it.
 * <p>
 * Chicory 1.7.5 has no fuel. What it has: the code its compiler generates calls
 * {@code Shaded.checkInterruption()} on every backward branch (loop), every {@code call} and
 * {@code call_indirect}, and its interpreter checks at every call and loop; both throw
 * {@code ChicoryInterruptedException} when {@code Thread.currentThread().isInterrupted()}. So one daemon thread
 * holds the armed deadlines in a {@link DelayQueue} and interrupts the calling thread when one expires.
 * <p>
 * The interrupt flag must not leak out of a call: the calling thread is the transaction loop's Agrona
 * {@code AgentRunner}, which treats an interrupt as "stop". A {@link Guard} is a small state machine
 * (ARMED → DONE, or ARMED → FIRING → FIRED); {@link Guard#disarm()} either wins the race to DONE (no interrupt
 * was or will be sent) or waits until the watchdog has sent it and then clears the flag with
 * {@link Thread#interrupted()}. An interrupt that was pending before the call is kept aside and restored.
 */
final class BudgetWatchdog
{
    private static final BudgetWatchdog INSTANCE = new BudgetWatchdog();

    private final DelayQueue<Guard> queue = new DelayQueue<>();
    private final Thread thread;

    private BudgetWatchdog()
    {
        thread = new Thread(this::run, "lightcone-wasm-budget-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    static BudgetWatchdog instance()
    {
        return INSTANCE;
    }

    private void run()
    {
        while (true)
        {
            final Guard guard;
            try
            {
                guard = queue.take();
            }
            catch (final InterruptedException ex)
            {
                continue;
            }
            guard.fire();
        }
    }

    void arm(final Guard guard, final long budgetNanos)
    {
        guard.arm(Thread.currentThread(), System.nanoTime() + budgetNanos);
        queue.add(guard);
    }

    void remove(final Guard guard)
    {
        queue.remove(guard);
    }

    /**
     * One armed budget; reusable by one thread after {@link #disarm()}.
     */
    static final class Guard implements Delayed
    {
        private static final int IDLE = 0;
        private static final int ARMED = 1;
        private static final int DONE = 2;
        private static final int FIRING = 3;
        private static final int FIRED = 4;

        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile Thread target;
        private volatile long deadlineNanos;
        private boolean pendingInterrupt;

        private void arm(final Thread thread, final long deadline)
        {
            pendingInterrupt = Thread.interrupted();
            target = thread;
            deadlineNanos = deadline;
            state.set(ARMED);
        }

        private void fire()
        {
            if (state.compareAndSet(ARMED, FIRING))
            {
                target.interrupt();
                state.set(FIRED);
            }
        }

        /**
         * Ends the budget of the current call and clears any interrupt it caused.
         *
         * @return true when the budget expired (the call was or is being interrupted).
         */
        boolean disarm()
        {
            boolean fired = false;
            if (state.compareAndSet(ARMED, DONE))
            {
                INSTANCE.remove(this);
            }
            else
            {
                while (state.get() == FIRING)
                {
                    Thread.onSpinWait();
                }
                fired = state.get() == FIRED;
                Thread.interrupted();
            }
            state.set(IDLE);
            target = null;
            if (pendingInterrupt)
            {
                Thread.currentThread().interrupt();
            }
            return fired;
        }

        boolean hadPendingInterrupt()
        {
            return pendingInterrupt;
        }

        @Override
        public long getDelay(final TimeUnit unit)
        {
            return unit.convert(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(final Delayed other)
        {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
