package io.lightcone.wasm.host;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a call that overruns its wall-clock budget by interrupting the thread that runs it.
 * <p>
 * Chicory 1.7.5 has no fuel. What it has: the code its compiler generates calls
 * {@code Shaded.checkInterruption()} on every backward branch (loop), every {@code call} and
 * {@code call_indirect}, and its interpreter checks at every call and loop; both throw
 * {@code ChicoryInterruptedException} when {@code Thread.currentThread().isInterrupted()}. So one daemon thread
 * watches the registered guards and interrupts the calling thread when an armed deadline has passed.
 * <p>
 * Arming and disarming must be cheap (they bracket every reducer call, a few hundred nanoseconds): they are plain
 * volatile writes and one CAS on the guard, with no lock or queue. The watchdog instead polls while calls are
 * being made: it sleeps until the earliest armed deadline or for at most {@link #TICK_NANOS}, whichever is
 * sooner, so an overrun is noticed within about one tick of its deadline. When it has seen no call for
 * {@link #IDLE_NANOS} (no guard armed, no guard armed again since its last look) it parks without a timeout, and
 * the next {@link #arm} unparks it; so an idle host does not wake up at all, and a busy one pays for an unpark
 * only on the first call after an idle spell (arming otherwise reads one volatile flag). A guard registers
 * itself on its first arm and stays registered until {@link #unregister} (a closed {@link ModuleInstance}
 * unregisters its guard).
 * <p>
 * The interrupt flag must not leak out of a call: the calling thread is the transaction loop's Agrona
 * {@code AgentRunner}, which treats an interrupt as "stop". A {@link Guard} is a small state machine
 * (ARMED → DONE, or ARMED → FIRING → FIRED); {@link Guard#disarm()} either wins the race to DONE (no interrupt
 * was or will be sent) or waits until the watchdog has sent it and then clears the flag with
 * {@link Thread#interrupted()}. An interrupt that was pending before the call is kept aside and restored.
 */
final class BudgetWatchdog
{
    /** Longest sleep of the watchdog between two looks at the guards. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long the watchdog keeps polling after the last call it saw before it parks until the next arm. */
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final BudgetWatchdog INSTANCE = new BudgetWatchdog();

    private final CopyOnWriteArrayList<Guard> guards = new CopyOnWriteArrayList<>();
    private final Thread thread;
    /**
     * Set by the watchdog before it parks without a timeout (and cleared when it wakes); {@link #arm} unparks it
     * only then. Both sides write their own flag (this, or the guard's state) before reading the other's, so
     * either the watchdog sees the armed guard and does not park, or the arming thread sees this and unparks.
     */
    private volatile boolean parkedIdle;

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
        long lastActive = System.nanoTime();
        while (true)
        {
            final long now = System.nanoTime();
            long sleep = TICK_NANOS;
            boolean active = false;
            for (final Guard guard : guards)
            {
                final long deadline = guard.deadlineNanos;
                if (deadline != guard.seenDeadline)
                {
                    guard.seenDeadline = deadline;
                    active = true;
                }
                if (guard.state.get() != Guard.ARMED)
                {
                    continue;
                }
                active = true;
                final long left = deadline - now;
                if (left <= 0)
                {
                    guard.fire(deadline);
                }
                else
                {
                    sleep = Math.min(sleep, left);
                }
            }
            if (active)
            {
                lastActive = now;
            }
            if (!active && now - lastActive >= IDLE_NANOS)
            {
                parkedIdle = true;
                if (!anyArmed())
                {
                    LockSupport.park(this);
                }
                parkedIdle = false;
                lastActive = System.nanoTime();
            }
            else
            {
                LockSupport.parkNanos(this, sleep);
            }
            Thread.interrupted();
        }
    }

    private boolean anyArmed()
    {
        for (final Guard guard : guards)
        {
            if (guard.state.get() == Guard.ARMED)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the watchdog is parked until the next arm (for tests).
     *
     * @return true when it is idle.
     */
    boolean isParkedIdle()
    {
        return parkedIdle;
    }

    void arm(final Guard guard, final long budgetNanos)
    {
        if (!guard.registered)
        {
            guard.registered = true;
            guards.add(guard);
        }
        guard.arm(Thread.currentThread(), System.nanoTime() + budgetNanos);
        if (parkedIdle)
        {
            LockSupport.unpark(thread);
        }
    }

    void unregister(final Guard guard)
    {
        if (guard.registered)
        {
            guard.registered = false;
            guards.remove(guard);
        }
    }

    /**
     * One armed budget; reusable by one thread after {@link #disarm()}.
     */
    static final class Guard
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
        private boolean registered;
        /** The deadline the watchdog saw at its last look (watchdog thread only). */
        private long seenDeadline;

        private void arm(final Thread thread, final long deadline)
        {
            pendingInterrupt = Thread.interrupted();
            target = thread;
            deadlineNanos = deadline;
            state.set(ARMED);
        }

        /**
         * Interrupts the call whose deadline the watchdog saw; a call that ended and was followed by a new one in
         * the meantime (another deadline) is left alone.
         */
        private void fire(final long seenDeadline)
        {
            if (state.compareAndSet(ARMED, FIRING))
            {
                if (deadlineNanos != seenDeadline)
                {
                    state.set(ARMED);
                    return;
                }
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
            if (!state.compareAndSet(ARMED, DONE))
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
    }
}
