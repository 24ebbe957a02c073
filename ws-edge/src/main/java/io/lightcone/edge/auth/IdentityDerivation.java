package io.lightcone.edge.auth;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * Identity from a token's issuer and subject, exactly as SpacetimeDB derives it (crates/lib/src/identity.rs).
 * <pre>
 *   h        = blake3(utf8(iss + "|" + sub))
 *   id_hash  = h[0..26]
 *   checksum = blake3([0xc2, 0x00] ++ id_hash)
 *   identity (big-endian bytes) = [0xc2, 0x00] ++ checksum[0..4] ++ id_hash      (32 bytes, hex starts "c200")
 * </pre>
 */
public final class IdentityDerivation
{
    /**
     * Length of the truncated claims hash.
     */
    public static final int ID_HASH_LENGTH = 26;

    /**
     * Length of the checksum prefix.
     */
    public static final int CHECKSUM_LENGTH = 4;

    private static final byte PREFIX_0 = (byte)0xc2;
    private static final byte PREFIX_1 = (byte)0x00;
    private static final int BLAKE3_LENGTH = 32;

    private IdentityDerivation()
    {
    }

    /**
     * Derive the identity of an (issuer, subject) pair.
     *
     * @param iss the token issuer.
     * @param sub the token subject.
     * @return the identity.
     */
    public static Identity fromClaims(final String iss, final String sub)
    {
        final byte[] h = blake3((iss + "|" + sub).getBytes(StandardCharsets.UTF_8));

        final byte[] checksumInput = new byte[2 + ID_HASH_LENGTH];
        checksumInput[0] = PREFIX_0;
        checksumInput[1] = PREFIX_1;
        System.arraycopy(h, 0, checksumInput, 2, ID_HASH_LENGTH);
        final byte[] checksum = blake3(checksumInput);

        final byte[] bigEndian = new byte[Identity.LENGTH];
        bigEndian[0] = PREFIX_0;
        bigEndian[1] = PREFIX_1;
        System.arraycopy(checksum, 0, bigEndian, 2, CHECKSUM_LENGTH);
        System.arraycopy(h, 0, bigEndian, 2 + CHECKSUM_LENGTH, ID_HASH_LENGTH);
        return Identity.fromBigEndian(bigEndian);
    }

    private static byte[] blake3(final byte[] input)
    {
        final Blake3Digest digest = new Blake3Digest();
        digest.update(input, 0, input.length);
        final byte[] out = new byte[BLAKE3_LENGTH];
        digest.doFinal(out, 0);
        return out;
    }
}
