/**
 * Identity and authentication at the edge: SpacetimeDB identities derived from JWT (iss, sub) with BLAKE3, the
 * instance's ES256 key pair and the tokens it issues, and token validation (local key first, then trusted external
 * issuers through OIDC JWKS or HS256 shared secrets).
 * <pre>
 *   Authorization: Bearer &lt;jwt&gt;
 *        |
 *        v
 *   TokenValidator --(1) local key: ES256 (+ RS256 / HS256 if configured) --&gt; Claims
 *        |--(2) iss == local issuer ---&gt; AuthException "token not signed by this instance"
 *        |--(3) iss not configured ----&gt; AuthException "issuer X is not trusted"
 *        '--(4) IssuerVerifier: HS256 secret | JWKS (JwksSource) | custom --&gt; Claims
 *   post-checks: exp (with skew), iss/sub non-empty and &lt;= 128 bytes, hex_identity == derive(iss, sub)
 * </pre>
 */
package io.lightcone.edge.auth;
