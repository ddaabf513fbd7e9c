package io.scasml.surrogate;

/** Compute precision of the ND4J kernels; inputs and outputs are always {@code double}. */
public enum Precision {
    /** FP64 GEMMs and element-wise work. */
    FP64,
    /** FP32 GEMMs and storage of hidden quantities; per-row activations and outputs in FP64. */
    FP32
}
