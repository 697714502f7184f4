package app.connections.auth;

import app.connections.ids.WorkspaceId;
import app.connections.ids.AccountId;
import app.connections.platform.NotSignedIn;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@link Principal} from the claims the JWT authorizer placed on the request. The route
 * decides which pool's authorizer ran, so the route also decides which kind of principal to read;
 * a token lacking the claims that kind needs is refused, never guessed at.
 */
public final class Principals {
    private static final String RESERVED_ACCOUNT_ID = "oauth-apps";

    private Principals() {
    }

    /** A builder-pool user: {@code sub}, {@code custom:account_id}, {@code custom:account_role}, {@code custom:workspace_roles}. */
    public static BuilderUser builderUser(Map<String, String> claims) {
        String sub = requireClaim(claims, "sub");
        String accountId = requireAccountId(claims);
        AccountRole role = switch (requireClaim(claims, "custom:account_role").toLowerCase(Locale.ROOT)) {
            case "admin" -> AccountRole.ADMIN;
            case "member" -> AccountRole.MEMBER;
            default -> throw new NotSignedIn("token carries an unknown account role");
        };
        return new BuilderUser(sub, accountId, role, parseWorkspaceRoles(claims.getOrDefault("custom:workspace_roles", "")));
    }

    /** A portal-pool client: {@code sub}, {@code custom:account_id}, {@code custom:workspace_id}. */
    public static PortalClient portalClient(Map<String, String> claims) {
        if (claims.containsKey("custom:account_role")) {
            throw new NotSignedIn("token is not a portal token");
        }
        return new PortalClient(requireClaim(claims, "sub"), requireAccountId(claims),
                requireId(claims, "custom:workspace_id", WorkspaceId::parse));
    }

    /** Parses {@code "<workspaceId>:<role>,…"}; a malformed entry makes the whole token unusable. */
    static Map<String, WorkspaceRole> parseWorkspaceRoles(String value) {
        Map<String, WorkspaceRole> roles = new HashMap<>();
        if (value == null || value.isBlank()) {
            return roles;
        }
        for (String entry : value.split(",")) {
            String[] parts = entry.strip().split(":", -1);
            if (parts.length != 2 || WorkspaceId.parse(parts[0]).isEmpty()) {
                throw new NotSignedIn("token carries malformed workspace roles");
            }
            WorkspaceRole role = switch (parts[1].toLowerCase(Locale.ROOT)) {
                case "admin" -> WorkspaceRole.ADMIN;
                case "editor" -> WorkspaceRole.EDITOR;
                default -> throw new NotSignedIn("token carries an unknown workspace role");
            };
            roles.merge(parts[0], role, (a, b) -> a == WorkspaceRole.ADMIN || b == WorkspaceRole.ADMIN ? WorkspaceRole.ADMIN : a);
        }
        return roles;
    }

    private static String requireClaim(Map<String, String> claims, String name) {
        String value = claims == null ? null : claims.get(name);
        if (value == null || value.isBlank()) {
            throw new NotSignedIn("token lacks the " + name + " claim");
        }
        return value;
    }

    /**
     * An account id; {@code oauth-apps} is reserved: secrets are named {@code <prefix>/<accountId>/…}
     * and our OAuth client registrations live under {@code <prefix>/oauth-apps/…}.
     */
    private static String requireAccountId(Map<String, String> claims) {
        String accountId = requireId(claims, "custom:account_id", AccountId::parse);
        if (accountId.equals(RESERVED_ACCOUNT_ID)) {
            throw new NotSignedIn("token carries a reserved custom:account_id");
        }
        return accountId;
    }

    private static String requireId(Map<String, String> claims, String name,
                                    java.util.function.Function<String, java.util.Optional<?>> rule) {
        String value = requireClaim(claims, name);
        if (rule.apply(value).isEmpty()) {
            throw new NotSignedIn("token carries a malformed " + name + " claim");
        }
        return value;
    }
}
