package io.scasml.surrogate;

/**
 * Options of a materialized evaluator.
 *
 * @param precision    compute precision (MLP only; kernel surrogates always compute in FP64)
 * @param maxBatchRows largest number of rows processed in one internal chunk; larger batches are split
 * @param scratchBytes budget of one tangent buffer of the residual pass, in bytes; the residual chunk holds
 *                     {@code min(maxBatchRows, scratchBytes / ((d+3)·width·bytesPerValue))} rows (at least 1)
 */
public record EvalOptions(Precision precision, int maxBatchRows, long scratchBytes) {

    /**
     * FP64, chunks of 4096 rows, 4 MiB tangent buffers: chunks small enough for a layer's GEMM output to be still in
     * cache when the fused pass reads it (per core, the residual pass ran 1.3–1.6× faster than with 64 MiB at d = 20
     * and d = 100, w = 50, FP64, and as fast at d = 1000, w = 128, FP32; BENCHMARKS.md §10).
     */
    public static final EvalOptions DEFAULT = new EvalOptions(Precision.FP64, 4096, 4L << 20);

    /** Validates. */
    public EvalOptions {
        if (precision == null) {
            throw new IllegalArgumentException("precision must not be null");
        }
        if (maxBatchRows < 1) {
            throw new IllegalArgumentException("maxBatchRows must be >= 1, got " + maxBatchRows);
        }
        if (scratchBytes < 1) {
            throw new IllegalArgumentException("scratchBytes must be >= 1, got " + scratchBytes);
        }
    }

    /** The default options with the given precision. */
    public static EvalOptions of(Precision precision) {
        return new EvalOptions(precision, DEFAULT.maxBatchRows, DEFAULT.scratchBytes);
    }

    /** A copy with another chunk size. */
    public EvalOptions withMaxBatchRows(int rows) {
        return new EvalOptions(precision, rows, scratchBytes);
    }

    /** A copy with another tangent-buffer budget. */
    public EvalOptions withScratchBytes(long bytes) {
        return new EvalOptions(precision, maxBatchRows, bytes);
    }
}
