package io.scasml.surrogate;

import com.fasterxml.jackson.databind.JsonNode;
import io.scasml.io.InputException;
import io.scasml.io.StrictText;
import io.scasml.io.StrictTrees;
import io.scasml.kernels.surrogate.Surrogate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Loads a format-v1 surrogate directory ({@code surrogate.json} + {@code weights.npz}) through the Hadoop
 * {@link FileSystem} API, so {@code file:}, {@code hdfs://} and {@code s3a://} locations work (the last needs
 * {@code hadoop-aws} on the class path). See the module README for the format.
 *
 * <p>Validation is strict and complete before anything is built: a directory either loads entirely or fails with a
 * {@link SurrogateFormatException} whose one-line message names the file and the problem.
 */
public final class SurrogateLoader {

    /** The {@code format} value of format v1. */
    public static final String FORMAT = "scasml-surrogate";
    /** The only version this reader understands. */
    public static final int VERSION = 1;
    /** Metadata file name. */
    public static final String JSON = "surrogate.json";
    /** Array file name. */
    public static final String NPZ = "weights.npz";

    private static final Set<String> MLP_KEYS = Set.of("format", "version", "type", "dim", "input_order", "activation",
            "layers", "weight_layout", "output", "input", "meta");
    private static final Set<String> RBF_KEYS = Set.of("format", "version", "type", "dim", "input_order", "kernel",
            "lengthscale", "blocks", "output", "meta");
    /** Shape limits of surrogate.json (its size is bounded by {@link SurrogateLimits#maxJsonBytes}). */
    private static final StrictTrees.Limits JSON_LIMITS = new StrictTrees.Limits(32, 1_000_000, 1 << 20);

    private SurrogateLoader() {
    }

    /**
     * Loads with a default Hadoop configuration and {@link SurrogateLimits#DEFAULT}: for tools and tests only; a job
     * passes its session's configuration ({@link #load(String, Configuration, SurrogateLimits)}).
     */
    public static SurrogateModel load(String location) throws IOException {
        return load(location, new Configuration(), SurrogateLimits.DEFAULT);
    }

    /** {@link #load(String, Configuration, SurrogateLimits)} with {@link SurrogateLimits#DEFAULT}. */
    public static SurrogateModel load(String location, Configuration conf) throws IOException {
        return load(location, conf, SurrogateLimits.DEFAULT);
    }

    /**
     * Loads and validates a surrogate directory. Every file is opened through {@code conf} (nothing here builds a
     * configuration of its own), and every limit is checked before the memory or work it bounds is spent.
     *
     * @param location the directory: a local path or any Hadoop URI ({@code file:/…}, {@code hdfs://…}, {@code s3a://…})
     * @param conf     Hadoop configuration (credentials, default file system)
     * @param limits   resource limits for untrusted input
     * @return the compact, serializable model
     * @throws SurrogateFormatException if a file is missing, invalid or over a limit (one-line message naming the
     *                                  file, the entry or field, the value and what was expected)
     * @throws IOException              if the file system fails otherwise
     */
    public static SurrogateModel load(String location, Configuration conf, SurrogateLimits limits) throws IOException {
        Objects.requireNonNull(conf, "conf");
        Objects.requireNonNull(limits, "limits");
        Path dir = new Path(location);
        FileSystem fs = dir.getFileSystem(conf);
        Path jsonPath = new Path(dir, JSON);
        Path npzPath = new Path(dir, NPZ);
        String jsonName = jsonPath.toString();
        String npzName = npzPath.toString();
        byte[] jsonBytes = readAll(fs, jsonPath, limits.maxJsonBytes(), SurrogateLimits.OPT_JSON_BYTES);
        JsonNode root;
        try {
            root = StrictTrees.read(jsonName, StrictText.decode(jsonName, jsonBytes), false, JSON_LIMITS);
        } catch (InputException e) {
            throw new SurrogateFormatException(jsonName, e.detail(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SurrogateFormatException(jsonName, "expected a JSON object");
        }
        String format = text(jsonName, root, "format", true);
        if (!FORMAT.equals(format)) {
            throw new SurrogateFormatException(jsonName, "unknown format '" + format + "' (expected '" + FORMAT + "')");
        }
        JsonNode v = root.get("version");
        if (v == null || !v.isIntegralNumber()) {
            throw new SurrogateFormatException(jsonName, "'version' must be an integer (this reader knows version "
                    + VERSION + ")");
        }
        if (!v.canConvertToLong() || v.asLong() != VERSION) {
            throw new SurrogateFormatException(jsonName, "unsupported format version " + v.asText()
                    + " (this reader knows version " + VERSION + " only)");
        }
        String type = text(jsonName, root, "type", true);
        if (!type.equals("mlp") && !type.equals("rbf-kernel")) {
            throw new SurrogateFormatException(jsonName, "unknown type '" + type + "' (expected mlp or rbf-kernel)");
        }
        checkKeys(jsonName, root, type.equals("mlp") ? MLP_KEYS : RBF_KEYS, type);
        JsonNode dimNode = root.get("dim");
        if (dimNode == null || !dimNode.isIntegralNumber() || !dimNode.canConvertToInt() || dimNode.asLong() < 1
                || dimNode.asLong() > 1_000_000) {
            throw new SurrogateFormatException(jsonName, "'dim' must be an integer in [1, 1000000], got "
                    + (dimNode == null ? "nothing" : dimNode.toString()));
        }
        int dim = dimNode.asInt();
        String order = text(jsonName, root, "input_order", true).replace(" ", "");
        if (!order.equals("x,t") && !order.equals("t,x")) {
            throw new SurrogateFormatException(jsonName, "unknown input_order '" + order + "' (expected \"x,t\" or \"t,x\")");
        }
        // Validate the metadata fully before touching the (possibly large) npz.
        Activation act = null;
        List<String> layers = null;
        String layout = null;
        List<RbfModel.Block> blocks = null;
        Set<String> expected = new LinkedHashSet<>();
        if (type.equals("mlp")) {
            act = Activation.parse(jsonName, text(jsonName, root, "activation", true));
            layers = stringList(jsonName, root, "layers");
            layout = text(jsonName, root, "weight_layout", true);
            if (!layout.equals("out_in") && !layout.equals("in_out")) {
                throw new SurrogateFormatException(jsonName, "unknown weight_layout '" + layout
                        + "' (expected out_in (PyTorch) or in_out (JAX/flax))");
            }
            if (layers.isEmpty()) {
                throw new SurrogateFormatException(jsonName, "'layers' must name at least one layer");
            }
            if (layers.size() > limits.maxLayers()) {
                throw new SurrogateFormatException(jsonName, "'layers' lists " + layers.size() + " layers; "
                        + SurrogateLimits.limit(limits.maxLayers(), SurrogateLimits.OPT_LAYERS));
            }
            if (dim + 1L > limits.maxWidth()) {
                throw new SurrogateFormatException(jsonName, "'dim' " + dim + " gives an input width d+1 = "
                        + (dim + 1) + "; " + SurrogateLimits.limit(limits.maxWidth(), SurrogateLimits.OPT_WIDTH));
            }
            for (String l : layers) {
                if (!expected.add(l + ".weight") | !expected.add(l + ".bias")) {
                    throw new SurrogateFormatException(jsonName, "layer '" + l + "' listed twice in 'layers'");
                }
            }
        } else {
            blocks = rbfBlocks(jsonName, root);
            for (RbfModel.Block b : blocks) {
                expected.add(b.id() + ".centers");
                expected.add(b.id() + ".alpha");
            }
        }
        double[] outMap = outputMap(jsonName, root);
        byte[] npzBytes = readAll(fs, npzPath, limits.maxNpzBytes(), SurrogateLimits.OPT_NPZ_BYTES);
        Npz.Archive archive = Npz.open(npzName, npzBytes, limits);
        Map<String, Npz.Entry> entries = archive.entries();
        if (type.equals("mlp")) {
            for (String name : layers) {
                Npz.Entry wa = entries.get(name + ".weight");
                Npz.Entry ba = entries.get(name + ".bias");
                if (wa == null || ba == null) {
                    throw new SurrogateFormatException(npzName, "layer '" + name + "' needs arrays '" + name
                            + ".weight' and '" + name + ".bias'; missing " + (wa == null ? "'" + name + ".weight'"
                            : "'" + name + ".bias'") + " (arrays present: " + String.join(", ", entries.keySet()) + ")");
                }
                for (Npz.Entry e : new Npz.Entry[]{wa, ba}) {
                    for (long s : e.shape()) {
                        if (s > limits.maxWidth()) {
                            throw new SurrogateFormatException(npzName, "layer '" + name + "': array '" + e.name()
                                    + "' has shape " + e.shapeString() + ", a width of " + s + "; "
                                    + SurrogateLimits.limit(limits.maxWidth(), SurrogateLimits.OPT_WIDTH));
                        }
                    }
                }
            }
        } else {
            for (RbfModel.Block blk : blocks) {
                if (!entries.containsKey(blk.id() + ".centers") || !entries.containsKey(blk.id() + ".alpha")) {
                    throw new SurrogateFormatException(npzName, "block '" + blk.id() + "' needs arrays '" + blk.id()
                            + ".centers' and '" + blk.id() + ".alpha' (arrays present: "
                            + String.join(", ", entries.keySet()) + ")");
                }
            }
        }
        List<String> unused = new ArrayList<>();
        for (String n : entries.keySet()) {
            if (!expected.contains(n)) {
                unused.add("'" + n + "'");
            }
        }
        if (!unused.isEmpty()) {
            throw new SurrogateFormatException(npzName, (unused.size() == 1 ? "array " : "arrays ")
                    + String.join(", ", unused.subList(0, Math.min(10, unused.size())))
                    + (unused.size() > 10 ? " and " + (unused.size() - 10) + " more" : "")
                    + (unused.size() == 1 ? " is" : " are") + " not used by the model (it reads "
                    + String.join(", ", expected) + "); unused arrays are refused: remove them");
        }
        long params = 0;
        for (Npz.Entry e : entries.values()) {
            params += e.elements();
        }
        if (params > limits.maxParameters()) {
            throw new SurrogateFormatException(npzName, "the arrays hold " + params + " parameters; "
                    + SurrogateLimits.limit(limits.maxParameters(), SurrogateLimits.OPT_PARAMETERS));
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (String n : expected) {
            arrays.put(n, archive.read(n));
        }
        String source = dir.toString();
        if (type.equals("mlp")) {
            return buildMlp(jsonName, npzName, root, dim, order, act, layers, layout, outMap, arrays, source);
        }
        return buildRbf(jsonName, npzName, root, dim, order, outMap, arrays, source, blocks);
    }

    /** Loads and returns the per-JVM FP64 evaluator. */
    public static Surrogate loadSurrogate(String location) throws IOException {
        return load(location).evaluator();
    }

    /** Loads and returns the per-JVM evaluator of the given precision. */
    public static Surrogate loadSurrogate(String location, Precision precision) throws IOException {
        return load(location).evaluator(precision);
    }

    private static List<RbfModel.Block> rbfBlocks(String jsonName, JsonNode root) throws SurrogateFormatException {
        List<String> names = stringList(jsonName, root, "blocks");
        if (names.isEmpty()) {
            throw new SurrogateFormatException(jsonName, "'blocks' must list at least one of value, laplacian, dt, div");
        }
        List<RbfModel.Block> out = new ArrayList<>();
        for (String bn : names) {
            RbfModel.Block blk = RbfModel.Block.parse(bn);
            if (blk == null) {
                throw new SurrogateFormatException(jsonName, "unknown block '" + bn
                        + "' (expected value, laplacian, dt or div)");
            }
            if (out.contains(blk)) {
                throw new SurrogateFormatException(jsonName, "block '" + bn + "' listed twice");
            }
            out.add(blk);
        }
        return out;
    }

    private static MlpModel buildMlp(String jsonName, String npzName, JsonNode root, int dim, String order,
                                     Activation act, List<String> layers, String layout, double[] outMap,
                                     Map<String, NpyArray> arrays, String source) throws SurrogateFormatException {
        if (layers.isEmpty()) {
            throw new SurrogateFormatException(jsonName, "'layers' must name at least one layer");
        }
        int nl = layers.size();
        int[] widths = new int[nl + 1];
        double[][] w = new double[nl][];
        double[][] b = new double[nl][];
        widths[0] = dim + 1;
        boolean inOut = layout.equals("in_out");
        for (int l = 0; l < nl; l++) {
            String name = layers.get(l);
            NpyArray wa = arrays.get(name + ".weight");
            NpyArray ba = arrays.get(name + ".bias");
            if (wa == null || ba == null) {
                throw new SurrogateFormatException(npzName, "layer '" + name + "' needs arrays '" + name + ".weight' and '"
                        + name + ".bias'; missing " + (wa == null ? "'" + name + ".weight'" : "'" + name + ".bias'")
                        + " (arrays present: " + String.join(", ", arrays.keySet()) + ")");
            }
            if (wa.ndim() != 2) {
                throw new SurrogateFormatException(npzName, "layer '" + name + "': weight must be 2-D, got shape "
                        + wa.shapeString());
            }
            int in = (int) (inOut ? wa.shape()[0] : wa.shape()[1]);
            int out = (int) (inOut ? wa.shape()[1] : wa.shape()[0]);
            if (in != widths[l]) {
                String prev = l == 0 ? "the input [" + order + "] has width d+1 = " + (dim + 1)
                        : "layer '" + layers.get(l - 1) + "' (weight " + arrays.get(layers.get(l - 1) + ".weight")
                        .shapeString() + ") outputs width " + widths[l];
                throw new SurrogateFormatException(npzName, "layer shapes do not chain: layer '" + name + "' (weight "
                        + wa.shapeString() + ", weight_layout " + layout + ") takes width " + in + " but " + prev);
            }
            if (ba.ndim() != 1 || ba.shape()[0] != out) {
                throw new SurrogateFormatException(npzName, "layer '" + name + "': bias shape " + ba.shapeString()
                        + " does not match weight " + wa.shapeString() + " (expected (" + out + ",))");
            }
            checkFinite(npzName, wa);
            checkFinite(npzName, ba);
            widths[l + 1] = out;
            double[] can = new double[in * out];
            double[] src = wa.data();
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    can[i * out + j] = inOut ? src[i * out + j] : src[j * in + i];
                }
            }
            w[l] = can;
            b[l] = ba.data().clone();
        }
        if (widths[nl] != 1) {
            throw new SurrogateFormatException(npzName, "the last layer '" + layers.get(nl - 1) + "' outputs width "
                    + widths[nl] + "; a surrogate must output one value");
        }
        // Input map y' = shift + scale ⊙ y (in the file's input order), folded into layer 1.
        boolean hasInput = root.has("input");
        if (hasInput) {
            JsonNode in = root.get("input");
            double[] sh = numberArray(jsonName, in, "shift", dim + 1, 0.0);
            double[] sc = numberArray(jsonName, in, "scale", dim + 1, 1.0);
            int w1 = widths[1];
            double[] w0 = w[0];
            for (int k = 0; k <= dim; k++) {
                if (!(sc[k] != 0) || !Double.isFinite(sc[k])) {
                    throw new SurrogateFormatException(jsonName, "input.scale[" + k + "] must be finite and non-zero, got "
                            + sc[k]);
                }
                for (int j = 0; j < w1; j++) {
                    b[0][j] += sh[k] * w0[k * w1 + j];
                    w0[k * w1 + j] *= sc[k];
                }
            }
        }
        if (order.equals("t,x")) {
            // Move the time row (file row 0) last: canonical order is x,t.
            int w1 = widths[1];
            double[] p = new double[w[0].length];
            System.arraycopy(w[0], w1, p, 0, dim * w1);
            System.arraycopy(w[0], 0, p, dim * w1, w1);
            w[0] = p;
        }
        // Output map û = a + b·net, folded into the last layer.
        double[] last = w[nl - 1];
        for (int i = 0; i < last.length; i++) {
            last[i] *= outMap[1];
        }
        b[nl - 1][0] = outMap[0] + outMap[1] * b[nl - 1][0];
        String[] names = layers.toArray(new String[0]);
        try {
            return MlpModel.of(dim, act, widths, w, b, names, order, layout, hasInput, root.has("output"), source);
        } catch (IllegalArgumentException e) {
            throw new SurrogateFormatException(npzName, "after folding the affine maps: " + e.getMessage());
        }
    }

    private static RbfModel buildRbf(String jsonName, String npzName, JsonNode root, int dim, String order,
                                     double[] outMap, Map<String, NpyArray> arrays, String source,
                                     List<RbfModel.Block> blocks) throws SurrogateFormatException {
        if (root.has("kernel") && !"gaussian".equals(root.get("kernel").asText())) {
            throw new SurrogateFormatException(jsonName, "unknown kernel '" + root.get("kernel").asText()
                    + "' (expected gaussian)");
        }
        JsonNode ls = root.get("lengthscale");
        if (ls == null || !ls.isNumber() || !(ls.asDouble() > 0) || !Double.isFinite(ls.asDouble())) {
            throw new SurrogateFormatException(jsonName, "'lengthscale' must be a finite number > 0, got "
                    + (ls == null ? "nothing" : ls.toString()));
        }
        int nb = RbfModel.Block.values().length;
        double[][] centers = new double[nb][];
        double[][] alpha = new double[nb][];
        for (RbfModel.Block blk : blocks) {
            String bn = blk.id();
            NpyArray c = arrays.get(blk.id() + ".centers");
            NpyArray a = arrays.get(blk.id() + ".alpha");
            if (c == null || a == null) {
                throw new SurrogateFormatException(npzName, "block '" + bn + "' needs arrays '" + blk.id()
                        + ".centers' and '" + blk.id() + ".alpha'");
            }
            if (c.ndim() != 2 || c.shape()[1] != dim + 1) {
                throw new SurrogateFormatException(npzName, "'" + blk.id() + ".centers' must have shape (N, d+1 = "
                        + (dim + 1) + "), got " + c.shapeString());
            }
            if (a.ndim() != 1 || a.shape()[0] != c.shape()[0]) {
                throw new SurrogateFormatException(npzName, "'" + blk.id() + ".alpha' must have shape (" + c.shape()[0]
                        + ",) to match '" + blk.id() + ".centers' " + c.shapeString() + ", got " + a.shapeString());
            }
            checkFinite(npzName, c);
            checkFinite(npzName, a);
            double[] cc = c.data().clone();
            if (order.equals("t,x")) {
                int n = (int) c.shape()[0];
                for (int i = 0; i < n; i++) {
                    double t = cc[i * (dim + 1)];
                    System.arraycopy(cc, i * (dim + 1) + 1, cc, i * (dim + 1), dim);
                    cc[i * (dim + 1) + dim] = t;
                }
            }
            centers[blk.ordinal()] = cc;
            alpha[blk.ordinal()] = a.data().clone();
        }
        try {
            return RbfModel.of(dim, ls.asDouble(), centers, alpha, outMap[0], outMap[1], order, source);
        } catch (IllegalArgumentException e) {
            throw new SurrogateFormatException(npzName, e.getMessage());
        }
    }

    private static byte[] readAll(FileSystem fs, Path p, long max, String option) throws IOException {
        FileStatus st;
        try {
            st = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new SurrogateFormatException(p.toString(), "file not found");
        } catch (IOException e) {
            throw new SurrogateFormatException(p.toString(), "cannot read: " + e.getMessage(), e);
        }
        if (st.isDirectory()) {
            throw new SurrogateFormatException(p.toString(), "is a directory, expected a file");
        }
        long len = st.getLen();
        if (len > max) {
            throw new SurrogateFormatException(p.toString(), "file of " + len + " bytes; "
                    + SurrogateLimits.limit(max, option));
        }
        try (FSDataInputStream in = fs.open(p)) {
            // Bounded again while reading: a file that grew since its status was taken is refused, not buffered.
            return StrictText.readBounded(p.toString(), in, max, option);
        } catch (InputException e) {
            throw new SurrogateFormatException(p.toString(), e.detail(), e);
        } catch (IOException e) {
            throw new SurrogateFormatException(p.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    private static void checkKeys(String file, JsonNode root, Set<String> allowed, String type)
            throws SurrogateFormatException {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new SurrogateFormatException(file, "unknown key '" + k + "' for type " + type
                        + " in format version " + VERSION + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(String file, JsonNode root, String key, boolean required) throws SurrogateFormatException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                throw new SurrogateFormatException(file, "missing required key '" + key + "'");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new SurrogateFormatException(file, "'" + key + "' must be a string, got " + n);
        }
        return n.asText();
    }

    private static List<String> stringList(String file, JsonNode root, String key) throws SurrogateFormatException {
        JsonNode n = root.get(key);
        if (n == null || !n.isArray()) {
            throw new SurrogateFormatException(file, "'" + key + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new SurrogateFormatException(file, "'" + key + "' must be a list of strings, found " + e);
            }
            out.add(e.asText());
        }
        return out;
    }

    private static double[] outputMap(String file, JsonNode root) throws SurrogateFormatException {
        JsonNode o = root.get("output");
        if (o == null) {
            return new double[]{0.0, 1.0};
        }
        if (!o.isObject()) {
            throw new SurrogateFormatException(file, "'output' must be an object {\"shift\": a, \"scale\": b}");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("shift") && !k.equals("scale")) {
                throw new SurrogateFormatException(file, "unknown key 'output." + k + "' (expected shift, scale)");
            }
        }
        double a = number(file, o, "output.shift", "shift", 0.0);
        double b = number(file, o, "output.scale", "scale", 1.0);
        return new double[]{a, b};
    }

    private static double number(String file, JsonNode o, String label, String key, double dflt)
            throws SurrogateFormatException {
        JsonNode n = o.get(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new SurrogateFormatException(file, "'" + label + "' must be a finite number, got " + n);
        }
        return n.asDouble();
    }

    private static double[] numberArray(String file, JsonNode o, String key, int len, double dflt)
            throws SurrogateFormatException {
        if (!o.isObject()) {
            throw new SurrogateFormatException(file, "'input' must be an object {\"shift\": [...], \"scale\": [...]}");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("shift") && !k.equals("scale")) {
                throw new SurrogateFormatException(file, "unknown key 'input." + k + "' (expected shift, scale)");
            }
        }
        JsonNode n = o.get(key);
        double[] v = new double[len];
        if (n == null) {
            java.util.Arrays.fill(v, dflt);
            return v;
        }
        if (!n.isArray() || n.size() != len) {
            throw new SurrogateFormatException(file, "'input." + key + "' must be a list of d+1 = " + len + " numbers, got "
                    + (n.isArray() ? n.size() + " entries" : n.toString()));
        }
        for (int i = 0; i < len; i++) {
            JsonNode e = n.get(i);
            if (!e.isNumber() || !Double.isFinite(e.asDouble())) {
                throw new SurrogateFormatException(file, "'input." + key + "[" + i + "]' must be a finite number, got " + e);
            }
            v[i] = e.asDouble();
        }
        return v;
    }

    private static void checkFinite(String file, NpyArray a) throws SurrogateFormatException {
        double[] v = a.data();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                StringBuilder idx = new StringBuilder();
                long rem = i;
                long[] sh = a.shape();
                long[] pos = new long[sh.length];
                for (int k = sh.length - 1; k >= 0; k--) {
                    pos[k] = sh[k] == 0 ? 0 : rem % sh[k];
                    rem = sh[k] == 0 ? 0 : rem / sh[k];
                }
                idx.append(NpyArray.shapeString(pos));
                throw new SurrogateFormatException(file, "array '" + a.name() + "' contains " + v[i] + " at index "
                        + idx + "; weights must be finite");
            }
        }
    }
}
