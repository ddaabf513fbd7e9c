package io.scasml.spark.job;

import java.io.Serializable;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Test hook: makes the first attempt (of the first stage attempt) of every {@code every}-th task of the simulation
 * stage fail, either by throwing
 * ({@code throw}) or by killing its executor JVM ({@code halt}; ignored in the driver JVM, i.e. in local mode).
 * Retries (attempt ≥ 1) run normally, so a fault-tolerant job still completes with identical results.
 * Set with the hidden {@code solve --inject-failures EVERY[:throw|halt]}.
 */
public final class FaultInjection implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No injected failures. */
    public static final FaultInjection NONE = new FaultInjection(0, false);

    private final int every;
    private final boolean halt;

    private FaultInjection(int every, boolean halt) {
        this.every = every;
        this.halt = halt;
    }

    /**
     * Parses {@code EVERY[:throw|halt]}.
     *
     * @throws UserError on a malformed value
     */
    public static FaultInjection parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        String[] p = spec.trim().split(":");
        try {
            int every = Integer.parseInt(p[0]);
            boolean halt = p.length > 1 && p[1].equals("halt");
            if (every < 0 || p.length > 2 || (p.length == 2 && !halt && !p[1].equals("throw"))) {
                throw new NumberFormatException();
            }
            return new FaultInjection(every, halt);
        } catch (NumberFormatException e) {
            throw new UserError("inject-failures: '" + spec + "' is not EVERY[:throw|halt] with EVERY >= 0");
        }
    }

    /** Whether any failure is injected. */
    public boolean active() {
        return every > 0;
    }

    @Override
    public String toString() {
        return every == 0 ? "none" : every + ":" + (halt ? "halt" : "throw");
    }

    /** Called at the start of each simulation task. */
    public void maybeFail() {
        if (every == 0) {
            return;
        }
        TaskContext tc = TaskContext.get();
        if (tc == null || tc.stageAttemptNumber() != 0 || tc.attemptNumber() != 0 || tc.partitionId() % every != 0) {
            return;
        }
        if (halt && !"driver".equals(SparkEnv.get().executorId())) {
            System.err.println("scasml: injected failure: halting executor " + SparkEnv.get().executorId()
                + " in task " + tc.partitionId());
            Runtime.getRuntime().halt(86);
        }
        throw new IllegalStateException("scasml: injected failure in the first attempt of task " + tc.partitionId());
    }
}
