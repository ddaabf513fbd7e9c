package io.scasml.surrogate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal: one line naming the file and the problem, nothing half-loaded. */
class BadInputTest {

    @TempDir
    Path dir;

    private static final int D = 3;
    private static final int[] W = TestModels.widths(D, 4);

    private void writeGood(String extra) throws Exception {
        TestNpz.writeMlp(dir, D, "tanh", W, TestModels.randomWeights(W, 1), TestModels.randomBiases(W, 1), "out_in",
                "x,t", extra, false);
    }

    private String refused(String... mustContain) {
        SurrogateFormatException e = assertThrows(SurrogateFormatException.class,
                () -> SurrogateLoader.load(dir.toString()));
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        for (String s : mustContain) {
            assertTrue(msg.contains(s), "message '" + msg + "' should contain '" + s + "'");
        }
        return msg;
    }

    private void editJson(String from, String to) throws Exception {
        Path p = dir.resolve("surrogate.json");
        String s = Files.readString(p);
        assertTrue(s.contains(from), s);
        Files.writeString(p, s.replace(from, to));
    }

    @Test
    void goodFileLoads() throws Exception {
        writeGood(null);
        assertEquals(D, SurrogateLoader.load(dir.toString()).dim());
    }

    @Test
    void missingFiles() throws Exception {
        refused("surrogate.json", "file not found");
        writeGood(null);
        Files.delete(dir.resolve("weights.npz"));
        refused("weights.npz", "file not found");
    }

    @Test
    void unknownFormatVersionTypeActivationLayoutOrder() throws Exception {
        writeGood(null);
        editJson("scasml-surrogate", "other-format");
        refused("surrogate.json", "unknown format 'other-format'");
        writeGood(null);
        editJson("\"version\": 1", "\"version\": 2");
        refused("surrogate.json", "unsupported format version 2");
        writeGood(null);
        editJson("\"mlp\"", "\"transformer\"");
        refused("surrogate.json", "unknown type 'transformer'");
        writeGood(null);
        editJson("\"tanh\"", "\"gelu\"");
        refused("surrogate.json", "unknown activation 'gelu'");
        writeGood(null);
        editJson("\"out_in\"", "\"rows_cols\"");
        refused("surrogate.json", "unknown weight_layout 'rows_cols'");
        writeGood(null);
        editJson("\"x,t\"", "\"t,y\"");
        refused("surrogate.json", "unknown input_order");
        writeGood("\"actvation\": \"tanh\"");
        refused("surrogate.json", "unknown key 'actvation'");
        writeGood(null);
        Files.writeString(dir.resolve("surrogate.json"), "{not json");
        refused("surrogate.json", "not valid JSON");
    }

    @Test
    void reluIsRefusedWithTheReason() throws Exception {
        writeGood(null);
        editJson("\"tanh\"", "\"relu\"");
        refused("surrogate.json", "'relu' is refused", "not twice differentiable", "Laplacian");
    }

    @Test
    void layerShapesThatDoNotChain() throws Exception {
        int[] w = {D + 1, 4, 5, 1};
        double[][] ws = TestModels.randomWeights(w, 2);
        double[][] bs = TestModels.randomBiases(w, 2);
        TestNpz.writeMlp(dir, D, "tanh", w, ws, bs, "out_in", "x,t", null, false);
        // Replace layer_1.weight by a (5, 3) matrix: it takes width 3 but layer_0 outputs 4.
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("layer_0.weight", TestNpz.npyF8(new double[16], 4, 4));
        arrays.put("layer_0.bias", TestNpz.npyF8(new double[4], 4));
        arrays.put("layer_1.weight", TestNpz.npyF8(new double[15], 5, 3));
        arrays.put("layer_1.bias", TestNpz.npyF8(new double[5], 5));
        arrays.put("layer_2.weight", TestNpz.npyF8(new double[5], 1, 5));
        arrays.put("layer_2.bias", TestNpz.npyF8(new double[1], 1));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, false));
        refused("weights.npz", "do not chain", "'layer_1'", "(5, 3)", "'layer_0'", "(4, 4)");
        // A wrong first-layer input width names d+1.
        arrays.put("layer_0.weight", TestNpz.npyF8(new double[20], 4, 5));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, false));
        refused("weights.npz", "'layer_0'", "(4, 5)", "d+1 = 4");
    }

    @Test
    void missingArrayAndVectorOutput() throws Exception {
        writeGood(null);
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("layer_0.weight", TestNpz.npyF8(new double[16], 4, 4));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, false));
        refused("weights.npz", "'layer_0.bias'");
        arrays.put("layer_0.bias", TestNpz.npyF8(new double[4], 4));
        arrays.put("layer_1.weight", TestNpz.npyF8(new double[8], 2, 4));
        arrays.put("layer_1.bias", TestNpz.npyF8(new double[2], 2));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, false));
        refused("weights.npz", "outputs width 2", "one value");
    }

    @Test
    void nonFiniteWeights() throws Exception {
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY}) {
            double[][] ws = TestModels.randomWeights(W, 3);
            ws[1][2] = bad;
            TestNpz.writeMlp(dir, D, "tanh", W, ws, TestModels.randomBiases(W, 3), "out_in", "x,t", null, false);
            refused("weights.npz", "'layer_1.weight'", String.valueOf(bad), "(0, 2)");
        }
    }

    @Test
    void truncatedNpz() throws Exception {
        writeGood(null);
        byte[] full = Files.readAllBytes(dir.resolve("weights.npz"));
        for (int cut : new int[]{full.length - 1, full.length / 2, 10, 0}) {
            Files.write(dir.resolve("weights.npz"), Arrays.copyOf(full, cut));
            refused("weights.npz");
        }
        // Corrupt the payload (CRC) without changing sizes.
        byte[] bad = full.clone();
        bad[200] ^= 0x55;
        Files.write(dir.resolve("weights.npz"), bad);
        refused("weights.npz");
    }

    @Test
    void hugeDeclaredShapeIsRefusedBeforeAllocating() throws Exception {
        writeGood(null);
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("layer_0.weight", TestNpz.npy("<f8", "1000000, 1000000", false, new byte[64]));
        arrays.put("layer_0.bias", TestNpz.npyF8(new double[4], 4));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, true));
        refused("weights.npz", "layer_0.weight", "(1000000, 1000000)", "1000000000000 elements", "64 data bytes");
        arrays.put("layer_0.weight", TestNpz.npy("<f8", "4294967296, 4294967296, 4294967296", false, new byte[8]));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, false));
        refused("weights.npz", "overflowing");
    }

    @Test
    void unsupportedDtypeAndFortranOrder() throws Exception {
        writeGood(null);
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("layer_0.weight", TestNpz.npy("<f2", "4, 4", false, new byte[32]));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, false));
        refused("weights.npz", "dtype '<f2'");
        arrays.put("layer_0.weight", TestNpz.npy("<f8", "2, 2, 2", true, new byte[64]));
        Files.write(dir.resolve("weights.npz"), TestNpz.zip(arrays, false));
        refused("weights.npz", "Fortran order");
    }

    @Test
    void fortranOrderMatricesAreTransposed() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[]{1, 4, 2, 5, 3, 6}) {
            b.putDouble(v);
        }
        NpyArray a = Npz.parseNpy("x.npy", "x", TestNpz.npy("<f8", "2, 3", true, b.array()));
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, a.data());
    }

    @Test
    void dimensionThatDisagreesWithThePde() throws Exception {
        writeGood(null);
        var s = SurrogateLoader.load(dir.toString()).evaluator();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SurrogateResiduals.residual(TestModels.pde("lcd", 5, 0.5, 1, 0), s, 1, new double[1],
                        new double[5]));
        assertTrue(e.getMessage().contains("dimension 3") && e.getMessage().contains("dimension 5"), e.getMessage());
    }

    @Test
    void compactFormSurvivesJavaSerialization() throws Exception {
        writeGood("\"output\": {\"shift\": 1.0, \"scale\": 2.0}");
        SurrogateModel m = SurrogateLoader.load(dir.toString());
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bos)) {
            o.writeObject(m);
        }
        SurrogateModel back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            back = (SurrogateModel) in.readObject();
        }
        assertEquals(m.checksum(), back.checksum());
        double[] t = {0.1, 0.2};
        double[] x = {0.1, 0.2, 0.3, -0.1, 0.0, 0.5};
        double[] u1 = new double[2];
        double[] u2 = new double[2];
        m.materialize(EvalOptions.DEFAULT).value(2, t, x, u1);
        back.evaluator().value(2, t, x, u2);
        assertArrayEquals(u1, u2, 0.0);
    }
}
