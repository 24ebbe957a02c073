package io.lightcone.txn.loop;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The program hash is SpacetimeDB's {@code hash_bytes}: Keccak-256 (the original padding, not SHA3-256).
 */
class ProgramHashTest
{
    @Test
    void shouldBeKeccak256()
    {
        assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
            HexFormat.of().formatHex(TxnLoopAgent.programHash(new byte[0])));
        assertEquals("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
            HexFormat.of().formatHex(TxnLoopAgent.programHash("abc".getBytes(StandardCharsets.US_ASCII))));
    }
}
