package io.scasml.spark.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The in-process runner's writer ({@link InProcess}): the rows of a run, already on the driver in id order, as the
 * files Spark's writers make for {@link SolveJob}, without a SparkSession.
 *
 * <ul>
 *   <li>{@code points.parquet/}: one {@code part-00000-…-c000.snappy.parquet} and {@code _SUCCESS}, written with
 *       parquet-hadoop (the library Spark writes with, on the classpath through spark-sql): message
 *       {@code spark_schema}, every column {@code required} with Spark's physical types (double, int64, int32,
 *       boolean, binary as string), snappy, and Spark's row metadata (the schema as JSON), so Spark, pandas and
 *       pyarrow read the schema {@link ResultColumns#schema} declares.</li>
 *   <li>{@code points.csv}: the header, then one line per row formatted as Spark's CSV writer formats it
 *       ({@link Double#toString}, {@code true}/{@code false}; a string quoted only if it holds a comma, a quote or a
 *       line break) — the same bytes as the Spark path ({@code InProcessRunnerTest}).</li>
 * </ul>
 */
final class LocalOutput {
    private LocalOutput() {
    }

    /** Writes the rows into the staging directory; returns the data's name there. */
    static String write(FileSystem fs, Path tmp, String format, StructType schema, List<Row> rows, String runId)
        throws IOException {
        if (format.equals("csv")) {
            writeCsv(fs, new Path(tmp, "points.csv"), schema, rows);
            return "points.csv";
        }
        Path dir = new Path(tmp, "points.parquet");
        fs.mkdirs(dir);
        String uuid = java.util.UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8)).toString();
        writeParquet(HadoopOutputFile.fromPath(new Path(dir, "part-00000-" + uuid + "-c000.snappy.parquet"),
            fs.getConf()), fs.getConf(), schema, rows);
        fs.create(new Path(dir, "_SUCCESS"), false).close();
        return "points.parquet";
    }

    // ------------------------------------------------------------------------------------------------------ CSV

    static void writeCsv(FileSystem fs, Path file, StructType schema, List<Row> rows) throws IOException {
        StructField[] f = schema.fields();
        try (Writer w = new BufferedWriter(new OutputStreamWriter(fs.create(file, false), StandardCharsets.UTF_8),
            1 << 16)) {
            w.write(String.join(",", schema.fieldNames()));
            w.write('\n');
            StringBuilder b = new StringBuilder(256);
            for (Row r : rows) {
                b.setLength(0);
                for (int i = 0; i < f.length; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    Object v = r.get(i);
                    if (v instanceof String str) {
                        csvString(b, str);
                    } else {
                        b.append(v); // Double.toString, Long/Integer/Boolean.toString: as Spark's CSV writer
                    }
                }
                b.append('\n');
                w.append(b);
            }
        }
    }

    private static void csvString(StringBuilder b, String s) {
        if (!s.isEmpty() && s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            b.append(s);
            return;
        }
        b.append('"').append(s.replace("\"", "\\\"")).append('"');
    }

    // -------------------------------------------------------------------------------------------------- Parquet

    /** Spark's Parquet schema of a flat, non-null StructType (its ParquetSchemaConverter, for these types). */
    static MessageType parquetSchema(StructType schema) {
        Types.MessageTypeBuilder m = Types.buildMessage();
        for (StructField f : schema.fields()) {
            DataType t = f.dataType();
            Type.Repetition rep = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            if (t.equals(DataTypes.DoubleType)) {
                m.addField(Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(f.name()));
            } else if (t.equals(DataTypes.LongType)) {
                m.addField(Types.primitive(PrimitiveTypeName.INT64, rep).named(f.name()));
            } else if (t.equals(DataTypes.IntegerType)) {
                m.addField(Types.primitive(PrimitiveTypeName.INT32, rep).named(f.name()));
            } else if (t.equals(DataTypes.BooleanType)) {
                m.addField(Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(f.name()));
            } else if (t.equals(DataTypes.StringType)) {
                m.addField(Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType())
                    .named(f.name()));
            } else {
                throw new IllegalStateException("column " + f.name() + ": type " + t + " has no local writer");
            }
        }
        return m.named("spark_schema");
    }

    private static void writeParquet(OutputFile file, Configuration conf, StructType schema, List<Row> rows)
        throws IOException {
        try (ParquetWriter<Row> w = new Builder(file, schema).withConf(conf)
            .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.CREATE).build()) {
            for (Row r : rows) {
                w.write(r);
            }
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final StructType schema;

        Builder(OutputFile file, StructType schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(schema);
        }
    }

    /** Writes one {@link Row} of {@link ResultColumns} (no nulls) as one record. */
    private static final class RowWriteSupport extends WriteSupport<Row> {
        private final StructType schema;
        private final DataType[] types;
        private RecordConsumer out;

        RowWriteSupport(StructType schema) {
            this.schema = schema;
            this.types = new DataType[schema.fields().length];
            for (int i = 0; i < types.length; i++) {
                types[i] = schema.fields()[i].dataType();
            }
        }

        @Override
        public WriteContext init(Configuration configuration) {
            Map<String, String> meta = new HashMap<>();
            meta.put("org.apache.spark.version", org.apache.spark.package$.MODULE$.SPARK_VERSION_SHORT());
            meta.put("org.apache.spark.sql.parquet.row.metadata", schema.json());
            return new WriteContext(parquetSchema(schema), meta);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Row r) {
            out.startMessage();
            String[] names = schema.fieldNames();
            for (int i = 0; i < types.length; i++) {
                Object v = r.get(i);
                if (v == null) {
                    continue;
                }
                out.startField(names[i], i);
                DataType t = types[i];
                if (t.equals(DataTypes.DoubleType)) {
                    out.addDouble((Double) v);
                } else if (t.equals(DataTypes.LongType)) {
                    out.addLong((Long) v);
                } else if (t.equals(DataTypes.IntegerType)) {
                    out.addInteger((Integer) v);
                } else if (t.equals(DataTypes.BooleanType)) {
                    out.addBoolean((Boolean) v);
                } else {
                    out.addBinary(Binary.fromString((String) v));
                }
                out.endField(names[i], i);
            }
            out.endMessage();
        }
    }
}
