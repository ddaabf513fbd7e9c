package io.scasml.surrogate;

/** Compute precision of the ND4J kernels; inputs and outputs are always {@code double}. */
public enum Precision {
    /** FP64 GEMMs and element-wise work. */
    FP64,
    /** FP32 GEMMs and storage of hidden quantities; per-row activations and outputs in FP64. */
    FP32;

    /**
     * The precision of the commands' surrogate passes when none is given ({@code solve}, the case benchmarks):
     * FP32, because on the paper cases every point's SCaSML estimate moves by less than 1% of its reported standard
     * error (measured with {@code scasml bench precision}, BENCHMARKS.md §10); {@code --precision fp64} reproduces
     * the exact FP64 bits. The library's {@link EvalOptions#DEFAULT} stays FP64.
     */
    public static final String DEFAULT_NAME = "fp32";
}
