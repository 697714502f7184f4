package app.connections.connection.http;

import app.connections.connection.Connection;

/**
 * What a browser may see of a connection. Never a secret, a fingerprint, the external identity (the
 * dedupe key) or the secret's ARN; the external account's display value ({@code externalAccount},
 * absent when the app names no account) tells two accounts of one app apart.
 */
public record PublicConnection(String id, String app, String label, String kind, String status, String scope,
                               String workspaceId, String accountId, String externalAccount, String createdAt,
                               String updatedAt, String createdBy) {
    public static PublicConnection of(Connection c) {
        return new PublicConnection(c.id(), c.app(), c.label(), c.credentialKind().name(), c.status().name(),
                c.scope().name(), c.workspaceId().orElse(null), c.accountId(), c.externalAccount().orElse(null),
                c.createdAt().toString(), c.updatedAt().toString(), c.createdBy());
    }
}
