package io.lightcone.edge.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * This instance's ES256 (ECDSA P-256) key pair, persisted as PEM files in a key directory, as SpacetimeDB's
 * {@code JwtKeys} does: {@code id_ecdsa} (PKCS#8 {@code PRIVATE KEY}) and {@code id_ecdsa.pub} (X.509
 * {@code PUBLIC KEY}).
 * <p>
 * Invariants: both files exist or neither is trusted (a lone file is an error, never overwritten); a generated pair
 * is written to temporary files with owner-only permissions (where the file system is POSIX) and moved into place
 * atomically (private key first); loaded back, the same key pair results.
 */
public final class LocalKeys
{
    /**
     * File name of the private key in the key directory.
     */
    public static final String PRIVATE_KEY_FILE = "id_ecdsa";

    /**
     * File name of the public key in the key directory.
     */
    public static final String PUBLIC_KEY_FILE = "id_ecdsa.pub";

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;
    private final String publicKeyPem;

    private LocalKeys(final ECPrivateKey privateKey, final ECPublicKey publicKey)
    {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicKeyPem = toPem(PUBLIC_LABEL, publicKey.getEncoded());
    }

    /**
     * Load the key pair from a directory, generating and persisting one if neither file exists.
     *
     * @param keyDir the key directory; created if absent.
     * @return the keys.
     * @throws UncheckedIOException  if the files cannot be read or written.
     * @throws IllegalStateException if only one file exists or a file is not a P-256 key in PEM.
     */
    public static LocalKeys loadOrGenerate(final Path keyDir)
    {
        final Path privatePath = keyDir.resolve(PRIVATE_KEY_FILE);
        final Path publicPath = keyDir.resolve(PUBLIC_KEY_FILE);
        try
        {
            final boolean hasPrivate = Files.exists(privatePath);
            final boolean hasPublic = Files.exists(publicPath);
            if (hasPrivate && hasPublic)
            {
                return load(privatePath, publicPath);
            }
            if (hasPrivate || hasPublic)
            {
                throw new IllegalStateException("key directory " + keyDir + " holds only one of " + PRIVATE_KEY_FILE +
                    " and " + PUBLIC_KEY_FILE + "; restore the other or remove both to generate a new pair");
            }
            final LocalKeys keys = generate();
            Files.createDirectories(keyDir);
            writeAtomically(privatePath, toPem(PRIVATE_LABEL, keys.privateKey.getEncoded()));
            writeAtomically(publicPath, keys.publicKeyPem);
            return keys;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot load or create the keys in " + keyDir, ex);
        }
    }

    /**
     * A fresh key pair held in memory only (tests, throwaway instances).
     *
     * @return the keys.
     */
    public static LocalKeys generate()
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            final KeyPair pair = generator.generateKeyPair();
            return new LocalKeys((ECPrivateKey)pair.getPrivate(), (ECPublicKey)pair.getPublic());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", ex);
        }
    }

    /**
     * Read an RSA public key from a PEM file ({@code PUBLIC KEY}, X.509 SubjectPublicKeyInfo).
     *
     * @param file the PEM file.
     * @return the key.
     */
    public static RSAPublicKey readRsaPublicKey(final Path file)
    {
        try
        {
            final byte[] der = fromPem(Files.readString(file, StandardCharsets.US_ASCII), PUBLIC_LABEL, file);
            return (RSAPublicKey)KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        catch (final GeneralSecurityException | ClassCastException ex)
        {
            throw new IllegalStateException(file + " is not an RSA public key", ex);
        }
    }

    /**
     * The private key (signs tokens).
     *
     * @return the private key.
     */
    public ECPrivateKey privateKey()
    {
        return privateKey;
    }

    /**
     * The public key (verifies this instance's tokens).
     *
     * @return the public key.
     */
    public ECPublicKey publicKey()
    {
        return publicKey;
    }

    /**
     * The public key as served by {@code GET /v1/identity/public-key}.
     *
     * @return PEM text, {@code -----BEGIN PUBLIC KEY-----} ... with a trailing newline.
     */
    public String publicKeyPem()
    {
        return publicKeyPem;
    }

    private static LocalKeys load(final Path privatePath, final Path publicPath) throws IOException
    {
        final byte[] privateDer = fromPem(Files.readString(privatePath, StandardCharsets.US_ASCII),
            PRIVATE_LABEL, privatePath);
        final byte[] publicDer = fromPem(Files.readString(publicPath, StandardCharsets.US_ASCII),
            PUBLIC_LABEL, publicPath);
        try
        {
            final KeyFactory factory = KeyFactory.getInstance("EC");
            final ECPrivateKey privateKey = (ECPrivateKey)factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
            final ECPublicKey publicKey = (ECPublicKey)factory.generatePublic(new X509EncodedKeySpec(publicDer));
            if (publicKey.getParams().getCurve().getField().getFieldSize() != 256)
            {
                throw new IllegalStateException(publicPath + " is not a P-256 key");
            }
            return new LocalKeys(privateKey, publicKey);
        }
        catch (final GeneralSecurityException | ClassCastException ex)
        {
            throw new IllegalStateException("the keys in " + privatePath.getParent() + " are not EC keys", ex);
        }
    }

    private static void writeAtomically(final Path target, final String content) throws IOException
    {
        final Path dir = target.toAbsolutePath().getParent();
        final Path tmp;
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix"))
        {
            final Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            tmp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(ownerOnly));
        }
        else
        {
            tmp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
        }
        try
        {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try
            {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, target);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IllegalStateException(target + " appeared while generating keys; another process?", ex);
        }
        finally
        {
            Files.deleteIfExists(tmp);
        }
    }

    static String toPem(final String label, final byte[] der)
    {
        final String body = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] fromPem(final String pem, final String label, final Path file)
    {
        final String begin = "-----BEGIN " + label + "-----";
        final String end = "-----END " + label + "-----";
        final int from = pem.indexOf(begin);
        final int to = pem.indexOf(end);
        if (from < 0 || to < from)
        {
            throw new IllegalStateException(file + " is not a PEM '" + label + "'");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }
}
