package io.scasml.spark;

import io.scasml.spark.cli.SolveCommand;
import java.util.Arrays;

/**
 * A child-JVM entry point for tests: {@code SolveMain solve ARGS} runs the solve command alone, under the same error
 * contract as the {@code scasml} command line (the full entry point lives in the cli module, above spark-jobs).
 */
public final class SolveMain {
    private SolveMain() {
    }

    public static void main(String[] args) {
        String[] rest = args.length > 0 && args[0].equals("solve") ? Arrays.copyOfRange(args, 1, args.length) : args;
        System.exit(SolveCommand.run(System.out, System.err, rest));
    }
}
