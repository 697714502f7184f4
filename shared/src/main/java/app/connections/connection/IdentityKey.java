package app.connections.connection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key under which one external account may hold at most one connection per account, scope
 * owner and app (workspace ids are chosen per account, so the account is always part of it). It
 * is a digest, so stored keys reveal neither the identity nor the fingerprint.
 */
public record IdentityKey(String value) {
    public static IdentityKey of(String accountId, Scope scope, String scopeOwner, String app, String externalIdentity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n",
                    accountId, scope.name(), scopeOwner, app, externalIdentity).getBytes(StandardCharsets.UTF_8));
            return new IdentityKey(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    public static IdentityKey of(Connection connection) {
        return of(connection.accountId(), connection.scope(), connection.scopeOwner(), connection.app(),
                connection.externalIdentity().orElseThrow(() -> new IllegalStateException("connection has no identity")));
    }
}
