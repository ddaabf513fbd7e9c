package io.scasml.spark.job;

import io.scasml.kernels.picard.QueryPoint;
import java.io.Serializable;

/**
 * One input row as read, before validation: where it came from (for error messages), its optional id, t and x, or
 * the parse error that made it unusable. Plain mutable holder so that Kryo ships it cheaply.
 */
public final class PointRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    /** File (or {@code sample:N}) the row came from. */
    public String source;
    /** 1-based line (text formats) or row (Parquet) within the source. */
    public long line;
    /** Whether the input had an id column. */
    public boolean hasId;
    public long id;
    public double t;
    public double[] x;
    /** Non-null when the row could not be parsed: the message, without the location. */
    public String error;

    public PointRecord() {
    }

    static PointRecord failed(String source, long line, String error) {
        PointRecord r = new PointRecord();
        r.source = source;
        r.line = line;
        r.error = error;
        return r;
    }

    /** "FILE line N" / "FILE row N". */
    public String location() {
        return source + (source.endsWith(".parquet") || source.contains(".parquet/") ? " row " : " line ") + line;
    }

    /** The query point with the given id. */
    public QueryPoint toPoint(long withId) {
        return new QueryPoint(withId, t, x);
    }
}
