package app.connections.local.devserver;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.MotoServer;
import app.connections.local.aws.StackDescription;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the command-line helpers (bin/token, bin/user) share: the running stack, and one-line failures. */
final class LocalCommands {
    static final String NOT_RUNNING = "no local stack is running: start it with bin/local";

    private LocalCommands() {
    }

    /** The running dev stack (.local/stack.json whose AWS endpoint answers), or one line and exit 1. */
    static StackDescription runningStack() {
        Path file = LocalAws.projectRoot().resolve(".local/stack.json");
        if (!Files.exists(file)) {
            throw fail(NOT_RUNNING);
        }
        StackDescription stack;
        try {
            stack = StackDescription.read(file);
        } catch (RuntimeException unreadable) {
            throw fail(NOT_RUNNING + " (" + file + " is unreadable)");
        }
        if (stack.endpoint() == null || !MotoServer.answers(stack.endpoint())) {
            throw fail(NOT_RUNNING);
        }
        return stack;
    }

    /** Prints the message to stderr and ends the process with status 1. */
    static RuntimeException fail(String message) {
        return exit(1, message);
    }

    static RuntimeException exit(int status, String message) {
        System.err.println(message);
        System.exit(status);
        return new IllegalStateException(message); // not reached
    }
}
