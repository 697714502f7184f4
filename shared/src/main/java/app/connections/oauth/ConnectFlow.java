package app.connections.oauth;

import app.connections.auth.BuilderUser;
import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.catalog.OAuth2Spec;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionAccess;
import app.connections.connection.ConnectionEvents;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.catalog.CredentialKind;
import app.connections.connection.IdentityKey;
import app.connections.connection.Labels;
import app.connections.connection.Scope;
import app.connections.vault.SecretRef;
import app.connections.connection.Target;
import app.connections.connection.RefreshTiming;
import app.connections.platform.StaleVersion;
import app.connections.connection.VersionedWrites;
import app.connections.connection.TokenSchedule;
import app.connections.events.ConnectionEvent;
import app.connections.platform.InvalidField;
import app.connections.platform.NotVisible;
import app.connections.connection.lifecycle.Reauthorizations;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OAuth 2.0 connect flow: a connect session, the popup's start (state, PKCE, a PENDING
 * connection), and the callback (state checked and used up before anything else, issuer checked,
 * code exchanged, identity read, tokens stored, the same external account deduplicated).
 */
public final class ConnectFlow {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConnectFlow.class);
    public static final Duration SESSION_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern ERROR_CODE = Pattern.compile("^[a-z_]{1,40}$");

    private final ConnectSessionStore sessions;
    private final ConnectionStore connections;
    private final ConnectionAccess access;
    private final AppCatalog catalog;
    private final OAuthClients clients;
    private final TokenEndpoint tokenEndpoint;
    private final IdentityReader identities;
    private final Vault vault;
    private final Reauthorizations reauthorizations;
    private final Clock clock;
    private final URI redirectUri;
    private final int recoveryWindowDays;
    private final RefreshTiming timing;
    private final CodeSeal codes;

    public ConnectFlow(ConnectSessionStore sessions, ConnectionStore connections, ConnectionAccess access, AppCatalog catalog,
                       OAuthClients clients, TokenEndpoint tokenEndpoint, IdentityReader identities, Vault vault,
                       Reauthorizations reauthorizations, Clock clock, URI redirectUri,
                       int recoveryWindowDays, RefreshTiming timing, CodeSeal codes) {
        this.timing = timing;
        this.codes = codes;
        this.sessions = sessions;
        this.connections = connections;
        this.access = access;
        this.catalog = catalog;
        this.clients = clients;
        this.tokenEndpoint = tokenEndpoint;
        this.identities = identities;
        this.vault = vault;
        this.reauthorizations = reauthorizations;
        this.clock = clock;
        this.redirectUri = redirectUri;
        this.recoveryWindowDays = recoveryWindowDays;
    }

    /** A session for "Connect New Account" (workspace or account admins). */
    public ConnectSession createSession(BuilderUser caller, Target target, NewConnectSession request) {
        String accountId = access.requireAdmin(caller, target);
        Optional<String> reconnect = Optional.ofNullable(request.reconnectConnectionId());
        if (reconnect.isPresent()) {
            try {
                access.visible(caller, target, reconnect.get());
            } catch (NotVisible e) {
                throw new InvalidField("reconnectConnectionId", "no such connection here");
            }
        }
        return createSessionAs(accountId, target, caller.userId(), ConnectSession.Opener.BUILDER, request);
    }

    /**
     * A session for a caller whose access to {@code target} was already checked (the builder
     * above, or a portal client in its own workspace); the connection records {@code userId} as
     * the person who authorized it.
     */
    public ConnectSession createSessionAs(String accountId, Target target, String userId, ConnectSession.Opener opener,
                                          NewConnectSession request) {
        App app = catalog.find(request.app()).orElseThrow(() -> new InvalidField("app", "unknown app"));
        if (!app.supports(CredentialKind.OAUTH2)) {
            throw new InvalidField("app", app.name() + " does not connect with OAuth 2.0");
        }
        app = tokenEndpoint.endpoints().resolve(app); // a discovered app's set-up mistakes show here, as a 400 naming them
        Optional<String> label = Optional.ofNullable(request.label()).map(Labels::require);
        Map<String, String> fields = app.validateFields(request.fields(), CredentialKind.OAUTH2);
        Optional<String> reconnect = Optional.ofNullable(request.reconnectConnectionId());
        if (reconnect.isPresent()) {
            Connection existing = connections.find(reconnect.get()).filter(c -> c.accountId().equals(accountId)
                            && c.scope() == target.scope() && c.scopeOwner().equals(target.ownerId()))
                    .orElseThrow(() -> new InvalidField("reconnectConnectionId", "no such connection here"));
            if (!existing.app().equals(app.key()) || existing.credentialKind() != CredentialKind.OAUTH2
                    || existing.status() == ConnectionStatus.REVOKED) {
                throw new InvalidField("reconnectConnectionId", "that connection cannot be reconnected with " + app.name());
            }
        }
        Instant now = clock.instant();
        ConnectSession session = new ConnectSession(Pkce.randomToken(), accountId,
                target.scope() == Scope.WORKSPACE ? Optional.of(target.ownerId()) : Optional.empty(),
                target.scope(), app.key(), label, fields, reconnect, userId, opener, Optional.ofNullable(request.nonce()), now,
                now.plus(SESSION_LIFETIME), ConnectSessionStatus.CREATED, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0);
        sessions.create(session);
        return session;
    }

    /** The session's app with its endpoints resolved (a discovered app: from its issuer's metadata). */
    private App resolvedApp(String key) {
        App app = catalog.find(key).orElseThrow(() -> new OAuthFlowException("app_not_configured", "unknown app", null));
        try {
            return tokenEndpoint.endpoints().resolve(app);
        } catch (InvalidField e) {
            throw new OAuthFlowException("app_misconfigured", e.getMessage(), null);
        } catch (app.connections.platform.ProviderUnreachable e) {
            throw new OAuthFlowException("provider_unreachable", app.name() + " could not be reached; try again", null);
        }
    }

    /** Where the popup goes first: our start route on the same origin as the callback. */
    public URI startUrl(ConnectSession session) {
        return redirectUri.resolve("/oauth/start?session=" + session.id());
    }

    /**
     * The popup's first navigation: uses the session up, records a PENDING connection, and returns
     * the provider's authorization URL with state and PKCE.
     */
    public URI start(String sessionId) {
        Instant now = clock.instant();
        ConnectSession session = Optional.ofNullable(sessionId).filter(id -> id.length() <= 64).flatMap(sessions::find)
                .orElseThrow(() -> new OAuthFlowException("invalid_session", "unknown connect session", null));
        if (session.expiredAt(now)) {
            throw new OAuthFlowException("session_expired", "the connect session expired; start again", null);
        }
        if (session.status() != ConnectSessionStatus.CREATED) {
            throw new OAuthFlowException("session_used", "the connect session was already used; start again", null);
        }
        App app = resolvedApp(session.app());
        OAuthClient client = clients.find(app.key())
                .orElseThrow(() -> new OAuthFlowException("app_not_configured", app.name() + " is not set up for OAuth here", null));
        String verifier = Pkce.randomToken();
        String state = Pkce.randomToken();
        String pendingId = UUID.randomUUID().toString();
        Connection pending = Connection.create(pendingId, session.accountId(), session.workspaceId(), session.scope(),
                app.key(), session.label().orElse(app.name()), CredentialKind.OAUTH2, ConnectionStatus.PENDING,
                session.fields(), session.userId(), now);
        connections.create(pending);
        if (!sessions.update(session.started(verifier, pendingId))) {
            connections.deletePending(pendingId);
            throw new OAuthFlowException("session_used", "the connect session was already used; start again", null);
        }
        sessions.putState(state, session.id(), session.expiresAt());
        return authorizationUrl(app, client, state, verifier, session.fields());
    }

    URI authorizationUrl(App app, OAuthClient client, String state, String verifier, Map<String, String> fields) {
        OAuth2Spec spec = app.oauth2();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.clientId());
        params.put("redirect_uri", redirectUri.toString());
        if (!spec.scopes().isEmpty()) {
            params.put(spec.scopeParam(), String.join(spec.scopeSeparator(), spec.scopes()));
        }
        params.put("state", state);
        if (spec.pkce()) {
            params.put("code_challenge", Pkce.challenge(verifier));
            params.put("code_challenge_method", "S256");
        }
        params.putAll(spec.extraAuthorizationParams());
        params.putAll(spec.consentParams()); // the consent screen every time, where the provider can be told so
        URI base = app.expand(spec.authorizationUrl(), fields);
        String query = params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return URI.create(base + (base.getRawQuery() == null ? "?" : "&") + query);
    }

    /**
     * The provider's redirect back: checks the state (ours, unused, unexpired), the provider's error and
     * the issuer (RFC 9207), then seals the authorization code with the session and answers a one-time
     * completion code for the popup to hand to its opener. No token request is made here: a provider
     * that skips its consent screen may be sending back someone else's account (docs/security.md).
     */
    public CallbackResult callback(Map<String, String> params) {
        Instant now = clock.instant();
        String state = params.get("state");
        Optional<ConnectSession> found = state == null || state.isBlank() || state.length() > 128 ? Optional.empty()
                : sessions.consumeState(state, now).flatMap(sessions::find);
        if (found.isEmpty() || found.get().status() != ConnectSessionStatus.STARTED) {
            return new CallbackResult.Failed("invalid_state");
        }
        ConnectSession session = found.get();
        try {
            String code = authorizationCode(session, params, now);
            String completionCode = Pkce.randomToken();
            if (!sessions.update(session.authorized(codes.seal(session.id(), code), CompletionCodes.hash(completionCode)))) {
                throw new OAuthFlowException("session_used", "the connect session was already used; start again", null);
            }
            return new CallbackResult.Authorized(session.id(), completionCode, session.nonce());
        } catch (OAuthFlowException e) {
            abandon(session);
            return new CallbackResult.Failed(e.code());
        } catch (RuntimeException e) {
            // our storage or KMS failed: the popup still reports back, nothing is left half-made
            LOG.error("OAuth callback of session {} ({}) failed: {}", session.id(), session.app(), e.toString());
            abandon(session);
            return new CallbackResult.Failed("internal_error");
        }
    }

    /** Who completes a connect session: the signed-in caller of the page, from its own token. */
    public record Completer(String accountId, String userId, ConnectSession.Opener opener) {
    }

    /**
     * The opener's signed-in page completes the flow with the completion code the popup posted to it.
     * Only the person who created the session, signed in on the same kind of page, through the same
     * workspace or account, may; anyone else is answered as if the session did not exist. Only then is
     * the code exchanged (with the session's PKCE verifier) and the tokens stored.
     */
    public CallbackResult complete(Completer who, Target target, String sessionId, String completionCode) {
        Instant now = clock.instant();
        ConnectSession session = Optional.ofNullable(sessionId).filter(id -> id.length() <= 64).flatMap(sessions::find)
                .filter(s -> s.accountId().equals(who.accountId()) && s.userId().equals(who.userId())
                        && s.opener() == who.opener() && s.scope() == target.scope() && s.scopeOwner().equals(target.ownerId()))
                .orElseThrow(() -> new NotVisible("connect session"));
        if (session.status() != ConnectSessionStatus.AUTHORIZED) {
            return new CallbackResult.Failed(session.status() == ConnectSessionStatus.STARTED ? "not_authorized_yet" : "session_used");
        }
        if (!CompletionCodes.matches(completionCode, session.completionHash().orElseThrow())) {
            LOG.warn("connect session {} ({}) was presented a wrong completion code: ended", session.id(), session.app());
            abandon(session);
            return new CallbackResult.Failed("invalid_completion_code");
        }
        if (session.expiredAt(now)) {
            abandon(session);
            return new CallbackResult.Failed("session_expired");
        }
        ConnectSession completing = session.completing();
        if (!sessions.update(completing)) {
            return new CallbackResult.Failed("session_used");
        }
        completing = completing.withVersion(session.version() + 1);
        String connectionId;
        try {
            connectionId = exchange(completing, codes.open(session.id(), session.sealedCode().orElseThrow()), now);
        } catch (OAuthFlowException e) {
            abandon(completing);
            return new CallbackResult.Failed(e.code());
        } catch (RuntimeException e) {
            LOG.error("completing OAuth session {} ({}) failed: {}", session.id(), session.app(), e.toString());
            abandon(completing);
            return new CallbackResult.Failed("internal_error");
        }
        try {
            sessions.update(completing.ended(ConnectSessionStatus.COMPLETED));
        } catch (RuntimeException e) {
            // the connection is made; the session cannot be completed twice (it is no longer AUTHORIZED)
            LOG.warn("OAuth session {} connected {} but could not be marked completed: {}", session.id(), connectionId, e.toString());
        }
        return new CallbackResult.Connected(connectionId, connectionId.equals(session.pendingConnectionId().orElse(null)));
    }

    /** A failed callback: the PENDING record removed, the session ended; each step tried even if another fails. */
    private void abandon(ConnectSession session) {
        try {
            session.pendingConnectionId().ifPresent(connections::deletePending);
        } catch (RuntimeException e) {
            LOG.error("the PENDING connection of OAuth session {} could not be removed (it expires in a day): {}", session.id(),
                    e.toString());
        }
        try {
            sessions.update(session.ended(ConnectSessionStatus.FAILED));
        } catch (RuntimeException e) {
            LOG.error("OAuth session {} could not be marked failed (its state is used up already): {}", session.id(), e.toString());
        }
    }

    /** The authorization code of a callback that passed every check (provider error, expiry, issuer, code present). */
    private String authorizationCode(ConnectSession session, Map<String, String> params, Instant now) {
        String error = params.get("error");
        if (error != null) {
            throw new OAuthFlowException(ERROR_CODE.matcher(error).matches() ? error : "provider_error", "the provider refused", null);
        }
        if (session.expiredAt(now)) {
            throw new OAuthFlowException("session_expired", "the connect session expired", null);
        }
        App app = resolvedApp(session.app());
        String expectedIssuer = app.oauth2().issuer();
        String iss = params.get("iss");
        if (iss == null && app.oauth2().sendsIssuer()) {
            throw new OAuthFlowException("issuer_missing", "the authorization response did not name its issuer (RFC 9207)", null);
        }
        if (iss != null && expectedIssuer != null && !iss.equals(expectedIssuer)) {
            throw new OAuthFlowException("issuer_mismatch", "the authorization response came from another issuer", null);
        }
        String code = params.get("code");
        if (code == null || code.isBlank() || code.length() > 4096) {
            throw new OAuthFlowException("invalid_request", "the provider sent no authorization code", null);
        }
        return code;
    }

    /** The code exchanged (PKCE), the external account read, the tokens stored on the right connection. */
    private String exchange(ConnectSession session, String code, Instant now) {
        App app = resolvedApp(session.app());
        OAuthClient client = clients.find(app.key())
                .orElseThrow(() -> new OAuthFlowException("app_not_configured", app.name() + " is not set up for OAuth here", null));
        TokenEndpoint.Exchange exchange = tokenEndpoint.exchangeCode(app, client, code, redirectUri.toString(),
                app.oauth2().pkce() ? session.codeVerifier() : Optional.empty(), session.fields(), now);
        IdentityReader.Account account = identities.readAccount(app, exchange, session.fields());
        return connect(session, app, exchange.tokens(), account, now);
    }

    /** Stores the tokens on the right connection: the reconnected one, the one already holding this account, or the new one. */
    private String connect(ConnectSession session, App app, OAuthTokens tokens, IdentityReader.Account account, Instant now) {
        String identity = account.identity();
        IdentityKey key = IdentityKey.of(session.accountId(), session.scope(), session.scopeOwner(), app.key(), identity);
        Optional<String> holder = connections.holderOf(key);
        if (session.reconnectConnectionId().isPresent()) {
            String target = session.reconnectConnectionId().get();
            Connection existing = connections.find(target).orElseThrow(() ->
                    new OAuthFlowException("identity_mismatch", "the connection to reconnect is gone", null));
            boolean sameAccount = holder.map(target::equals).orElse(true)
                    && existing.externalIdentity().map(identity::equals).orElse(true);
            if (!sameAccount) {
                throw new OAuthFlowException("identity_mismatch", "a different account was authorized than the one to reconnect", null);
            }
            if (existing.status() == ConnectionStatus.REVOKED) {
                throw new OAuthFlowException("connection_revoked", "the connection was revoked meanwhile", null);
            }
            return reauthorize(target, session, tokens, account, key, holder.isEmpty(), now);
        }
        if (holder.isPresent()) {
            return reauthorize(holder.get(), session, tokens, account, key, false, now);
        }
        String pendingId = session.pendingConnectionId().orElseThrow();
        Connection pending = connections.find(pendingId).filter(c -> c.status() == ConnectionStatus.PENDING)
                .orElseThrow(() -> new OAuthFlowException("session_expired", "the pending connection is gone", null));
        SecretRef secret = vault.create(owner(pending), tokens.credential());
        ConnectionStore.IdentityClaim claim;
        try {
            Connection authorized = pending.authorized(identity, account.display(), session.userId(), secret,
                    schedule(tokens, now), now);
            claim = connections.updateClaiming(authorized, key,
                    List.of(ConnectionEvents.of(ConnectionEvent.CREATED, authorized, "authorized", now)));
        } catch (RuntimeException e) {
            discardUnlessReferenced(pendingId, secret);
            throw e;
        }
        return switch (claim) {
            case ConnectionStore.IdentityClaim.Claimed claimed -> claimed.connection().id();
            case ConnectionStore.IdentityClaim.HeldBy held -> {
                vault.scheduleDeletion(secret, recoveryWindowDays);
                yield reauthorize(held.connectionId(), session, tokens, account, key, false, now);
            }
        };
    }

    /** The tokens of a connection that was not saved go (into the recovery window), unless a lost answer saved it after all. */
    private void discardUnlessReferenced(String connectionId, SecretRef secret) {
        try {
            boolean saved = connections.find(connectionId).flatMap(Connection::secretRef).filter(secret::equals).isPresent();
            if (!saved) {
                vault.scheduleDeletion(secret, recoveryWindowDays);
            }
        } catch (RuntimeException e) {
            LOG.error("the tokens of an unsaved connection {} could not be discarded: {}", connectionId, e.toString());
        }
    }

    /** New tokens on an existing connection (a new secret version), ACTIVE again, authorized by this person. */
    private String reauthorize(String connectionId, ConnectSession session, OAuthTokens tokens, IdentityReader.Account account,
                               IdentityKey key, boolean claim, Instant now) {
        session.pendingConnectionId().filter(id -> !id.equals(connectionId)).ifPresent(connections::deletePending);
        boolean[] claiming = {claim};
        try {
            return VersionedWrites.retryOnStale(attempt -> {
                Connection existing = connections.find(connectionId).orElseThrow(() ->
                        new OAuthFlowException("identity_mismatch", "the connection holding this account is gone", null));
                SecretRef ref = existing.secretRef().orElseGet(() -> vault.create(owner(existing), tokens.credential()));
                if (existing.secretRef().isPresent()) {
                    vault.putVersion(ref, owner(existing), tokens.credential());
                }
                Connection updated = existing.authorized(account.identity(), account.display(), session.userId(), ref,
                        schedule(tokens, now), now);
                Optional<Reauthorizations.Announcement> announcement = existing.status() == ConnectionStatus.ERROR
                        ? Optional.of(reauthorizations.announcement(updated, now)) : Optional.empty();
                List<ConnectionEvent> events = announcement.map(a -> List.of(a.event())).orElse(List.of());
                Connection stored;
                if (claiming[0]) {
                    switch (connections.updateClaiming(updated, key, events)) {
                        case ConnectionStore.IdentityClaim.Claimed c -> stored = c.connection();
                        case ConnectionStore.IdentityClaim.HeldBy h when h.connectionId().equals(connectionId) -> {
                            // a concurrent reconnect of this same connection claimed the account first: not
                            // another account, just a changed record; read it again and update it
                            claiming[0] = false;
                            throw new StaleVersion("the connection was reconnected meanwhile", null);
                        }
                        case ConnectionStore.IdentityClaim.HeldBy h -> throw new OAuthFlowException("identity_mismatch",
                                "another connection holds this account", null);
                    }
                } else {
                    stored = connections.update(updated, events);
                }
                announcement.ifPresent(reauthorizations::announced);
                return stored.id();
            });
        } catch (StaleVersion e) {
            throw new OAuthFlowException("concurrent_update", "the connection kept changing; try again", e);
        } catch (app.connections.platform.InvalidState e) {
            if ("connection_revoked".equals(e.code())) { // the write's own condition: a revoke landed first
                throw new OAuthFlowException("connection_revoked", "the connection was revoked meanwhile", e);
            }
            throw e;
        }
    }

    /** The tokens' schedule: no {@code expires_in} and no lifetime assumed by the catalog means non-expiring. */
    private TokenSchedule schedule(OAuthTokens tokens, Instant now) {
        return timing.granted(tokens.expiresAt(), tokens.refreshToken().isPresent(), now);
    }

    private static SecretOwner owner(Connection c) {
        return new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
