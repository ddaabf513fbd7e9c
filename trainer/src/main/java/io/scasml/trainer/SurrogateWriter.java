package io.scasml.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scasml.surrogate.RbfModel;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes surrogates in format v1 (surrogate.json + weights.npz; see surrogate-loader's README): MLPs as
 * {@code type: mlp}, input order {@code x,t}, weight layout {@code out_in}, layers {@code linears.i}, float64, with the
 * network's input and output maps; kernel surrogates as {@code type: rbf-kernel} with a {@code value} block.
 */
public final class SurrogateWriter {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SurrogateWriter() {
    }

    /**
     * Writes an MLP surrogate into {@code dir} (created if needed; existing files are replaced).
     *
     * @param meta free-form provenance (the loader ignores it)
     */
    public static void writeMlp(Path dir, Mlp net, Map<String, Object> meta) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format", "scasml-surrogate");
        j.put("version", 1);
        j.put("type", "mlp");
        j.put("dim", net.dim());
        j.put("input_order", "x,t");
        j.put("activation", net.activation().id());
        List<String> layers = new ArrayList<>();
        NpzWriter npz = new NpzWriter();
        for (int l = 0; l < net.layerCount(); l++) {
            String name = "linears." + l;
            layers.add(name);
            npz.add(name + ".weight", net.weight(l), net.outWidth(l), net.inWidth(l));
            npz.add(name + ".bias", net.bias(l), net.outWidth(l));
        }
        j.put("layers", layers);
        j.put("weight_layout", "out_in");
        boolean identityIn = true;
        for (int k = 0; k <= net.dim(); k++) {
            identityIn &= net.inShift[k] == 0 && net.inScale[k] == 1;
        }
        if (!identityIn) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("shift", net.inputShift());
            in.put("scale", net.inputScale());
            j.put("input", in);
        }
        if (net.outputShift() != 0 || net.outputScale() != 1) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("shift", net.outputShift());
            out.put("scale", net.outputScale());
            j.put("output", out);
        }
        if (meta != null) {
            j.put("meta", meta);
        }
        npz.write(dir.resolve("weights.npz"));
        JSON.writeValue(dir.resolve("surrogate.json").toFile(), j);
    }

    /**
     * Writes a Gaussian-kernel surrogate û(y) = shift + scale·Σ_j α_j exp(−|y − c_j|²/(2ℓ²)), y = (x, t).
     *
     * @param centers row-major N × (d+1), x,t order
     */
    public static void writeRbf(Path dir, int d, double lengthscale, double[] centers, double[] alpha, double shift,
                                double scale, Map<String, Object> meta) throws IOException {
        Map<String, double[][]> blocks = new LinkedHashMap<>();
        blocks.put("value", new double[][] {centers, alpha});
        writeRbf(dir, d, lengthscale, blocks, shift, scale, meta);
    }

    /** Writes an {@link RbfModel} (every block it has, in the loader's block order) as format v1 {@code rbf-kernel}. */
    public static void writeRbf(Path dir, RbfModel model, Map<String, Object> meta) throws IOException {
        Map<String, double[][]> blocks = new LinkedHashMap<>();
        for (RbfModel.Block b : RbfModel.Block.values()) {
            if (model.has(b)) {
                blocks.put(b.id(), new double[][] {model.centersRef(b), model.alphaRef(b)});
            }
        }
        writeRbf(dir, model.dim(), model.lengthscale(), blocks, model.shift(), model.scale(), meta);
    }

    /** The one rbf-kernel writer: blocks by id, each {centers (N × (d+1), x,t order), alpha (N)}. */
    private static void writeRbf(Path dir, int d, double lengthscale, Map<String, double[][]> blocks, double shift,
                                 double scale, Map<String, Object> meta) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format", "scasml-surrogate");
        j.put("version", 1);
        j.put("type", "rbf-kernel");
        j.put("dim", d);
        j.put("input_order", "x,t");
        j.put("kernel", "gaussian");
        j.put("lengthscale", lengthscale);
        j.put("blocks", new ArrayList<>(blocks.keySet()));
        if (shift != 0 || scale != 1) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("shift", shift);
            out.put("scale", scale);
            j.put("output", out);
        }
        if (meta != null) {
            j.put("meta", meta);
        }
        NpzWriter npz = new NpzWriter();
        for (Map.Entry<String, double[][]> e : blocks.entrySet()) {
            int n = e.getValue()[1].length;
            npz.add(e.getKey() + ".centers", e.getValue()[0], n, d + 1).add(e.getKey() + ".alpha", e.getValue()[1], n);
        }
        npz.write(dir.resolve("weights.npz"));
        JSON.writeValue(dir.resolve("surrogate.json").toFile(), j);
    }
}
