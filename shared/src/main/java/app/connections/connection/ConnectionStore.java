package app.connections.connection;

import app.connections.platform.StaleVersion;
import app.connections.catalog.CredentialKind;
import java.util.Optional;
import java.util.Set;

/** Port: where connection records live. Writes are conditional; nothing is overwritten blindly. */
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
    IdentityClaim createClaiming(Connection connection, IdentityKey identity);

    /**
     * Saves a change to a connection (read at its version) together with a new claim on its
     * external identity, atomically; like {@link #createClaiming} when another connection holds it.
     */
    IdentityClaim updateClaiming(Connection connection, IdentityKey identity);

    /** Removes a connection that never left PENDING (a connect flow that ended without one). */
    void deletePending(String connectionId);

    /** The connection currently holding an identity, if any. */
    Optional<String> holderOf(IdentityKey identity);

    /**
     * Saves a change to a connection read at {@code connection.version()}. Fails with {@link StaleVersion} when someone else
     * changed it since. Returns the stored record with its new version.
     */
    Connection update(Connection connection);

    /** Like {@link #update} and, in the same transaction, gives up the identity so a later connect starts afresh. */
    Connection updateReleasing(Connection connection, IdentityKey identity);

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
