package app.connections.connection;

import app.connections.platform.StaleVersion;
import app.connections.catalog.CredentialKind;
import app.connections.events.ConnectionEvent;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Port: where connection records live. Writes are conditional; nothing is overwritten blindly.
 * Every write commits, in one transaction, the events it implies (the outbox, delivered afterwards
 * at least once) and the copies of the connection kept on its grants. No write changes a REVOKED
 * connection (a condition of the write itself): one that finds it REVOKED fails with
 * {@code InvalidState("connection_revoked")}.
 */
public interface ConnectionStore {
    /**
     * Saves a new connection. Fails with {@link StaleVersion} if the
     * id was ever used. Returns the stored record (version 1).
     */
    Connection create(Connection connection);

    /**
     * Saves a new connection together with the claim on its external identity, atomically: of two
     * concurrent creates for the same identity exactly one wins; the other learns who holds it.
     */
    default IdentityClaim createClaiming(Connection connection, IdentityKey identity) {
        return createClaiming(connection, identity, List.of());
    }

    /** As above, committing {@code events} with it when it is claimed. */
    IdentityClaim createClaiming(Connection connection, IdentityKey identity, List<ConnectionEvent> events);

    /**
     * Saves a change to a connection (read at its version) together with a new claim on its
     * external identity, atomically; like {@link #createClaiming} when another connection holds it.
     */
    default IdentityClaim updateClaiming(Connection connection, IdentityKey identity) {
        return updateClaiming(connection, identity, List.of());
    }

    /** As above, committing {@code events} with it when it is claimed. */
    IdentityClaim updateClaiming(Connection connection, IdentityKey identity, List<ConnectionEvent> events);

    /** Removes a connection that never left PENDING (a connect flow that ended without one). */
    void deletePending(String connectionId);

    /** The connection currently holding an identity, if any. */
    Optional<String> holderOf(IdentityKey identity);

    /**
     * Saves a change to a connection read at {@code connection.version()}. Fails with {@link StaleVersion} when someone else
     * changed it since. Returns the stored record with its new version.
     */
    default Connection update(Connection connection) {
        return update(connection, List.of());
    }

    /** As above, committing {@code events} (the outbox) in the same transaction. */
    Connection update(Connection connection, List<ConnectionEvent> events);

    /** Like {@link #update} and, in the same transaction, gives up the identity so a later connect starts afresh. */
    default Connection updateReleasing(Connection connection, IdentityKey identity) {
        return updateReleasing(connection, identity, List.of());
    }

    Connection updateReleasing(Connection connection, IdentityKey identity, List<ConnectionEvent> events);

    /**
     * Saves a connection turned REVOKED (read at its version), in one transaction with its events,
     * the release of its identity (when it has one) and the revocation work still to do (if any).
     */
    Connection revoke(Connection revoked, Optional<IdentityKey> release, List<ConnectionEvent> events,
                      Optional<RevocationWork> work);

    Optional<Connection> find(String connectionId);

    /**
     * One page of the picker of a workspace: its offered connections and the account connections
     * granted to it (their grant copies), for one app when given, of the given kinds (all when empty), sorted by label.
     * Exactly one query per page.
     */
    Page<Connection> picker(String accountId, String workspaceId, Optional<String> app, Set<CredentialKind> kinds,
                            int limit, Optional<String> pageToken);

    /** An account's own (account-scoped) connections that are ACTIVE or ERROR, by app and label. */
    java.util.List<Connection> ofAccount(String accountId);

    /** The OAuth connections a person authorized in a workspace (the client portal), oldest first. */
    java.util.List<Connection> authorizedBy(String accountId, String workspaceId, String userId);

    /** How many shards the {@code due} index is spread over. */
    int dueShards();

    /**
     * Ids of ACTIVE, refreshable OAuth connections of a shard that the scheduled refresher should take
     * up by {@code until} ({@link TokenSchedule#nextSweep()}), the longest waiting first.
     */
    Page<String> due(int shard, java.time.Instant until, int limit, Optional<String> pageToken);

    /** Every connection, one page at a time (a full read, for maintenance tasks only; never a request path). */
    Page<Connection> everyConnection(int limit, Optional<String> pageToken);

    /** Connections in ERROR of a workspace (the banner), oldest first. */
    java.util.List<Connection> needingAttention(String accountId, String workspaceId);

    /** The outcome of {@link #createClaiming}. */
    sealed interface IdentityClaim {
        record Claimed(Connection connection) implements IdentityClaim {
        }

        record HeldBy(String connectionId) implements IdentityClaim {
        }
    }
}
