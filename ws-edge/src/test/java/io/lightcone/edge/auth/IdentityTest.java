package io.lightcone.edge.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityTest
{
    @Test
    void shouldDeriveTheCsharpSnapshotTokenIdentity()
    {
        final Identity identity = IdentityDerivation.fromClaims("localhost", "6d4b5430-00cf-4a99-932c-ad2d07bab841");
        assertEquals("c200483152d642c7d402de06cacc36dcb0c2a1f2bbeb8e7d5a673f2435cca975", identity.toHex());
    }

    @Test
    void shouldDeriveLocalhostAlice()
    {
        final Identity identity = IdentityDerivation.fromClaims("localhost", "alice");
        assertEquals("c20035600353a2e93544d898c6ed0eac323e200c0468300f22958f8b472a265d", identity.toHex());
    }

    @Test
    void shouldSeparateIssuerAndSubject()
    {
        assertNotEquals(IdentityDerivation.fromClaims("a", "b|c"), IdentityDerivation.fromClaims("a|b", "d"));
        assertTrue(IdentityDerivation.fromClaims("https://x", "y").toHex().startsWith("c200"));
    }

    @Test
    void shouldRoundTripHexAndReverseForBsatn()
    {
        final String hex = "c200000000000000000000000000000000000000000000000000000000000001";
        final Identity identity = Identity.fromHex(hex);
        assertEquals(hex, identity.toHex());
        assertEquals(identity, Identity.fromHex(hex.toUpperCase()));
        final byte[] le = identity.toLittleEndian();
        assertEquals(1, le[0]);
        assertEquals((byte)0xc2, le[31]);
        assertEquals(identity, Identity.fromLittleEndian(le));
        assertEquals(identity, Identity.fromBigEndian(identity.toBigEndian()));
        assertEquals(identity.hashCode(), Identity.fromHex(hex).hashCode());
    }

    @Test
    void shouldNotShareBytes()
    {
        final Identity identity = IdentityDerivation.fromClaims("localhost", "alice");
        identity.toBigEndian()[0] = 0;
        identity.toLittleEndian()[31] = 0;
        assertTrue(identity.toHex().startsWith("c200"));
    }

    @Test
    void shouldRejectBadHex()
    {
        assertThrows(IllegalArgumentException.class, () -> Identity.fromHex("c200"));
        assertThrows(IllegalArgumentException.class, () -> Identity.fromHex("g".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> Identity.fromBigEndian(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> ConnectionId.fromHex("00"));
    }

    @Test
    void shouldGenerateDistinctNonZeroConnectionIds()
    {
        final Set<ConnectionId> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++)
        {
            final ConnectionId id = ConnectionId.random();
            assertFalse(id.isZero());
            assertTrue(seen.add(id));
        }
        assertTrue(ConnectionId.ZERO.isZero());
    }

    @Test
    void shouldRoundTripConnectionIdHexBigEndianAndBsatnLittleEndian()
    {
        final String hex = "0102030405060708090a0b0c0d0e0f10";
        final ConnectionId id = ConnectionId.fromHex(hex);
        assertEquals(hex, id.toHex());
        assertEquals(hex, id.toString());
        assertArrayEquals(new byte[]{16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, id.toLittleEndian());
        assertEquals(id, ConnectionId.fromLittleEndian(id.toLittleEndian()));
        assertEquals(id, ConnectionId.fromBigEndian(id.toBigEndian()));
    }
}
