package io.lightcone.wasm.host;

/**
 * A reducer call a module asked for with {@code volatile_nonatomic_schedule_immediate}: the caller runs it later,
 * in its own transaction, if the requesting call committed.
 *
 * @param reducerName the reducer's name as the module gave it.
 * @param args        the BSATN arguments.
 */
public record ScheduledCall(String reducerName, byte[] args)
{
}
