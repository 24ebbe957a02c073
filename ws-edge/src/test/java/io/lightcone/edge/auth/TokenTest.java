package io.lightcone.edge.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenTest
{
    private static final long START_MS = 1_737_665_769_000L;
    private static final byte[] SECRET =
        "a-very-long-supabase-style-jwt-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(START_MS);
    private final LocalKeys keys = LocalKeys.generate();
    private final TokenIssuer issuer = new TokenIssuer(keys, "localhost", clock, 60);

    private TokenValidator validator(final AuthContext ctx)
    {
        return new TokenValidator(ctx.clock(clock).jwksSource(new StaticJwksSource()).conclude(), keys);
    }

    private TokenValidator validator()
    {
        return validator(new AuthContext().clockSkewSeconds(5));
    }

    private static AuthException refused(final TokenValidator validator, final String token, final String message)
    {
        final AuthException ex = assertThrows(AuthException.class, () -> validator.validate(token));
        assertEquals(message, ex.getMessage());
        assertEquals(401, ex.status());
        assertEquals("Authorization failed: " + message, ex.httpMessage());
        return ex;
    }

    private Map<String, Object> claims(final String iss, final String sub)
    {
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("hex_identity", IdentityDerivation.fromClaims(iss, sub).toHex());
        payload.put("sub", sub);
        payload.put("iss", iss);
        payload.put("aud", List.of("spacetimedb"));
        payload.put("iat", clock.seconds());
        payload.put("exp", null);
        return payload;
    }

    @Test
    void shouldMintAnIdentityWhoseTokenValidates() throws Exception
    {
        final MintedIdentity minted = issuer.mintIdentity();
        final Claims claims = validator().validate(minted.token());

        assertEquals(minted.identity(), claims.identity());
        assertEquals(IdentityDerivation.fromClaims("localhost", minted.subject()), minted.identity());
        assertEquals("localhost", claims.issuer());
        assertEquals(minted.subject(), claims.subject());
        assertEquals(4, UUID.fromString(claims.subject()).version());
        assertEquals(List.of("hex_identity", "sub", "iss", "aud", "iat", "exp"),
            new ArrayList<>(claims.payload().keySet()));
        assertEquals(minted.identity().toHex(), claims.payload().get("hex_identity"));
        assertEquals(List.of("spacetimedb"), claims.payload().get("aud"));
        assertEquals(clock.seconds(), claims.payload().get("iat"));
        assertTrue(claims.payload().containsKey("exp"));
        assertNull(claims.payload().get("exp"));
        assertTrue(claims.expiresAtEpochSeconds().isEmpty());
        assertEquals("{\"hex_identity\":\"" + minted.identity().toHex() + "\",\"sub\":\"" + minted.subject() +
            "\",\"iss\":\"localhost\",\"aud\":[\"spacetimedb\"],\"iat\":" + clock.seconds() + ",\"exp\":null}",
            claims.payloadJson());

        final JWSObject jws = JWSObject.parse(minted.token());
        assertEquals(JWSAlgorithm.ES256, jws.getHeader().getAlgorithm());
        assertEquals("JWT", jws.getHeader().getType().getType());

        clock.advanceSeconds(10L * 365 * 24 * 3600);
        assertEquals(minted.identity(), validator().validate(minted.token()).identity());
    }

    @Test
    void shouldCacheValidatedTokensButStillRefuseThemOnceExpired() throws Exception
    {
        final String custom = "https://custom.example";
        final int[] verified = new int[1];
        final boolean[] accept = {true};
        final TokenValidator validator = validator(new AuthContext().clockSkewSeconds(5).issuerVerifier(custom,
            (jwt, iss) ->
        {
            verified[0]++;
            if (!accept[0])
            {
                throw new AuthException(AuthException.Reason.BAD_SIGNATURE, "refused by the test");
            }
        }));
        final Map<String, Object> payload = claims(custom, "dave");
        payload.put("exp", clock.seconds() + 30);
        final String expiring = hs256(payload);
        final Claims first = validator.validate(expiring);
        assertEquals(1, verified[0]);
        assertEquals(first.identity(), validator.validate(expiring).identity());
        clock.advanceSeconds(20);
        assertEquals(first.identity(), validator.validate(expiring).identity());
        assertEquals(1, verified[0], "validated once, then served from the cache");
        clock.advanceSeconds(16);
        refused(validator, expiring, "token expired");
        assertEquals(1, verified[0], "the cached token's exp is checked against the clock");

        final String lasting = hs256(claims(custom, "erin"));
        validator.validate(lasting);
        clock.advanceSeconds(TokenValidator.CACHE_MAX_AGE_MS / 1000 - 1);
        validator.validate(lasting);
        assertEquals(2, verified[0]);
        clock.advanceSeconds(1);
        accept[0] = false;
        refused(validator, lasting, "refused by the test");
        assertEquals(3, verified[0], "an entry older than the maximum age is verified again");
        refused(validator, lasting, "refused by the test");
        assertEquals(4, verified[0], "a refused token is not cached");

        accept[0] = true;
        for (int i = 0; i <= TokenValidator.CACHE_CAPACITY; i++)
        {
            validator.validate(hs256(claims(custom, "user" + i)));
            assertTrue(validator.cachedTokens() <= TokenValidator.CACHE_CAPACITY, "bounded");
        }
    }

    private static String hs256(final Map<String, Object> payload) throws Exception
    {
        final JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256),
            new Payload(JSONObjectUtils.toJSONString(payload)));
        jws.sign(new MACSigner(SECRET));
        return jws.serialize();
    }

    @Test
    void shouldMintDistinctIdentities()
    {
        assertNotEquals(issuer.mintIdentity().identity(), issuer.mintIdentity().identity());
    }

    @Test
    void shouldIssueWebsocketTokensThatExpireAfterSixtySeconds() throws Exception
    {
        final TokenValidator validator = validator();
        final Claims claims = validator.validate(issuer.mintIdentity().token());
        clock.advanceSeconds(100);
        final String wsToken = issuer.websocketToken(claims);

        final Claims wsClaims = validator.validate(wsToken);
        assertEquals(claims.identity(), wsClaims.identity());
        assertEquals(List.of("hex_identity", "sub", "iss", "aud", "iat", "exp"),
            new ArrayList<>(wsClaims.payload().keySet()));
        assertEquals(clock.seconds(), wsClaims.payload().get("iat"));
        assertEquals(clock.seconds() + 60, wsClaims.expiresAtEpochSeconds().getAsLong());

        clock.advanceSeconds(60 + 5);
        assertEquals(claims.identity(), validator.validate(wsToken).identity());
        clock.advanceSeconds(1);
        assertEquals(AuthException.Reason.EXPIRED, refused(validator, wsToken, "token expired").reason());
    }

    @Test
    void shouldKeepExtraClaimsInWebsocketTokens() throws Exception
    {
        final Map<String, Object> payload = claims("localhost", "alice");
        payload.put("role", "admin");
        final Claims claims = validator().validate(issuer.sign(payload));
        final Claims ws = validator().validate(issuer.websocketToken(claims));
        assertEquals("admin", ws.payload().get("role"));
        assertEquals("alice", ws.subject());
    }

    @Test
    void shouldRefuseATamperedSignature()
    {
        final String token = issuer.mintIdentity().token();
        final int i = token.lastIndexOf('.') + 10;
        final char flipped = token.charAt(i) == 'A' ? 'B' : 'A';
        final String tampered = token.substring(0, i) + flipped + token.substring(i + 1);
        refused(validator(), tampered, "token not signed by this instance");
    }

    @Test
    void shouldRefuseATamperedPayload()
    {
        final String[] parts = issuer.mintIdentity().token().split("\\.");
        final Map<String, Object> payload = claims("localhost", "mallory");
        final String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
            JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        refused(validator(), forged, "token not signed by this instance");
    }

    @Test
    void shouldRefuseATokenSignedByAnotherInstance()
    {
        final TokenIssuer other = new TokenIssuer(LocalKeys.generate(), "localhost", clock, 60);
        final AuthException ex = refused(validator(), other.mintIdentity().token(),
            "token not signed by this instance");
        assertEquals(AuthException.Reason.BAD_SIGNATURE, ex.reason());
        final TokenIssuer stranger = new TokenIssuer(LocalKeys.generate(), "https://evil.example", clock, 60);
        final AuthException untrusted = refused(validator(), stranger.mintIdentity().token(),
            "issuer https://evil.example is not trusted");
        assertEquals(AuthException.Reason.UNTRUSTED_ISSUER, untrusted.reason());
    }

    @Test
    void shouldAcceptALocallySignedTokenWhateverItsIssuer() throws Exception
    {
        final Claims claims = validator().validate(issuer.sign(claims("https://idp.example", "bob")));
        assertEquals(IdentityDerivation.fromClaims("https://idp.example", "bob"), claims.identity());
    }

    @Test
    void shouldRefuseAnExpiredToken() throws Exception
    {
        final Map<String, Object> payload = claims("localhost", "alice");
        payload.put("exp", clock.seconds() - 5);
        final String atSkew = issuer.sign(payload);
        assertEquals("alice", validator().validate(atSkew).subject());
        payload.put("exp", clock.seconds() - 6);
        refused(validator(), issuer.sign(payload), "token expired");
    }

    @Test
    void shouldRefuseATokenNotYetValid()
    {
        final Map<String, Object> payload = claims("localhost", "alice");
        payload.put("nbf", clock.seconds() + 6);
        refused(validator(), issuer.sign(payload), "token not yet valid");
    }

    @Test
    void shouldRefuseMissingEmptyOrLongIssuerAndSubject()
    {
        final Map<String, Object> payload = claims("localhost", "alice");
        payload.remove("hex_identity");

        payload.remove("sub");
        refused(validator(), issuer.sign(payload), "missing sub claim");
        payload.put("sub", "");
        refused(validator(), issuer.sign(payload), "sub claim is empty");
        payload.put("sub", "é".repeat(65));
        refused(validator(), issuer.sign(payload), "sub claim is longer than 128 bytes");
        payload.put("sub", "x".repeat(128));
        assertDoesNotThrow(() -> validator().validate(issuer.sign(payload)));
        payload.put("sub", 42);
        refused(validator(), issuer.sign(payload), "malformed token: sub claim must be a string");

        payload.put("sub", "alice");
        payload.remove("iss");
        refused(validator(), issuer.sign(payload), "missing iss claim");
        payload.put("iss", "");
        refused(validator(), issuer.sign(payload), "iss claim is empty");
    }

    @Test
    void shouldRefuseAHexIdentityThatIsNotDerivedFromTheClaims()
    {
        final Map<String, Object> payload = claims("localhost", "alice");
        final String bobHex = IdentityDerivation.fromClaims("localhost", "bob").toHex();
        payload.put("hex_identity", bobHex);
        final AuthException ex = refused(validator(), issuer.sign(payload), "hex_identity " + bobHex +
            " does not match the identity " + IdentityDerivation.fromClaims("localhost", "alice") +
            " derived from iss and sub");
        assertEquals(AuthException.Reason.INVALID_CLAIMS, ex.reason());
    }

    @Test
    void shouldRefuseMalformedTokens()
    {
        final TokenValidator validator = validator();
        refused(validator, "", "malformed token: empty");
        refused(validator, null, "malformed token: empty");
        final String[] garbage = {
            "abc",
            "a.b",
            "a.b.c",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwiaXNzIjoiYiJ9.",
            "eyJhbGciOiJFUzI1NiJ9.WzEsMl0.c2ln",
            "eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln",
        };
        for (final String token : garbage)
        {
            final AuthException ex = assertThrows(AuthException.class, () -> validator.validate(token), token);
            assertTrue(ex.getMessage().startsWith("malformed token: "), ex.getMessage());
            assertEquals(AuthException.Reason.MALFORMED, ex.reason());
            assertEquals(401, ex.status());
        }
    }

    @Test
    void shouldAcceptLocalRs256AndHs256OnlyWhenConfigured() throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair rsa = generator.generateKeyPair();
        final Map<String, Object> payload = claims("localhost", "carol");
        final JWSObject rs = new JWSObject(new JWSHeader(JWSAlgorithm.RS256),
            new Payload(JSONObjectUtils.toJSONString(payload)));
        rs.sign(new RSASSASigner((RSAPrivateKey)rsa.getPrivate()));
        final JWSObject hs = new JWSObject(new JWSHeader(JWSAlgorithm.HS256),
            new Payload(JSONObjectUtils.toJSONString(payload)));
        hs.sign(new MACSigner(SECRET));

        refused(validator(), rs.serialize(), "token not signed by this instance");
        refused(validator(), hs.serialize(), "token not signed by this instance");

        final TokenValidator configured = validator(new AuthContext()
            .localRs256PublicKey((RSAPublicKey)rsa.getPublic())
            .localHs256Secret(SECRET));
        assertEquals("carol", configured.validate(rs.serialize()).subject());
        assertEquals("carol", configured.validate(hs.serialize()).subject());
    }

    @Test
    void shouldVerifyHs256IssuersWithTheirSharedSecret() throws Exception
    {
        final String supabase = "https://project.supabase.co/auth/v1";
        final TokenValidator validator = validator(new AuthContext().hs256IssuerSecrets(Map.of(supabase, SECRET)));
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", supabase);
        payload.put("sub", "d0c5");
        payload.put("role", "authenticated");
        payload.put("exp", clock.seconds() + 3600);

        final JWSObject good = new JWSObject(new JWSHeader(JWSAlgorithm.HS256),
            new Payload(JSONObjectUtils.toJSONString(payload)));
        good.sign(new MACSigner(SECRET));
        final Claims claims = validator.validate(good.serialize());
        assertEquals(IdentityDerivation.fromClaims(supabase, "d0c5"), claims.identity());
        assertEquals("authenticated", claims.payload().get("role"));

        final JWSObject bad = new JWSObject(new JWSHeader(JWSAlgorithm.HS256),
            new Payload(JSONObjectUtils.toJSONString(payload)));
        bad.sign(new MACSigner("another-secret-another-secret-another-secret".getBytes(StandardCharsets.UTF_8)));
        refused(validator, bad.serialize(),
            "token signature does not verify with the HS256 secret of issuer " + supabase);
    }

    @Test
    void shouldRefuseInconsistentContexts()
    {
        assertThrows(IllegalStateException.class,
            () -> new AuthContext().trustedIssuers(List.of("localhost")).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new AuthContext().hs256IssuerSecrets(Map.of("https://x", new byte[16])).conclude());
        assertThrows(IllegalStateException.class, () -> new AuthContext()
            .trustedIssuers(List.of("https://x"))
            .hs256IssuerSecrets(Map.of("https://x", SECRET)).conclude());
        final AuthContext ctx = new AuthContext().conclude();
        assertThrows(IllegalStateException.class, ctx::conclude);
    }

    @Test
    void shouldParseConfigurationLists()
    {
        assertEquals(List.of("https://a", "https://b"), AuthConfiguration.parseList(" https://a, ,https://b "));
        final Map<String, byte[]> secrets = AuthConfiguration.parseSecrets("https://a=s3cr=t, https://b = x");
        assertEquals("s3cr=t", new String(secrets.get("https://a"), StandardCharsets.UTF_8));
        assertEquals("x", new String(secrets.get("https://b"), StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> AuthConfiguration.parseSecrets("https://a"));
        assertEquals("localhost", AuthConfiguration.LOCAL_ISSUER_DEFAULT);
    }

    @Test
    void shouldPersistTheKeyPairAcrossRestarts(@TempDir final Path dir) throws Exception
    {
        final Path keyDir = dir.resolve("keys");
        final AuthContext ctx = new AuthContext().keyDir(keyDir).clock(clock).conclude();
        final TokenIssuer first = new TokenIssuer(ctx);
        final String token = first.mintIdentity().token();
        assertTrue(first.publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertTrue(first.publicKeyPem().endsWith("-----END PUBLIC KEY-----\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(keyDir.resolve(LocalKeys.PRIVATE_KEY_FILE))));
        assertEquals(first.publicKeyPem(), Files.readString(keyDir.resolve(LocalKeys.PUBLIC_KEY_FILE)));
        try (var files = Files.list(keyDir))
        {
            assertEquals(2, files.count());
        }

        final TokenIssuer second = new TokenIssuer(new AuthContext().keyDir(keyDir).clock(clock).conclude());
        assertEquals(first.publicKeyPem(), second.publicKeyPem());
        assertEquals(first.keys().privateKey(), second.keys().privateKey());
        final TokenValidator validator = new TokenValidator(
            new AuthContext().clock(clock).jwksSource(new StaticJwksSource()).conclude(), second.keys());
        assertEquals("localhost", validator.validate(token).issuer());

        Files.delete(keyDir.resolve(LocalKeys.PUBLIC_KEY_FILE));
        assertThrows(IllegalStateException.class, () -> LocalKeys.loadOrGenerate(keyDir));
        Files.writeString(keyDir.resolve(LocalKeys.PUBLIC_KEY_FILE), "garbage");
        assertThrows(IllegalStateException.class, () -> LocalKeys.loadOrGenerate(keyDir));
    }
}
