package app.connections.connection;

import java.util.List;
import java.util.Optional;

/** One page of a list, and the opaque token of the next page when there is one. */
public record Page<T>(List<T> items, Optional<String> nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
