package io.scasml.spark.job;

import java.io.Serializable;

/** What the validation pass learns from one partition of the input: counts and its first error in input order. */
public final class PartitionCheck implements Serializable {
    private static final long serialVersionUID = 1L;

    public int partition;
    public long rows;
    public long withId;
    /** "points: FILE line N: message", or null. */
    public String firstError;

    public PartitionCheck() {
    }
}
