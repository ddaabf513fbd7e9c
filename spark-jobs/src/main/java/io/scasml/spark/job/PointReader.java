package io.scasml.spark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import io.scasml.io.Messages;
import scala.Tuple2;

/**
 * Reads query points through Hadoop paths (a file, a directory of part files or a glob): CSV and JSON lines as text
 * (so that every error names its file and line), Parquet through Spark's data source. Columns: {@code t},
 * {@code x0..x{d-1}} or an array column {@code x}, optionally {@code id}; other columns are ignored.
 *
 * <p>The records come out in input order (files sorted by name, then lines), which fixes the ids of inputs without
 * an id column: the row's ordinal.
 */
public final class PointReader {
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private PointReader() {
    }

    /** The format of an input. */
    public enum Format { CSV, PARQUET, JSONL }

    /**
     * Lists the input files.
     *
     * @throws UserError if the path does not exist or holds no files
     */
    static List<Path> listFiles(String spec, Configuration conf) throws IOException {
        Path p = new Path(spec);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] st = fs.globStatus(p);
        if (st == null || st.length == 0) {
            throw new UserError("points: " + spec + " does not exist");
        }
        List<Path> files = new ArrayList<>();
        for (FileStatus s : st) {
            if (s.isDirectory()) {
                FileStatus[] kids = fs.listStatus(s.getPath());
                Arrays.sort(kids);
                for (FileStatus k : kids) {
                    String n = k.getPath().getName();
                    if (k.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
                        files.add(k.getPath());
                    }
                }
            } else {
                files.add(s.getPath());
            }
        }
        if (files.isEmpty()) {
            throw new UserError("points: " + spec + " holds no data files");
        }
        files.sort(null);
        return files;
    }

    /** Detects the format from the option or the file names. */
    static Format detect(String spec, String option, List<Path> files) {
        if (option != null && !option.equals("auto")) {
            switch (option.toLowerCase(Locale.ROOT)) {
                case "csv": return Format.CSV;
                case "parquet": return Format.PARQUET;
                case "jsonl": case "json": return Format.JSONL;
                default: throw new UserError("points-format: '" + option + "' is not one of auto, csv, parquet, jsonl");
            }
        }
        for (String name : new String[] {spec, files.get(0).getName()}) {
            String n = name.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2|snappy|zst|deflate)$", "");
            if (n.endsWith(".csv")) {
                return Format.CSV;
            }
            if (n.endsWith(".parquet")) {
                return Format.PARQUET;
            }
            if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
                return Format.JSONL;
            }
        }
        throw new UserError("points: cannot tell the format of " + spec
            + " (expected a name ending in .csv, .parquet or .jsonl, or --points-format csv|parquet|jsonl)");
    }

    /**
     * Reads the records of every input file, in input order, with the default limits.
     *
     * @throws UserError for a missing path, an unknown format or a bad header / schema
     */
    public static JavaRDD<PointRecord> read(SparkSession spark, String spec, String formatOption, int d)
        throws IOException {
        return read(spark, spec, formatOption, d, (int) (long) SolveLimits.DEFAULTS.get("line-bytes"),
            (int) (long) SolveLimits.DEFAULTS.get("columns"));
    }

    /**
     * Reads the records of every input file, in input order. CSV and JSON lines are read by a bounded line reader
     * (one task per file): a line longer than {@code maxLineBytes} is refused after at most that many bytes, lines
     * are strict UTF-8 (refused naming the byte offset), a byte-order mark is removed, duplicate column names (CSV
     * header, JSON keys, Parquet schema) and more than {@code maxColumns} columns are refused.
     *
     * @throws UserError for a missing path, an unknown format or a bad header / schema
     */
    public static JavaRDD<PointRecord> read(SparkSession spark, String spec, String formatOption, int d,
                                            int maxLineBytes, int maxColumns) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Prepared pr = prepare(spec, formatOption, d, conf, maxLineBytes, maxColumns);
        List<Path> files = pr.files();
        Format f = pr.format();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (f == Format.PARQUET) {
            return readParquet(spark, files, d, maxColumns);
        }
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            names.add(file.toString());
        }
        List<int[]> headers = pr.headers();
        final boolean csv = f == Format.CSV;
        final SerializableConfiguration sconf = new SerializableConfiguration(conf);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            idx.add(i);
        }
        // One partition per file, in file order: records come out in input order (the ids of inputs without ids).
        return jsc.parallelize(idx, Math.max(1, idx.size())).flatMap(i -> {
            String src = names.get(i);
            BoundedLines lines = open(new Path(src), sconf.value(), maxLineBytes);
            org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
            if (tc != null) {
                tc.addTaskCompletionListener(ctx -> {
                    try {
                        lines.close();
                    } catch (IOException e) {
                        // closing a read stream
                    }
                });
            }
            return records(src, lines, csv, headers.get(i), d, maxColumns);
        });
    }

    /**
     * The records of every input file, in input order, read in this JVM (the in-process runner, {@link InProcess}):
     * the same records, in the same order, as {@link #read} gives on Spark, for CSV and JSON lines.
     */
    static List<PointRecord> readLocal(Prepared pr, Configuration conf, int d, int maxLineBytes, int maxColumns)
        throws IOException {
        if (pr.format() == Format.PARQUET) {
            throw new IllegalArgumentException("Parquet points are read by Spark");
        }
        List<PointRecord> out = new ArrayList<>();
        for (int i = 0; i < pr.files().size(); i++) {
            String src = pr.files().get(i).toString();
            try (BoundedLines lines = open(new Path(src), conf, maxLineBytes)) {
                records(src, lines, pr.format() == Format.CSV, pr.headers().get(i), d, maxColumns)
                    .forEachRemaining(out::add);
            }
        }
        return out;
    }

    /** One file's records, lazily: a bad line ends the file with a failed record (its file and line). */
    private static Iterator<PointRecord> records(String src, BoundedLines lines, boolean csv, int[] cols, int d,
                                                 int maxColumns) {
        return new Iterator<PointRecord>() {
            private PointRecord next;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    String text;
                    try {
                        text = lines.next();
                    } catch (BoundedLines.BadLine e) {
                        next = PointRecord.failed(src, e.line(), e.detail());
                        done = true;
                        break;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(src + ": " + e.getMessage(), e);
                    }
                    if (text == null) {
                        done = true;
                        break;
                    }
                    long ln = lines.lineNumber();
                    if ((csv && ln == 1) || text.isBlank()) {
                        continue;
                    }
                    next = csv ? parseCsv(src, ln, text, cols, d, maxColumns)
                        : parseJson(src, ln, text, d, maxColumns);
                }
                return next != null;
            }

            @Override
            public PointRecord next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                PointRecord r = next;
                next = null;
                return r;
            }
        };
    }

    /** The input files, their format and, for CSV, each file's column indices (see {@link #csvHeader}). */
    record Prepared(List<Path> files, Format format, List<int[]> headers) {
    }

    /**
     * Lists the input files and checks what can be checked without Spark: the paths exist, the format is known,
     * every CSV header is readable, within the limits, without duplicate names, with t and x0..x{d-1}, and all
     * files agree on having an id column. {@code solve} calls it before the SparkSession starts.
     *
     * @throws UserError naming the file, the line and the problem
     */
    public static Prepared prepare(String spec, String formatOption, int d, Configuration conf, int maxLineBytes,
                                   int maxColumns) throws IOException {
        List<Path> files = listFiles(spec, conf);
        Format f = detect(spec, formatOption, files);
        List<int[]> headers = new ArrayList<>();
        Boolean withId = null;
        for (Path file : files) {
            if (f == Format.CSV) {
                int[] cols = csvHeader(file, conf, d, maxLineBytes, maxColumns);
                boolean hasId = cols[d + 1] >= 0;
                if (withId != null && withId != hasId) {
                    throw new UserError("points: " + file + ": some files have an id column and some do not");
                }
                withId = hasId;
                headers.add(cols);
            } else {
                headers.add(null);
            }
        }
        return new Prepared(files, f, headers);
    }

    /** Opens a (possibly compressed) point file for bounded line reading. */
    static BoundedLines open(Path file, Configuration conf, int maxLineBytes) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
        InputStream raw = fs.open(file);
        try {
            InputStream in = codec == null ? raw : codec.createInputStream(raw);
            return new BoundedLines(in, maxLineBytes, codec != null);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Column indices from the header (default limits). */
    static int[] csvHeader(Path file, Configuration conf, int d) throws IOException {
        return csvHeader(file, conf, d, (int) (long) SolveLimits.DEFAULTS.get("line-bytes"),
            (int) (long) SolveLimits.DEFAULTS.get("columns"));
    }

    /**
     * Column indices from the header: [t, x0..x{d-1}, id (or −1)]. Read with the bounded line reader (a byte-order
     * mark is removed, so it cannot hide the first column); duplicate names (case-insensitive) and more than
     * {@code maxColumns} columns are refused.
     */
    static int[] csvHeader(Path file, Configuration conf, int d, int maxLineBytes, int maxColumns)
        throws IOException {
        String header;
        try (BoundedLines r = open(file, conf, maxLineBytes)) {
            header = r.next();
        } catch (BoundedLines.BadLine e) {
            throw new UserError("points: " + file + " " + e.getMessage());
        }
        if (header == null || header.isBlank()) {
            throw new UserError("points: " + file + " line 1: empty; expected a header such as t,x0,...,x" + (d - 1));
        }
        int ncols = countFields(header, maxColumns);
        if (ncols > maxColumns) {
            throw new UserError("points: " + file + " line 1: the header has more than " + maxColumns
                + " columns; the limit is columns = " + maxColumns + " (raise it with --limit columns=N)");
        }
        String[] names = header.split(",", -1);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            String n = unquote(names[i]).toLowerCase(Locale.ROOT);
            Integer prev = idx.put(n, i);
            if (prev != null) {
                throw new UserError("points: " + file + " line 1: column " + Messages.quote(unquote(names[i]))
                    + " appears twice (columns " + (prev + 1) + " and " + (i + 1) + "); each column name may appear"
                    + " once");
            }
        }
        int[] cols = new int[d + 2];
        Integer t = idx.get("t");
        if (t == null) {
            throw new UserError("points: " + file + " line 1: the header has no column t (header: "
                + Messages.quote(header) + ")");
        }
        cols[0] = t;
        int m = 0;
        while (idx.containsKey("x" + m)) {
            m++;
        }
        if (m != d) {
            throw new UserError("points: " + file + " line 1: the header has " + m + " coordinate columns x0..x"
                + (m - 1) + ", expected d = " + d);
        }
        for (int k = 0; k < d; k++) {
            cols[1 + k] = idx.get("x" + k);
        }
        cols[d + 1] = idx.getOrDefault("id", -1);
        return cols;
    }

    /** Fields of a CSV line (commas + 1), counting no further than {@code max + 1}. */
    static int countFields(String line, int max) {
        int n = 1;
        for (int i = 0; i < line.length() && n <= max; i++) {
            if (line.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }

    private static String unquote(String s) {
        String v = s.trim();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1).trim();
        }
        return v;
    }

    static PointRecord parseCsv(String src, long line, String text, int[] cols, int d, int maxColumns) {
        if (countFields(text, maxColumns) > maxColumns) {
            return PointRecord.failed(src, line, "has more than " + maxColumns + " fields; the limit is columns = "
                + maxColumns + " (raise it with --limit columns=N)");
        }
        String[] f = text.split(",", -1);
        int width = 0;
        for (int c : cols) {
            width = Math.max(width, c + 1);
        }
        if (f.length < width) {
            return PointRecord.failed(src, line, "has " + f.length + " fields, expected at least " + width
                + " (t, x0..x" + (d - 1) + (cols[d + 1] >= 0 ? ", id" : "") + ")");
        }
        PointRecord r = new PointRecord();
        r.source = src;
        r.line = line;
        r.x = new double[d];
        try {
            r.t = number(f[cols[0]], "t");
            for (int k = 0; k < d; k++) {
                r.x[k] = number(f[cols[1 + k]], "x" + k);
            }
            if (cols[d + 1] >= 0) {
                r.hasId = true;
                String v = unquote(f[cols[d + 1]]);
                try {
                    r.id = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("id: '" + v + "' is not an integer");
                }
            }
        } catch (IllegalArgumentException e) {
            return PointRecord.failed(src, line, e.getMessage());
        }
        return r;
    }

    private static double number(String field, String col) {
        String v = unquote(field);
        if (v.isEmpty()) {
            throw new IllegalArgumentException(col + ": empty, expected a number");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(col + ": '" + v + "' is not a number");
        }
    }

    static PointRecord parseJson(String src, long line, String text, int d, int maxColumns) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                : e.getMessage();
            if (m != null && m.startsWith("Duplicate field")) {
                return PointRecord.failed(src, line, "duplicate key " + m.substring("Duplicate field".length()).trim()
                    + "; each key may appear once");
            }
            return PointRecord.failed(src, line, "malformed JSON: " + Messages.oneLine(m));
        }
        if (n == null || !n.isObject()) {
            return PointRecord.failed(src, line, "expected a JSON object {\"t\": ..., \"x\": [...]}");
        }
        if (n.size() > maxColumns || (n.get("x") != null && n.get("x").size() > maxColumns)) {
            return PointRecord.failed(src, line, "has more than " + maxColumns + " fields or coordinates; the limit"
                + " is columns = " + maxColumns + " (raise it with --limit columns=N)");
        }
        PointRecord r = new PointRecord();
        r.source = src;
        r.line = line;
        try {
            r.t = jsonNumber(n.get("t"), "t");
            JsonNode xs = n.get("x");
            if (xs != null) {
                if (!xs.isArray()) {
                    throw new IllegalArgumentException("x: expected an array of " + d + " numbers");
                }
                if (xs.size() != d) {
                    throw new IllegalArgumentException("x: has " + xs.size() + " coordinates, expected d = " + d);
                }
                r.x = new double[d];
                for (int k = 0; k < d; k++) {
                    r.x[k] = jsonNumber(xs.get(k), "x[" + k + "]");
                }
            } else {
                int m = 0;
                while (n.has("x" + m)) {
                    m++;
                }
                if (m != d) {
                    throw new IllegalArgumentException("has " + m + " coordinates x0..x" + (m - 1) + ", expected d = " + d);
                }
                r.x = new double[d];
                for (int k = 0; k < d; k++) {
                    r.x[k] = jsonNumber(n.get("x" + k), "x" + k);
                }
            }
            JsonNode id = n.get("id");
            if (id != null && !id.isNull()) {
                if (!id.canConvertToExactIntegral() || !id.canConvertToLong()) {
                    throw new IllegalArgumentException("id: " + id + " is not an integer");
                }
                r.hasId = true;
                r.id = id.asLong();
            }
        } catch (IllegalArgumentException e) {
            return PointRecord.failed(src, line, e.getMessage());
        }
        return r;
    }

    private static double jsonNumber(JsonNode v, String col) {
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(col + ": missing, expected a number");
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            // NaN / Infinity written as strings: parsed so that validation names them.
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(col + ": '" + v.asText() + "' is not a number");
            }
        }
        throw new IllegalArgumentException(col + ": " + v + " is not a number");
    }

    private static JavaRDD<PointRecord> readParquet(SparkSession spark, List<Path> files, int d, int maxColumns) {
        String[] paths = files.stream().map(Path::toString).toArray(String[]::new);
        Dataset<Row> df;
        try {
            df = spark.read().parquet(paths);
        } catch (Exception e) { // AnalysisException is checked, thrown undeclared (e.g. duplicate columns)
            throw new UserError("points: cannot read Parquet " + paths[0] + (paths.length > 1 ? " (and others)" : "")
                + ": " + firstLine(e.getMessage()), e);
        }
        StructType s = df.schema();
        String where = "points: " + paths[0] + (paths.length > 1 ? " (and " + (paths.length - 1) + " more)" : "");
        if (s.fields().length > maxColumns) {
            throw new UserError(where + ": has " + s.fields().length + " columns; the limit is columns = " + maxColumns
                + " (raise it with --limit columns=N)");
        }
        Map<String, StructField> byName = new HashMap<>();
        for (StructField fld : s.fields()) {
            StructField prev = byName.put(fld.name().toLowerCase(Locale.ROOT), fld);
            if (prev != null) {
                throw new UserError(where + ": column " + Messages.quote(fld.name()) + " appears twice (as "
                    + Messages.quote(prev.name()) + " and " + Messages.quote(fld.name()) + "); each column name may"
                    + " appear once");
            }
        }
        requireNumeric(byName, "t", where);
        List<Column> sel = new ArrayList<>();
        sel.add(functions.col(byName.get("t").name()).cast(DataTypes.DoubleType));
        StructField xf = byName.get("x");
        if (xf != null) {
            DataType dt = xf.dataType();
            if (!(dt instanceof ArrayType at) || !(at.elementType() instanceof NumericType)) {
                throw new UserError(where + ": column x has type " + dt.simpleString() + ", expected array<double>");
            }
            sel.add(functions.col(xf.name()).cast(DataTypes.createArrayType(DataTypes.DoubleType)));
        } else {
            int m = 0;
            while (byName.containsKey("x" + m)) {
                m++;
            }
            if (m != d) {
                throw new UserError(where + ": has " + m + " coordinate columns x0..x" + (m - 1)
                    + ", expected d = " + d);
            }
            Column[] xs = new Column[d];
            for (int k = 0; k < d; k++) {
                requireNumeric(byName, "x" + k, where);
                xs[k] = functions.col(byName.get("x" + k).name()).cast(DataTypes.DoubleType);
            }
            sel.add(functions.array(xs));
        }
        boolean hasId = byName.containsKey("id");
        if (hasId) {
            DataType it = byName.get("id").dataType();
            if (!(it instanceof org.apache.spark.sql.types.IntegralType)) {
                throw new UserError(where + ": column id has type " + it.simpleString() + ", expected an integer type");
            }
            sel.add(functions.col(byName.get("id").name()).cast(DataTypes.LongType));
        } else {
            sel.add(functions.lit(0L));
        }
        sel.add(functions.input_file_name());
        JavaRDD<Row> rows = df.select(sel.toArray(new Column[0])).javaRDD();
        return rows.zipWithIndex().map((Tuple2<Row, Long> p) -> {
            Row r = p._1();
            String src = r.getString(3);
            long ln = p._2() + 1;
            if (r.isNullAt(0)) {
                return PointRecord.failed(src, ln, "t: null, expected a number");
            }
            if (r.isNullAt(1)) {
                return PointRecord.failed(src, ln, "x: null, expected " + d + " numbers");
            }
            List<Object> xs = r.getList(1);
            if (xs.size() != d) {
                return PointRecord.failed(src, ln, "x: has " + xs.size() + " coordinates, expected d = " + d);
            }
            PointRecord rec = new PointRecord();
            rec.source = src;
            rec.line = ln;
            rec.t = r.getDouble(0);
            rec.x = new double[d];
            for (int k = 0; k < d; k++) {
                Object v = xs.get(k);
                if (v == null) {
                    return PointRecord.failed(src, ln, "x" + k + ": null, expected a number");
                }
                rec.x[k] = (Double) v;
            }
            if (hasId) {
                if (r.isNullAt(2)) {
                    return PointRecord.failed(src, ln, "id: null, expected an integer");
                }
                rec.hasId = true;
                rec.id = r.getLong(2);
            }
            return rec;
        });
    }

    private static void requireNumeric(Map<String, StructField> byName, String col, String where) {
        StructField f = byName.get(col);
        if (f == null) {
            throw new UserError(where + ": has no column " + col);
        }
        if (!(f.dataType() instanceof NumericType)) {
            throw new UserError(where + ": column " + col + " has type " + f.dataType().simpleString()
                + ", expected a number");
        }
    }

    static String firstLine(String m) {
        return m == null ? "" : io.scasml.io.Messages.oneLine(m);
    }
}
