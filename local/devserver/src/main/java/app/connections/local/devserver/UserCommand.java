package app.connections.local.devserver;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.StackDescription;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code bin/user}: users of any role in the running dev stack's user pools, made as the seed makes
 * its users (the pools' custom attributes, the local dev password), so {@code bin/token} serves them.
 * <pre>
 * bin/user add EMAIL --account ACCT [--account-role admin|member] [--workspace WS --role admin|editor]...
 * bin/user add EMAIL --account ACCT --portal WS
 * bin/user list
 * </pre>
 * A workspace named that the account does not have yet is added to it (named after its id).
 */
public final class UserCommand {
    static final String USAGE = """
            usage: bin/user add EMAIL --account ACCOUNT [--account-role admin|member] [--workspace WS --role admin|editor]...
                   bin/user add EMAIL --account ACCOUNT --portal WS     (a client portal user of workspace WS)
                   bin/user list
            Builder users are account members unless --account-role admin; a workspace role is admin or editor.""";
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private UserCommand() {
    }

    /** A user to add: its pool's logical id, its custom attributes, and the workspaces it needs. */
    record NewUser(String email, String pool, Map<String, String> attributes, String accountId, List<String> workspaces,
                   String summary) {
    }

    /** Thrown for a command line that does not say what to add. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("list")) {
            list(LocalCommands.runningStack());
            return;
        }
        NewUser user;
        try {
            user = parse(List.of(args));
        } catch (UsageException e) {
            throw LocalCommands.exit(2, e.getMessage() + "\n" + USAGE);
        }
        StackDescription stack = LocalCommands.runningStack();
        try {
            var registry = new DynamoWorkspaceRegistry(stack.clients().dynamo(), stack.table());
            for (String ws : user.workspaces()) {
                if (registry.find(user.accountId(), ws).isEmpty()) {
                    registry.put(new Workspace(ws, user.accountId(), ws));
                    System.out.println("workspace " + ws + " added to account " + user.accountId() + " (it had none by that id)");
                }
            }
            new CognitoUsers(stack).ensure(user.pool(), user.email(), user.attributes(), Seed.load().password());
        } catch (SdkException e) {
            throw LocalCommands.fail("the local stack at " + stack.endpoint() + " failed: " + e.getMessage());
        }
        System.out.println("added " + user.email() + " to " + user.pool() + ": " + user.summary());
        System.out.println("its token: TOKEN=$(bin/token " + user.email() + ")");
    }

    static NewUser parse(List<String> args) {
        if (args.size() < 2 || !args.get(0).equals("add")) {
            throw new UsageException(args.isEmpty() ? "say what to do" : "unknown command: " + String.join(" ", args));
        }
        String email = args.get(1);
        if (!email.matches("^[^@\\s]+@[^@\\s]+$")) {
            throw new UsageException("not an email address: " + email);
        }
        String account = null;
        String accountRole = "member";
        String portal = null;
        Map<String, String> workspaceRoles = new LinkedHashMap<>();
        String pendingWorkspace = null;
        for (int i = 2; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new UsageException(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--account" -> account = id(option, value);
                case "--account-role" -> accountRole = oneOf(option, value, "admin", "member");
                case "--portal" -> portal = id(option, value);
                case "--workspace" -> {
                    if (pendingWorkspace != null) {
                        throw new UsageException("--workspace " + pendingWorkspace + " needs a --role admin|editor after it");
                    }
                    pendingWorkspace = id(option, value);
                }
                case "--role" -> {
                    if (pendingWorkspace == null) {
                        throw new UsageException("--role " + value + " must follow a --workspace");
                    }
                    workspaceRoles.put(pendingWorkspace, oneOf(option, value, "admin", "editor"));
                    pendingWorkspace = null;
                }
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (pendingWorkspace != null) {
            throw new UsageException("--workspace " + pendingWorkspace + " needs a --role admin|editor after it");
        }
        if (account == null) {
            throw new UsageException("--account is required");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("custom:account_id", account);
        if (portal != null) {
            if (!workspaceRoles.isEmpty() || !accountRole.equals("member")) {
                throw new UsageException("a portal user (--portal) has no --account-role or --workspace roles");
            }
            attributes.put("custom:workspace_id", portal);
            return new NewUser(email, "PortalUserPool", attributes, account, List.of(portal),
                    "client portal user of workspace " + portal + " in account " + account);
        }
        attributes.put("custom:account_role", accountRole);
        List<String> entries = new ArrayList<>();
        workspaceRoles.forEach((ws, role) -> entries.add(ws + ":" + role));
        attributes.put("custom:workspace_roles", String.join(",", entries));
        return new NewUser(email, "BuilderUserPool", attributes, account, List.copyOf(workspaceRoles.keySet()),
                "account " + account + " " + accountRole + (entries.isEmpty() ? "" : ", workspaces " + String.join(", ", entries)));
    }

    private static void list(StackDescription stack) {
        var cognito = stack.clients().cognito();
        stack.userPools().forEach((logicalId, pool) -> {
            System.out.println(logicalId + ":");
            cognito.listUsersPaginator(b -> b.userPoolId(pool.userPoolId())).users().forEach(u -> {
                Map<String, String> attrs = new LinkedHashMap<>();
                u.attributes().stream().filter(a -> a.name().startsWith("custom:") || a.name().equals("email"))
                        .forEach(a -> attrs.put(a.name(), a.value()));
                String email = attrs.remove("email");
                System.out.println("  " + (email == null ? u.username() : email) + "  " + attrs);
            });
        });
    }

    private static String id(String option, String value) {
        if (!ID.matcher(value).matches()) {
            throw new UsageException(option + " " + value + ": ids are 1 to 64 letters, digits, '-' or '_'");
        }
        return value;
    }

    private static String oneOf(String option, String value, String... allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(v)) {
            throw new UsageException(option + " " + value + ": one of " + String.join(", ", allowed));
        }
        return v;
    }
}
