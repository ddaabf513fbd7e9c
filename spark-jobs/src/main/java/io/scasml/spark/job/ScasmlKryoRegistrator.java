package io.scasml.spark.job;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.scasml.kernels.picard.AdaptiveEstimate;
import io.scasml.kernels.picard.Method;
import io.scasml.kernels.picard.PointEstimate;
import io.scasml.kernels.picard.RoundExecutor;
import io.scasml.kernels.picard.PointAccumulator;
import io.scasml.kernels.picard.PointStatus;
import io.scasml.kernels.picard.QueryPoint;
import io.scasml.kernels.picard.RunOptions;
import io.scasml.kernels.picard.Scheme;
import io.scasml.kernels.picard.TermPartial;
import io.scasml.kernels.picard.UnitKey;
import io.scasml.kernels.stats.Moments;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class the job ships (the job runs with {@code spark.kryo.registrationRequired=true}, so a class
 * missing here fails loudly instead of being written with its full name).
 *
 * <p>Records ({@link QueryPoint}, {@link UnitKey}) get explicit serializers: Kryo's field serializer cannot set the
 * final fields of a Java record. The run description travels once per job inside a broadcast and uses Java
 * serialization (it holds the surrogate's compact form, which is {@link java.io.Serializable}).
 */
public final class ScasmlKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(QueryPoint.class, new QueryPointSerializer());
        kryo.register(QueryPoint[].class);
        kryo.register(UnitKey.class, new UnitKeySerializer());
        kryo.register(TermPartial.class);
        kryo.register(TermPartial[].class);
        kryo.register(Moments.class);
        kryo.register(PointAccumulator.class);
        kryo.register(PointAccumulator[].class);
        kryo.register(Moments[].class);
        kryo.register(PointStatus.class);
        kryo.register(UnitResult.class);
        // adaptive rounds (AdaptiveStages): per-group estimates come back to the driver, round specs go out
        kryo.register(PointEstimate.class, new PointEstimateSerializer());
        kryo.register(PointEstimate[].class);
        kryo.register(RoundExecutor.Role.class);
        kryo.register(AdaptiveStages.RoundSpec.class, new JavaSerializer());
        kryo.register(AdaptiveEstimate.class, new JavaSerializer());
        kryo.register(AdaptiveEstimate.Guard.class, new JavaSerializer());
        kryo.register(boolean[].class);
        kryo.register(int[][].class);
        kryo.register(PointRecord.class);
        kryo.register(PartitionCheck.class);
        kryo.register(RunDescription.class, new JavaSerializer());
        kryo.register(RunOptions.class, new JavaSerializer());
        kryo.register(PdeSource.class, new JavaSerializer());
        kryo.register(SurrogateSource.class, new JavaSerializer());
        kryo.register(FaultInjection.class, new JavaSerializer());
        kryo.register(Method.class);
        kryo.register(Scheme.class);
        kryo.register(double[].class);
        kryo.register(double[][].class);
        kryo.register(long[].class);
        kryo.register(int[].class);
        kryo.register(Object[].class);
        kryo.register(String[].class);
        kryo.register(java.util.ArrayList.class);
        kryo.register(java.util.LinkedHashMap.class);
        kryo.register(java.util.HashMap.class);
        // Spark internals that cross the wire under this job (task results, SQL writes, shuffles).
        for (String name : new String[] {
            "org.apache.spark.sql.catalyst.expressions.GenericRow",
            "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema",
            "org.apache.spark.sql.catalyst.expressions.UnsafeRow",
            "org.apache.spark.sql.catalyst.InternalRow[]",
            "org.apache.spark.sql.catalyst.expressions.UnsafeRow[]",
            "org.apache.spark.sql.execution.datasources.WriteTaskResult",
            "org.apache.spark.sql.execution.datasources.BasicWriteTaskStats",
            "org.apache.spark.sql.execution.datasources.ExecutedWriteSummary",
            "org.apache.spark.internal.io.FileCommitProtocol$TaskCommitMessage",
            "org.apache.spark.sql.types.StructType",
            "org.apache.spark.sql.types.StructType[]",
            "org.apache.spark.sql.types.StructField",
            "org.apache.spark.sql.types.StructField[]",
            "org.apache.spark.sql.types.Metadata",
            "org.apache.spark.sql.types.LongType$",
            "org.apache.spark.sql.types.DoubleType$",
            "org.apache.spark.sql.types.BooleanType$",
            "org.apache.spark.sql.types.StringType",
            "org.apache.spark.sql.types.ArrayType",
            "scala.collection.immutable.Map$EmptyMap$",
            "scala.collection.immutable.Set$EmptySet$",
            "scala.collection.mutable.ArraySeq$ofRef",
            "scala.reflect.ClassTag$GenericClassTag",
            "scala.math.Ordering$Long$",
            "scala.math.Ordering$Reverse",
            "scala.collection.immutable.ArraySeq$ofRef",
            "scala.collection.immutable.Nil$",
            "scala.None$",
            "scala.Some",
            "scala.Tuple2[]",
            "java.lang.Class",
        }) {
            register(kryo, name);
        }
    }

    private static void register(Kryo kryo, String name) {
        try {
            if (name.endsWith("[]")) {
                Class<?> c = Class.forName(name.substring(0, name.length() - 2), false, loader());
                kryo.register(java.lang.reflect.Array.newInstance(c, 0).getClass());
            } else {
                kryo.register(Class.forName(name, false, loader()));
            }
        } catch (ClassNotFoundException e) {
            // Not on this Spark version's classpath: nothing of that class can be shipped either.
        }
    }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : ScasmlKryoRegistrator.class.getClassLoader();
    }

    /** id, t, d, x. */
    static final class QueryPointSerializer extends Serializer<QueryPoint> {
        QueryPointSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, QueryPoint p) {
            out.writeLong(p.id());
            out.writeDouble(p.t());
            out.writeVarInt(p.x().length, true);
            out.writeDoubles(p.x());
        }

        @Override
        public QueryPoint read(Kryo kryo, Input in, Class<QueryPoint> type) {
            long id = in.readLong();
            double t = in.readDouble();
            int d = in.readVarInt(true);
            return new QueryPoint(id, t, in.readDoubles(d));
        }
    }

    /** term, block. */
    static final class UnitKeySerializer extends Serializer<UnitKey> {
        UnitKeySerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, UnitKey k) {
            out.writeVarInt(k.term(), true);
            out.writeVarInt(k.block(), true);
        }

        @Override
        public UnitKey read(Kryo kryo, Input in, Class<UnitKey> type) {
            return new UnitKey(in.readVarInt(true), in.readVarInt(true));
        }
    }

    /** Every field of the record; doubles as their raw IEEE bits (NaN payloads kept). */
    static final class PointEstimateSerializer extends Serializer<PointEstimate> {
        PointEstimateSerializer() {
            setImmutable(true);
        }

        private static void d(Output out, double v) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }

        private static double d(Input in) {
            return Double.longBitsToDouble(in.readLong());
        }

        private static void arr(Output out, double[] a) {
            out.writeVarInt(a == null ? 0 : a.length + 1, true);
            if (a != null) {
                for (double v : a) {
                    d(out, v);
                }
            }
        }

        private static double[] arr(Input in) {
            int n = in.readVarInt(true);
            if (n == 0) {
                return null;
            }
            double[] a = new double[n - 1];
            for (int i = 0; i < a.length; i++) {
                a[i] = d(in);
            }
            return a;
        }

        @Override
        public void write(Kryo kryo, Output out, PointEstimate e) {
            out.writeLong(e.id());
            d(out, e.t());
            arr(out, e.x());
            d(out, e.uSurrogate());
            d(out, e.correction());
            d(out, e.u());
            d(out, e.stdError());
            d(out, e.ciLow());
            d(out, e.ciHigh());
            arr(out, e.z());
            d(out, e.exact());
            long[] c = e.counts();
            out.writeVarInt(c == null ? 0 : c.length + 1, true);
            if (c != null) {
                for (long v : c) {
                    out.writeLong(v);
                }
            }
            d(out, e.gradVarTrace());
            d(out, e.gradNorm2());
            d(out, e.residualRms());
            d(out, e.dof());
            out.writeVarInt(e.status().ordinal(), true);
            d(out, e.probeVarianceShare());
            d(out, e.increment());
            d(out, e.incrementSe());
        }

        @Override
        public PointEstimate read(Kryo kryo, Input in, Class<PointEstimate> type) {
            long id = in.readLong();
            double t = d(in);
            double[] x = arr(in);
            double us = d(in);
            double corr = d(in);
            double u = d(in);
            double se = d(in);
            double lo = d(in);
            double hi = d(in);
            double[] z = arr(in);
            double ex = d(in);
            int nc = in.readVarInt(true);
            long[] c = null;
            if (nc > 0) {
                c = new long[nc - 1];
                for (int i = 0; i < c.length; i++) {
                    c[i] = in.readLong();
                }
            }
            double gv = d(in);
            double gn = d(in);
            double rr = d(in);
            double dof = d(in);
            PointStatus st = PointStatus.values()[in.readVarInt(true)];
            double probe = d(in);
            double inc = d(in);
            double incSe = d(in);
            return new PointEstimate(id, t, x, us, corr, u, se, lo, hi, z, ex, c, gv, gn, rr, dof, st, probe, inc,
                incSe);
        }
    }
}
