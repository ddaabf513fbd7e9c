package io.scasml.spark.job;

import io.scasml.kernels.picard.PicardEstimator;
import io.scasml.kernels.picard.RoundExecutor;
import io.scasml.kernels.picard.RunOptions;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything an executor needs to run work units, broadcast once per job: the engine options, the PDE and the
 * surrogate in their shippable forms, and the test-only fault injection. Each JVM builds its
 * {@link PicardEstimator} once from it ({@link #estimator()}).
 */
public final class RunDescription implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, PicardEstimator> ESTIMATORS = new LinkedHashMap<>();

    private final RunOptions options;
    private final PdeSource pde;
    private final SurrogateSource surrogate;
    private final FaultInjection faults;

    public RunDescription(RunOptions options, PdeSource pde, SurrogateSource surrogate, FaultInjection faults) {
        this.options = options;
        this.pde = pde;
        this.surrogate = surrogate;
        this.faults = faults;
    }

    public RunOptions options() {
        return options;
    }

    public PdeSource pde() {
        return pde;
    }

    /** May be null (method mlp). */
    public SurrogateSource surrogate() {
        return surrogate;
    }

    public FaultInjection faults() {
        return faults;
    }

    /** Identifies the estimator this description builds (same key, same estimator, same bits). */
    public String fingerprint() {
        return pde.key() + "|" + (surrogate == null ? "-" : surrogate.key()) + "|" + options;
    }

    /** The same run with other engine options (the compute planner's choice). */
    public RunDescription withOptions(RunOptions o) {
        return new RunDescription(o, pde, surrogate, faults);
    }

    /**
     * The estimator of a role of the adaptive driver, built once per JVM: {@link RoundExecutor.Role#MAIN} is
     * {@link #estimator()}, the others are built from {@link RoundExecutor.Role#options} (the companion and the
     * guard's pilots), as {@link io.scasml.kernels.picard.AdaptiveDriver} builds them.
     */
    public PicardEstimator estimator(RoundExecutor.Role role) {
        if (role == RoundExecutor.Role.MAIN) {
            return estimator();
        }
        RunOptions o = role.options(options);
        return cached(fingerprint() + "|" + role, () -> PicardEstimator.create(pde.pde(),
            role.usesSurrogate() && surrogate != null ? surrogate.materialize() : null, o));
    }

    private static PicardEstimator cached(String key, java.util.function.Supplier<PicardEstimator> make) {
        synchronized (ESTIMATORS) {
            PicardEstimator e = ESTIMATORS.get(key);
            if (e == null) {
                e = make.get();
                if (ESTIMATORS.size() >= 4) {
                    ESTIMATORS.remove(ESTIMATORS.keySet().iterator().next());
                }
                ESTIMATORS.put(key, e);
            }
            return e;
        }
    }

    /**
     * The estimator, built once per JVM and shared by its tasks ({@link PicardEstimator#run} is thread-safe).
     *
     * @throws IllegalArgumentException from {@link PicardEstimator#create}
     */
    public PicardEstimator estimator() {
        return cached(fingerprint(), () -> PicardEstimator.create(pde.pde(),
            surrogate == null ? null : surrogate.materialize(), options));
    }
}
