package io.lightcone.core.sats;

/**
 * Constructors for the well-known SATS types of reference/spacetimedb-contracts.md §1.3.
 */
public final class SpecialTypes
{
    /** Identity: 32 bytes, little-endian u256. */
    public static final ProductType IDENTITY = ProductType.of(SpecialType.IDENTITY_TAG, PrimitiveType.U256);
    /** ConnectionId: 16 bytes, little-endian u128. */
    public static final ProductType CONNECTION_ID = ProductType.of(SpecialType.CONNECTION_ID_TAG, PrimitiveType.U128);
    /** Timestamp: i64 microseconds since the Unix epoch. */
    public static final ProductType TIMESTAMP = ProductType.of(SpecialType.TIMESTAMP_TAG, PrimitiveType.I64);
    /** TimeDuration: i64 microseconds. */
    public static final ProductType TIME_DURATION = ProductType.of(SpecialType.TIME_DURATION_TAG, PrimitiveType.I64);
    /** Uuid: 16 bytes, little-endian u128. */
    public static final ProductType UUID = ProductType.of(SpecialType.UUID_TAG, PrimitiveType.U128);
    /** ScheduleAt: tag 0 Interval(TimeDuration), tag 1 Time(Timestamp). */
    public static final SumType SCHEDULE_AT = SumType.of("Interval", TIME_DURATION, "Time", TIMESTAMP);

    private SpecialTypes()
    {
    }

    /**
     * {@code Option<T>}: tag 0 some(T), tag 1 none.
     *
     * @param some the payload type.
     * @return the option type.
     */
    public static SumType option(final AlgebraicType some)
    {
        return SumType.of("some", some, "none", ProductType.UNIT);
    }

    /**
     * {@code Result<T, E>}: tag 0 ok(T), tag 1 err(E).
     *
     * @param ok the success type.
     * @param err the error type.
     * @return the result type.
     */
    public static SumType result(final AlgebraicType ok, final AlgebraicType err)
    {
        return SumType.of("ok", ok, "err", err);
    }
}
