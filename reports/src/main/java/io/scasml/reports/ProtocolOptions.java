package io.scasml.reports;

import picocli.CommandLine.Option;

/**
 * The reference protocol's options (1200 test points, n = 2, M = 10, seed 1), shared as a picocli mixin by every
 * benchmark that runs it ({@code bench paper}, {@code bench table}, {@code bench spark}).
 */
public final class ProtocolOptions {
    @Option(names = "--points", defaultValue = "1200",
        description = "Test points, 1/6 of them on the boundary (default: ${DEFAULT-VALUE} = 1000 + 200).")
    public int points;

    @Option(names = "--levels", defaultValue = "2", description = "Picard level n (default: ${DEFAULT-VALUE}).")
    public int levels;

    @Option(names = "--base", defaultValue = "10", description = "Monte Carlo base M (default: ${DEFAULT-VALUE}).")
    public int base;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the points and streams; bench table: the"
        + " first seed S, seed k uses S + k (default: ${DEFAULT-VALUE}).")
    public long seed;
}
