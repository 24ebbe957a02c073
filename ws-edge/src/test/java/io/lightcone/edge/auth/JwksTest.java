package io.lightcone.edge.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * External OIDC issuers: discovery and JWKS served by an HTTP server on 127.0.0.1 only, keys made by the test.
 */
class JwksTest
{
    private final MutableClock clock = new MutableClock(1_737_665_769_000L);
    private final AtomicReference<String> jwksJson = new AtomicReference<>();
    private final AtomicInteger jwksHits = new AtomicInteger();
    private final AtomicInteger discoveryHits = new AtomicInteger();
    private HttpServer server;
    private String base;
    private String issuer;
    private RSAKey rsaKey;
    private ECKey ecKey;

    @BeforeEach
    void start() throws Exception
    {
        rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        jwksJson.set(new JWKSet(List.<JWK>of(rsaKey, ecKey)).toPublicJWKSet().toString());

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer = base + "/realm";
        server.createContext("/realm/.well-known/openid-configuration", (exchange) ->
        {
            discoveryHits.incrementAndGet();
            respond(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + base + "/realm/certs\"}");
        });
        server.createContext("/realm/certs", (exchange) ->
        {
            jwksHits.incrementAndGet();
            respond(exchange, 200, jwksJson.get());
        });
        server.createContext("/broken/.well-known/openid-configuration",
            (exchange) -> respond(exchange, 500, "{}"));
        server.createContext("/nojwks/.well-known/openid-configuration",
            (exchange) -> respond(exchange, 200, "{\"issuer\":\"" + base + "/nojwks\"}"));
        server.createContext("/liar/.well-known/openid-configuration",
            (exchange) -> respond(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + base +
                "/realm/certs\"}"));
        server.start();
        assertTrue(server.getAddress().getAddress().isLoopbackAddress());
    }

    @AfterEach
    void stop()
    {
        server.stop(0);
    }

    private static void respond(final HttpExchange exchange, final int status, final String body) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    private HttpJwksSource httpSource()
    {
        return new HttpJwksSource(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(2),
            Duration.ofSeconds(30), clock);
    }

    private TokenValidator validator(final List<String> trusted, final JwksSource source)
    {
        return new TokenValidator(new AuthContext()
            .clock(clock)
            .clockSkewSeconds(5)
            .trustedIssuers(trusted)
            .jwksSource(source)
            .conclude(), LocalKeys.generate());
    }

    private TokenValidator validator()
    {
        return validator(List.of(issuer, base + "/broken", base + "/nojwks", base + "/liar", "https://127.0.0.1:1"),
            httpSource());
    }

    private String token(final String iss, final JWSAlgorithm alg, final String kid, final JWSSigner signer)
        throws JOSEException
    {
        final JWTClaimsSet claims = new JWTClaimsSet.Builder()
            .issuer(iss)
            .subject("user-42")
            .audience("my-game")
            .expirationTime(new java.util.Date((clock.seconds() + 86_400) * 1000L))
            .claim("email", "u@example.com")
            .build();
        final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private String rsaToken(final String iss, final String kid) throws JOSEException
    {
        return token(iss, JWSAlgorithm.RS256, kid, new RSASSASigner(rsaKey));
    }

    private static void refused(final TokenValidator validator, final String token, final String message)
    {
        final AuthException ex = assertThrows(AuthException.class, () -> validator.validate(token));
        assertEquals(message, ex.getMessage());
        assertEquals(401, ex.status());
    }

    @Test
    void shouldAcceptRs256AndEs256TokensSelectedByKid() throws Exception
    {
        final TokenValidator validator = validator();
        final Claims rs = validator.validate(rsaToken(issuer, "rsa-1"));
        assertEquals(IdentityDerivation.fromClaims(issuer, "user-42"), rs.identity());
        assertEquals("u@example.com", rs.payload().get("email"));
        assertEquals(issuer, rs.issuer());

        final Claims es = validator.validate(token(issuer, JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ecKey)));
        assertEquals(rs.identity(), es.identity());
        assertEquals(1, discoveryHits.get());
        assertEquals(1, jwksHits.get());
    }

    @Test
    void shouldTryEveryKeyOfTheRightTypeWithoutKid() throws Exception
    {
        final RSAKey second = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        jwksJson.set(new JWKSet(List.<JWK>of(rsaKey, second, ecKey)).toPublicJWKSet().toString());
        final TokenValidator validator = validator();
        assertEquals("user-42", validator.validate(token(issuer, JWSAlgorithm.RS256, null,
            new RSASSASigner(second))).subject());
    }

    @Test
    void shouldRefuseAnUnknownKidAfterOneRefetchAtMost() throws Exception
    {
        final TokenValidator validator = validator();
        validator.validate(rsaToken(issuer, "rsa-1"));
        refused(validator, rsaToken(issuer, "nope"), "no RS256 key with kid 'nope' in the JWKS of issuer " + issuer);
        assertEquals(1, jwksHits.get(), "a set younger than the minimum refetch interval is not fetched again");

        clock.advanceSeconds(31);
        refused(validator, rsaToken(issuer, "nope"), "no RS256 key with kid 'nope' in the JWKS of issuer " + issuer);
        assertEquals(2, jwksHits.get());
    }

    @Test
    void shouldPickUpRotatedKeysThroughAnUnknownKid() throws Exception
    {
        final TokenValidator validator = validator();
        validator.validate(rsaToken(issuer, "rsa-1"));
        final RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        jwksJson.set(new JWKSet(List.<JWK>of(rotated)).toPublicJWKSet().toString());
        clock.advanceSeconds(31);

        final String token = token(issuer, JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(rotated));
        assertEquals("user-42", validator.validate(token).subject());
        assertEquals(2, jwksHits.get());
    }

    @Test
    void shouldRefuseATokenSignedByAKeyOutsideTheJwks() throws Exception
    {
        final RSAKey impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        refused(validator(), token(issuer, JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(impostor)),
            "token signature does not verify with the JWKS of issuer " + issuer);
        refused(validator(), token(issuer, JWSAlgorithm.ES256, "rsa-1", new ECDSASigner(ecKey)),
            "no ES256 key with kid 'rsa-1' in the JWKS of issuer " + issuer);
    }

    @Test
    void shouldRefuseUntrustedIssuersWithoutFetchingAnything() throws Exception
    {
        refused(validator(List.of(), httpSource()), rsaToken(issuer, "rsa-1"), "issuer " + issuer + " is not trusted");
        assertEquals(0, discoveryHits.get());
        assertEquals(0, jwksHits.get());
    }

    @Test
    void shouldReportFetchFailuresAs401() throws Exception
    {
        final TokenValidator validator = validator();
        refused(validator, rsaToken(base + "/broken", "rsa-1"), "could not fetch the JWKS of issuer " + base +
            "/broken: GET " + base + "/broken/.well-known/openid-configuration answered 500");
        refused(validator, rsaToken(base + "/nojwks", "rsa-1"), "could not fetch the JWKS of issuer " + base +
            "/nojwks: " + base + "/nojwks/.well-known/openid-configuration has no jwks_uri");
        refused(validator, rsaToken(base + "/liar", "rsa-1"), "could not fetch the JWKS of issuer " + base +
            "/liar: the discovery document names issuer " + issuer);

        final AuthException down = assertThrows(AuthException.class,
            () -> validator.validate(rsaToken("https://127.0.0.1:1", "rsa-1")));
        assertTrue(down.getMessage().startsWith("could not fetch the JWKS of issuer https://127.0.0.1:1: GET "),
            down.getMessage());
        assertEquals(AuthException.Reason.KEYS_UNAVAILABLE, down.reason());
        assertEquals(401, down.status());
    }

    @Test
    void shouldCacheFiveMinutesAndServeStaleKeysUntilTwoHours() throws Exception
    {
        final TokenValidator validator = validator();
        final String token = rsaToken(issuer, "rsa-1");
        validator.validate(token);
        clock.advanceSeconds(299);
        validator.validate(token);
        assertEquals(1, jwksHits.get());

        clock.advanceSeconds(2);
        validator.validate(rsaToken(issuer, "rsa-1")); // a new token: the one above is in the validated-token cache
        assertEquals(2, jwksHits.get(), "refetched after 5 minutes");

        server.stop(0);
        clock.advanceSeconds(7_000);
        assertEquals("user-42", validator.validate(token).subject(), "stale keys used while the issuer is down");
        clock.advanceSeconds(300);
        final AuthException ex = assertThrows(AuthException.class, () -> validator.validate(token));
        assertTrue(ex.getMessage().startsWith("could not fetch the JWKS of issuer " + issuer), ex.getMessage());
    }

    @Test
    void shouldVerifyAgainstAStaticSourceAndCustomVerifiers() throws Exception
    {
        final StaticJwksSource source = new StaticJwksSource().put("https://static.example", new JWKSet(rsaKey));
        final TokenValidator validator = validator(List.of("https://static.example", "https://other.example"), source);
        assertEquals("user-42", validator.validate(rsaToken("https://static.example", "rsa-1")).subject());
        refused(validator, rsaToken("https://other.example", "rsa-1"), "no JWKS known for issuer https://other.example");

        final TokenValidator custom = new TokenValidator(new AuthContext()
            .clock(clock)
            .jwksSource(source)
            .issuerVerifier("https://custom.example", (jwt, iss) ->
            {
                if (!"rsa-1".equals(jwt.getHeader().getKeyID()))
                {
                    throw new AuthException(AuthException.Reason.BAD_SIGNATURE, "custom says no");
                }
            })
            .conclude(), LocalKeys.generate());
        assertEquals("user-42", custom.validate(rsaToken("https://custom.example", "rsa-1")).subject());
        refused(custom, rsaToken("https://custom.example", "x"), "custom says no");
    }

    @Test
    void shouldRefuseAlgorithmsOtherThanRs256AndEs256ForJwksIssuers() throws Exception
    {
        final ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("ec-384").generate();
        refused(validator(), token(issuer, JWSAlgorithm.ES384, "ec-384", new ECDSASigner(p384)),
            "algorithm ES384 is not accepted for issuer " + issuer + " (RS256 or ES256)");
    }

    @Test
    void shouldApplyThePostChecksToExternalTokens() throws Exception
    {
        final JWTClaimsSet expired = new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject("user-42")
            .expirationTime(new java.util.Date((clock.seconds() - 6) * 1000L))
            .build();
        final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), expired);
        jwt.sign(new RSASSASigner(rsaKey));
        refused(validator(), jwt.serialize(), "token expired");

        final JWTClaimsSet wrongIdentity = new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject("user-42")
            .claim("hex_identity", IdentityDerivation.fromClaims("localhost", "user-42").toHex())
            .build();
        final SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
            wrongIdentity);
        forged.sign(new RSASSASigner(rsaKey));
        final AuthException ex = assertThrows(AuthException.class, () -> validator().validate(forged.serialize()));
        assertEquals(AuthException.Reason.INVALID_CLAIMS, ex.reason());
    }
}
