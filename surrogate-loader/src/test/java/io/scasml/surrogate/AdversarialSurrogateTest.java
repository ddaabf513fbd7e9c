package io.scasml.surrogate;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile surrogate directories: zip bombs, declared-shape overflows, entries sharing data, duplicate and unused
 * entries, shape caps, misleading JSON. Every case asserts a {@link SurrogateFormatException} (so neither an
 * {@link OutOfMemoryError} nor any other throwable) with a one-line message naming the file, the entry or field, the
 * value and the limit or expectation, and the resource cases a wall-time bound.
 *
 * <p>With {@code -Dscasml.adversarial.dump=DIR} every case's directory is also copied to {@code DIR/<case>} (to try
 * the same inputs against another version of the loader).
 */
class AdversarialSurrogateTest {

    @TempDir
    java.nio.file.Path dir;

    private static final int D = 3;
    private static final int[] W = TestModels.widths(D, 4);
    /** Wall-time bound for the resource cases (the machine is shared; the old loader took minutes or died). */
    private static final long RESOURCE_MS = 3_000;
    private static final int MIB = 1 << 20;

    // ---------------------------------------------------------------- helpers

    private static String json(String activation, String layers, String extra) {
        return "{\"format\": \"scasml-surrogate\", \"version\": 1, \"type\": \"mlp\", \"dim\": " + D
                + ", \"input_order\": \"x,t\", \"activation\": \"" + activation + "\", \"layers\": [" + layers
                + "], \"weight_layout\": \"out_in\"" + (extra == null ? "" : ", " + extra) + "}";
    }

    private static final String LAYERS = "\"layer_0\", \"layer_1\"";

    /** The arrays of the good 4 → 4 → 1 network (out_in). */
    private static Map<String, byte[]> goodArrays() {
        double[][] w = TestModels.randomWeights(W, 5);
        double[][] b = TestModels.randomBiases(W, 5);
        Map<String, byte[]> a = new LinkedHashMap<>();
        for (int l = 0; l < 2; l++) {
            int in = W[l];
            int out = W[l + 1];
            double[] f = new double[in * out];
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    f[j * in + i] = w[l][i * out + j];
                }
            }
            a.put("layer_" + l + ".weight", TestNpz.npyF8(f, out, in));
            a.put("layer_" + l + ".bias", TestNpz.npyF8(b[l], out));
        }
        return a;
    }

    private void write(String json, byte[] npz) throws IOException {
        Files.writeString(dir.resolve("surrogate.json"), json);
        if (npz != null) {
            Files.write(dir.resolve("weights.npz"), npz);
        }
    }

    private void writeJsonBytes(byte[] json, byte[] npz) throws IOException {
        Files.write(dir.resolve("surrogate.json"), json);
        Files.write(dir.resolve("weights.npz"), npz);
    }

    private static byte[] stored(Map<String, byte[]> arrays) {
        ZipForge z = new ZipForge();
        arrays.forEach((k, v) -> z.entry(ZipForge.stored(k + ".npy", v)));
        return z.finish();
    }

    private String refused(String name, SurrogateLimits limits, long maxMillis, String... parts) throws IOException {
        dump(name);
        long t0 = System.nanoTime();
        SurrogateFormatException e = assertThrows(SurrogateFormatException.class,
                () -> SurrogateLoader.load(dir.toString(), new Configuration(), limits));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String msg = e.getMessage();
        assertFalse(msg.contains("\n") || msg.contains("\r"), "one line: " + msg);
        assertTrue(msg.startsWith(dir.toString()), "names the file: " + msg);
        for (String s : parts) {
            assertTrue(msg.contains(s), "message '" + msg + "' should contain '" + s + "'");
        }
        assertTrue(ms <= maxMillis, name + " took " + ms + " ms (bound " + maxMillis + " ms): " + msg);
        System.err.println("[adversarial] " + name + " (" + ms + " ms): " + msg.substring(dir.toString().length()));
        return msg;
    }

    private String refused(String name, String... parts) throws IOException {
        return refused(name, SurrogateLimits.DEFAULT, 20_000, parts);
    }

    private void dump(String name) throws IOException {
        String to = System.getProperty("scasml.adversarial.dump");
        if (to == null) {
            return;
        }
        java.nio.file.Path d = java.nio.file.Path.of(to, name);
        Files.createDirectories(d);
        for (String f : new String[]{"surrogate.json", "weights.npz"}) {
            if (Files.exists(dir.resolve(f))) {
                Files.copy(dir.resolve(f), d.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** An .npy header (no data) declaring {@code shape} of dtype {@code descr}. */
    private static byte[] npyHeader(String descr, String shape) {
        return TestNpz.npy(descr, shape, false, new byte[0]);
    }

    /**
     * A raw deflate stream of {@code head} followed by {@code mib} MiB of zeros, built in milliseconds: the middle
     * chunk (compressed with a full window of zeros, ended by a sync flush) is repeated.
     */
    private static byte[] zeroBomb(byte[] head, int mib) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[MIB];
        byte[] buf = new byte[1 << 16];
        java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
        d.setInput(head);
        drain(d, buf, first, Deflater.NO_FLUSH);
        d.setInput(zeros);
        drain(d, buf, first, Deflater.SYNC_FLUSH);
        java.io.ByteArrayOutputStream middle = new java.io.ByteArrayOutputStream();
        d.setInput(zeros);
        drain(d, buf, middle, Deflater.SYNC_FLUSH);
        java.io.ByteArrayOutputStream last = new java.io.ByteArrayOutputStream();
        d.finish();
        while (!d.finished()) {
            last.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] m = middle.toByteArray();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(first.toByteArray());
        for (int i = 1; i < mib; i++) {
            all.writeBytes(m);
        }
        all.writeBytes(last.toByteArray());
        return all.toByteArray();
    }

    private static void drain(Deflater d, byte[] buf, java.io.ByteArrayOutputStream o, int flush) {
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, flush);
            o.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
    }

    private static long zeroCrc(byte[] head, int mib) {
        CRC32 c = new CRC32();
        c.update(head);
        byte[] zeros = new byte[MIB];
        for (int i = 0; i < mib; i++) {
            c.update(zeros);
        }
        return c.getValue();
    }

    // ---------------------------------------------------------------- sanity

    @Test
    void theBaseCaseLoads() throws Exception {
        write(json("tanh", LAYERS, null), stored(goodArrays()));
        assertEquals(D, SurrogateLoader.load(dir.toString()).dim());
    }

    @Test
    void zeroBombHelperInflatesToWhatItDeclares() throws Exception {
        byte[] head = npyHeader("<f8", (2 * MIB / 8) + ",");
        byte[] z = zeroBomb(head, 2);
        java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
        inf.setInput(z);
        byte[] out = new byte[head.length + 2 * MIB + 1];
        int got = 0;
        while (!inf.finished()) {
            got += inf.inflate(out, got, out.length - got);
        }
        inf.end();
        assertEquals(head.length + 2 * MIB, got);
        CRC32 c = new CRC32();
        c.update(out, 0, got);
        assertEquals(zeroCrc(head, 2), c.getValue());
    }

    // ---------------------------------------------------------------- zip bombs

    /** Four entries of 1 GiB each in a 4 MB file: refused from the central directory, nothing inflated. */
    @Test
    void zipBombOfGigabytesIsRefusedBeforeInflating() throws Exception {
        int mib = 1024;
        byte[] head = npyHeader("<f8", ((long) mib * MIB / 8) + ",");
        byte[] stream = zeroBomb(head, mib);
        long crc = zeroCrc(head, mib);
        ZipForge z = new ZipForge();
        for (String n : new String[]{"layer_0.weight", "layer_0.bias", "layer_1.weight", "layer_1.bias"}) {
            z.entry(ZipForge.deflatedRaw(n + ".npy", stream, head.length + (long) mib * MIB, crc));
        }
        byte[] npz = z.finish();
        assertTrue(npz.length < 8 * MIB, "a small file: " + npz.length);
        write(json("tanh", LAYERS, null), npz);
        refused("zip_bomb_4GiB", SurrogateLimits.DEFAULT, RESOURCE_MS, "weights.npz", "4294967808 uncompressed bytes",
                "the limit is " + SurrogateLimits.DEFAULT_INFLATED_BYTES, "--surrogate-max-inflated-bytes");
    }

    /** With the inflation budget raised, the declared array size (read from the .npy headers only) still stops it. */
    @Test
    void zipBombIsStoppedByTheDeclaredArrayBudgetFromHeadersAlone() throws Exception {
        int mib = 1024;
        byte[] head = npyHeader("<f8", ((long) mib * MIB / 8) + ",");
        byte[] stream = zeroBomb(head, mib);
        ZipForge z = new ZipForge();
        z.entry(ZipForge.deflatedRaw("layer_0.weight.npy", stream, head.length + (long) mib * MIB,
                zeroCrc(head, mib)));
        write(json("tanh", LAYERS, null), z.finish());
        refused("zip_bomb_array_budget", SurrogateLimits.DEFAULT.withMaxInflatedBytes(8L << 30), RESOURCE_MS,
                "[layer_0.weight.npy]", "'layer_0.weight' (134217728,)", "1073741824 bytes",
                "--surrogate-max-array-bytes");
    }

    /** An entry that declares 256 bytes but inflates to 256 MiB: inflation stops at the declared size. */
    @Test
    void lyingZipBombStopsAtTheDeclaredSize() throws Exception {
        Map<String, byte[]> a = goodArrays();
        byte[] w0 = a.get("layer_0.weight");
        byte[] stream = zeroBomb(w0, 256);
        ZipForge z = new ZipForge();
        z.entry(ZipForge.deflatedRaw("layer_0.weight.npy", stream, w0.length, ZipForge.crc(w0)));
        z.entry(ZipForge.stored("layer_0.bias.npy", a.get("layer_0.bias")));
        z.entry(ZipForge.stored("layer_1.weight.npy", a.get("layer_1.weight")));
        z.entry(ZipForge.stored("layer_1.bias.npy", a.get("layer_1.bias")));
        write(json("tanh", LAYERS, null), z.finish());
        refused("zip_bomb_lying_size", SurrogateLimits.DEFAULT, RESOURCE_MS, "[layer_0.weight.npy]",
                "inflates to more than " + w0.length + " bytes", "expected " + w0.length, "stopped there");
    }

    /** A deflated entry declaring more than the deflate format can expand to. */
    @Test
    void impossibleCompressionRatioIsRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        ZipForge.Entry e = ZipForge.deflated("layer_0.weight.npy", a.get("layer_0.weight"));
        e.usize = e.csize * 2000;
        ZipForge z = new ZipForge();
        z.entry(e);
        write(json("tanh", LAYERS, null), z.finish());
        refused("impossible_ratio", "[layer_0.weight.npy]", "uncompressed size of " + e.usize, "impossible for "
                + e.csize);
    }

    @Test
    void tooManyEntriesAreRefusedBeforeParsingThem() throws Exception {
        ZipForge z = new ZipForge();
        byte[] tiny = TestNpz.npyF8(new double[1], 1);
        for (int i = 0; i < 3000; i++) {
            z.entry(ZipForge.stored("a" + i + ".npy", tiny));
        }
        write(json("tanh", LAYERS, null), z.finish());
        refused("too_many_entries", SurrogateLimits.DEFAULT, RESOURCE_MS, "weights.npz", "3000 entries",
                "the limit is 1024", "--surrogate-max-entries");
    }

    @Test
    void npzFileLargerThanTheLimitIsNotRead() throws Exception {
        write(json("tanh", LAYERS, null), stored(goodArrays()));
        long len = Files.size(dir.resolve("weights.npz"));
        refused("npz_file_limit", SurrogateLimits.DEFAULT.withMaxNpzBytes(100), RESOURCE_MS, "weights.npz",
                "file of " + len + " bytes", "the limit is 100", "--surrogate-max-npz-bytes");
    }

    @Test
    void totalInflatedBytesAreCountedAgainstALoweredLimit() throws Exception {
        Map<String, byte[]> a = goodArrays();
        long total = a.values().stream().mapToLong(b -> b.length).sum();
        write(json("tanh", LAYERS, null), stored(a));
        refused("inflated_limit", SurrogateLimits.DEFAULT.withMaxInflatedBytes(total - 1), RESOURCE_MS,
                "weights.npz", total + " uncompressed bytes", "the limit is " + (total - 1),
                "--surrogate-max-inflated-bytes");
        // exactly at the limit: loads
        assertEquals(D, SurrogateLoader.load(dir.toString(), new Configuration(),
                SurrogateLimits.DEFAULT.withMaxInflatedBytes(total)).dim());
    }

    // ---------------------------------------------------------------- declared shapes

    @Test
    void shapeOverflowIsRefusedBeforeAllocating() throws Exception {
        Map<String, byte[]> a = goodArrays();
        a.put("layer_0.weight", TestNpz.npy("<f8", "2147483648, 2147483648", false, new byte[128]));
        write(json("tanh", LAYERS, null), stored(a));
        refused("shape_overflow", SurrogateLimits.DEFAULT, RESOURCE_MS, "[layer_0.weight.npy]",
                "(2147483648, 2147483648)", "overflowing", "128 data bytes");
    }

    @Test
    void hugeDeclaredShapeWithATinyPayloadIsRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        a.put("layer_0.weight", TestNpz.npy("<f4", "65536, 65536", false, new byte[64]));
        write(json("tanh", LAYERS, null), stored(a));
        refused("shape_vs_payload", SurrogateLimits.DEFAULT, RESOURCE_MS, "[layer_0.weight.npy]",
                "(65536, 65536)", "4294967296 elements of 4 bytes", "64 data bytes");
    }

    @Test
    void hugeNpyHeaderIsRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
        b.putInt(Integer.MAX_VALUE);
        a.put("layer_0.weight", b.array());
        write(json("tanh", LAYERS, null), stored(a));
        refused("huge_npy_header", SurrogateLimits.DEFAULT, RESOURCE_MS, "[layer_0.weight.npy]",
                ".npy header of 2147483647 bytes", "the limit is 65536");
    }

    @Test
    void declaredArrayBytesAgainstALoweredLimit() throws Exception {
        write(json("tanh", LAYERS, null), stored(goodArrays()));
        refused("array_bytes_limit", SurrogateLimits.DEFAULT.withMaxArrayBytes(100), RESOURCE_MS,
                "[layer_0.weight.npy]", "'layer_0.weight' (4, 4)", "128 bytes", "the limit is 100",
                "--surrogate-max-array-bytes");
    }

    // ---------------------------------------------------------------- entries that share data or disagree

    /** Entry B's local header and data lie inside entry A's stored data: the two share bytes. */
    @Test
    void entriesSharingDataAreRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        ZipForge.Entry inner = ZipForge.stored("layer_0.bias.npy", a.get("layer_0.bias"));
        byte[] innerBytes = ZipForge.localBytes(inner);
        ZipForge.Entry outer = ZipForge.stored("layer_0.weight.npy", innerBytes);
        ZipForge z = new ZipForge();
        int off = z.local(outer);
        z.central(outer, off);
        z.central(inner, off + 30 + outer.name.length());
        z.entry(ZipForge.stored("layer_1.weight.npy", a.get("layer_1.weight")));
        z.entry(ZipForge.stored("layer_1.bias.npy", a.get("layer_1.bias")));
        write(json("tanh", LAYERS, null), z.finish());
        refused("overlapping_entries", SurrogateLimits.DEFAULT, RESOURCE_MS, "[layer_0.bias.npy]",
                "overlaps entry 'layer_0.weight.npy'", "share data");
    }

    /** Classic overlapping bomb: many central entries point at one local header (one compressed stream). */
    @Test
    void manyCentralEntriesOnOneLocalHeaderAreRefused() throws Exception {
        int mib = 64;
        byte[] head = npyHeader("<f8", ((long) mib * MIB / 8) + ",");
        ZipForge.Entry e = ZipForge.deflatedRaw("layer_0.weight.npy", zeroBomb(head, mib),
                head.length + (long) mib * MIB, zeroCrc(head, mib));
        ZipForge z = new ZipForge();
        int off = z.local(e);
        for (String n : new String[]{"layer_0.weight", "layer_0.bias", "layer_1.weight", "layer_1.bias"}) {
            ZipForge.Entry c = e.copy();
            c.name = n + ".npy";
            z.central(c, off);
        }
        write(json("tanh", LAYERS, null), z.finish());
        refused("shared_local_header", SurrogateLimits.DEFAULT, RESOURCE_MS, "[layer_0.bias.npy]",
                "the local header names the entry 'layer_0.weight.npy'", "must agree");
    }

    @Test
    void duplicateEntryNamesAreRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        ZipForge z = new ZipForge();
        a.forEach((k, v) -> z.entry(ZipForge.stored(k + ".npy", v)));
        z.entry(ZipForge.stored("layer_0.weight.npy", TestNpz.npyF8(new double[16], 4, 4)));
        write(json("tanh", LAYERS, null), z.finish());
        refused("duplicate_entry_name", "[layer_0.weight.npy]", "duplicate zip entry name");
    }

    @Test
    void duplicateArrayNamesWithAndWithoutSuffixAreRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        ZipForge z = new ZipForge();
        a.forEach((k, v) -> z.entry(ZipForge.stored(k + ".npy", v)));
        z.entry(ZipForge.stored("layer_0.weight", TestNpz.npyF8(new double[16], 4, 4)));
        write(json("tanh", LAYERS, null), z.finish());
        refused("duplicate_array_name", "[layer_0.weight]", "duplicate array name 'layer_0.weight'");
    }

    @Test
    void localHeaderSizesThatDisagreeWithTheCentralDirectoryAreRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        ZipForge.Entry e = ZipForge.stored("layer_0.weight.npy", a.get("layer_0.weight"));
        ZipForge.Entry lie = e.copy();
        lie.usize = 1 << 30;
        ZipForge z = new ZipForge();
        int off = z.local(lie);
        z.central(e, off);
        write(json("tanh", LAYERS, null), z.finish());
        refused("local_central_sizes", "[layer_0.weight.npy]", "the local header declares", "1073741824 uncompressed",
                "must agree");
    }

    @Test
    void localHeaderMethodThatDisagreesIsRefused() throws Exception {
        Map<String, byte[]> a = goodArrays();
        ZipForge.Entry e = ZipForge.stored("layer_0.weight.npy", a.get("layer_0.weight"));
        ZipForge.Entry lie = e.copy();
        lie.method = 8;
        ZipForge z = new ZipForge();
        int off = z.local(lie);
        z.central(e, off);
        write(json("tanh", LAYERS, null), z.finish());
        refused("local_central_method", "[layer_0.weight.npy]", "compression method 8", "central directory 0");
    }

    @Test
    void directoryEntriesAreRefused() throws Exception {
        ZipForge z = new ZipForge();
        z.entry(ZipForge.stored("hidden/", new byte[0]));
        goodArrays().forEach((k, v) -> z.entry(ZipForge.stored(k + ".npy", v)));
        write(json("tanh", LAYERS, null), z.finish());
        refused("directory_entry", "[hidden/]", "directory entry");
    }

    @Test
    void unusedArraysAreRefusedNamingThem() throws Exception {
        Map<String, byte[]> a = goodArrays();
        a.put("secret_payload", TestNpz.npyF8(new double[1000], 1000));
        a.put("layer_9.weight", TestNpz.npyF8(new double[4], 2, 2));
        write(json("tanh", LAYERS, null), stored(a));
        refused("unused_arrays", "weights.npz", "arrays 'secret_payload', 'layer_9.weight' are not used",
                "it reads layer_0.weight", "remove them");
    }

    // ---------------------------------------------------------------- network caps

    /** 65 layers: refused from surrogate.json alone; weights.npz is not even opened (it does not exist). */
    @Test
    void depthCapIsCheckedBeforeTheNpzIsRead() throws Exception {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            l.append(i == 0 ? "" : ", ").append("\"l").append(i).append('"');
        }
        write(json("tanh", l.toString(), null), null);
        refused("depth_cap", SurrogateLimits.DEFAULT, RESOURCE_MS, "surrogate.json", "'layers' lists 65 layers",
                "the limit is 64", "--surrogate-max-layers");
    }

    @Test
    void widthCapIsCheckedFromTheHeaders() throws Exception {
        Map<String, byte[]> a = goodArrays();
        int wide = 70_000;
        a.put("layer_0.weight", TestNpz.npyF8(new double[wide * 4], wide, 4));
        a.put("layer_0.bias", TestNpz.npyF8(new double[wide], wide));
        a.put("layer_1.weight", TestNpz.npyF8(new double[wide], 1, wide));
        write(json("tanh", LAYERS, null), stored(a));
        refused("width_cap", SurrogateLimits.DEFAULT, RESOURCE_MS, "weights.npz", "layer 'layer_0'",
                "'layer_0.weight' has shape (70000, 4)", "width of 70000", "the limit is 65536",
                "--surrogate-max-width");
    }

    @Test
    void inputWidthCapFromDim() throws Exception {
        write(json("tanh", LAYERS, null).replace("\"dim\": 3", "\"dim\": 999999"), null);
        refused("dim_width_cap", SurrogateLimits.DEFAULT, RESOURCE_MS, "surrogate.json", "'dim' 999999",
                "d+1 = 1000000", "the limit is 65536", "--surrogate-max-width");
    }

    @Test
    void parameterCap() throws Exception {
        write(json("tanh", LAYERS, null), stored(goodArrays()));
        refused("parameter_cap", SurrogateLimits.DEFAULT.withMaxParameters(20), RESOURCE_MS, "weights.npz",
                "hold 25 parameters", "the limit is 20", "--surrogate-max-parameters");
    }

    @Test
    void parameterCapOnAKernelSurrogate() throws Exception {
        int n = 50;
        Map<String, byte[]> a = new LinkedHashMap<>();
        a.put("value.centers", TestNpz.npyF8(new double[n * (D + 1)], n, D + 1));
        a.put("value.alpha", TestNpz.npyF8(new double[n], n));
        write("{\"format\": \"scasml-surrogate\", \"version\": 1, \"type\": \"rbf-kernel\", \"dim\": " + D
                + ", \"input_order\": \"x,t\", \"lengthscale\": 1.0, \"blocks\": [\"value\"]}", stored(a));
        refused("parameter_cap_rbf", SurrogateLimits.DEFAULT.withMaxParameters(100), RESOURCE_MS, "weights.npz",
                "hold 250 parameters", "the limit is 100", "--surrogate-max-parameters");
    }

    // ---------------------------------------------------------------- surrogate.json

    /** A refused relu must not hide behind a later tanh. */
    @Test
    void duplicateKeysAreRefused() throws Exception {
        write(json("relu", LAYERS, "\"activation\": \"tanh\""), stored(goodArrays()));
        refused("duplicate_key_activation", "surrogate.json", "duplicate key 'activation'", "line 1");
    }

    @Test
    void duplicateNestedKeysAreRefused() throws Exception {
        write(json("tanh", LAYERS, "\"output\": {\"scale\": 0.0, \"shift\": 1, \"scale\": 2.0}"), stored(goodArrays()));
        refused("duplicate_key_nested", "surrogate.json", "duplicate key 'scale'");
    }

    @Test
    void byteOrderMarkIsStrippedAndTheFileReadAsWritten() throws Exception {
        byte[] body = json("tanh", LAYERS, null).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        byte[] npz = stored(goodArrays());
        writeJsonBytes(body, npz);
        String plain = SurrogateLoader.load(dir.toString()).checksum();
        writeJsonBytes(withBom, npz);
        dump("bom_accepted");
        assertEquals(plain, SurrogateLoader.load(dir.toString()).checksum());
    }

    @Test
    void nonUtf8JsonIsRefusedWithTheByteOffset() throws Exception {
        byte[] body = json("tanh", LAYERS, "\"meta\": {\"author\": \"M\u00fcller\"}").getBytes(StandardCharsets.ISO_8859_1);
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf('\u00fc');
        writeJsonBytes(body, stored(goodArrays()));
        refused("non_utf8_json", "surrogate.json", "not UTF-8", "byte 0xFC at byte offset " + at);
    }

    @Test
    void utf16JsonIsRefused() throws Exception {
        byte[] body = ("\uFEFF" + json("tanh", LAYERS, null)).getBytes(StandardCharsets.UTF_16LE);
        writeJsonBytes(body, stored(goodArrays()));
        refused("utf16_json", "surrogate.json", "not UTF-8", "at byte offset 0");
    }

    @Test
    void yamlAnchorsAndTagsAreRefused() throws Exception {
        write(json("tanh", LAYERS, "\"meta\": &a {\"x\": 1}"), stored(goodArrays()));
        refused("yaml_anchor_in_json", "surrogate.json", "not valid JSON");
        write(json("tanh", LAYERS, "\"meta\": !!binary \"AAAA\""), stored(goodArrays()));
        refused("yaml_tag_in_json", "surrogate.json", "not valid JSON");
    }

    @Test
    void nonFiniteNumbersAreRefused() throws Exception {
        write(json("tanh", LAYERS, "\"output\": {\"scale\": 1e999}"), stored(goodArrays()));
        refused("json_overflow_number", "surrogate.json", "'1e999' is not finite");
        write(json("tanh", LAYERS, "\"output\": {\"scale\": NaN}"), stored(goodArrays()));
        refused("json_nan_literal", "surrogate.json", "not valid JSON", "NaN");
    }

    @Test
    void deeplyNestedJsonIsRefused() throws Exception {
        String deep = "[".repeat(100) + "]".repeat(100);
        write(json("tanh", LAYERS, "\"meta\": " + deep), stored(goodArrays()));
        refused("json_deep_nesting", "surrogate.json", "nested deeper than 32 levels");
    }

    @Test
    void oversizedJsonIsNotRead() throws Exception {
        String big = "\"meta\": {\"pad\": \"" + "x".repeat(200) + "\"}";
        write(json("tanh", LAYERS, big), stored(goodArrays()));
        long len = Files.size(dir.resolve("surrogate.json"));
        refused("json_file_limit", SurrogateLimits.DEFAULT.withMaxJsonBytes(128), RESOURCE_MS, "surrogate.json",
                "file of " + len + " bytes", "the limit is 128", "--surrogate-max-json-bytes");
    }

    @Test
    void truncatedJsonIsRefused() throws Exception {
        String j = json("tanh", LAYERS, null);
        write(j.substring(0, j.length() / 2), stored(goodArrays()));
        refused("truncated_json", "surrogate.json", "not valid JSON");
    }

    /** Control characters and megabytes in names from the file cannot break or flood the one-line message. */
    @Test
    void hostileNamesCannotBreakTheMessage() throws Exception {
        write(json("tanh\\u001b[2J\\n\\rEXIT 0" + "x".repeat(5000), LAYERS, null), stored(goodArrays()));
        String m = refused("hostile_activation_name", "surrogate.json", "unknown activation 'tanh?[2J  EXIT 0x");
        assertTrue(m.length() <= io.scasml.io.Messages.MAX_LINE + 3, "bounded: " + m.length());
        assertTrue(m.chars().noneMatch(Character::isISOControl), m);
        Map<String, byte[]> a = goodArrays();
        a.put("evil\u0007\nname", TestNpz.npyF8(new double[1], 1));
        write(json("tanh", LAYERS, null), stored(a));
        m = refused("hostile_entry_name", "weights.npz", "'evil? name' is not used");
        assertTrue(m.chars().noneMatch(Character::isISOControl), m);
    }

    // ---------------------------------------------------------------- arrays

    @Test
    void truncatedNpzIsRefusedAtEveryCut() throws Exception {
        byte[] full = stored(goodArrays());
        for (int cut : new int[]{0, 21, 100, full.length / 2, full.length - 23, full.length - 1}) {
            write(json("tanh", LAYERS, null), Arrays.copyOf(full, cut));
            refused("truncated_npz_" + cut, "weights.npz");
        }
    }

    @Test
    void wrongDtypesAreRefused() throws Exception {
        for (String[] c : new String[][]{{"<c16", "256"}, {"|b1", "16"}, {"<U4", "256"}, {"|O", "128"},
                {"<f2", "32"}}) {
            Map<String, byte[]> a = goodArrays();
            a.put("layer_0.weight", TestNpz.npy(c[0], "4, 4", false, new byte[Integer.parseInt(c[1])]));
            write(json("tanh", LAYERS, null), stored(a));
            refused("wrong_dtype_" + c[0].replaceAll("[^a-zA-Z0-9]", ""), "[layer_0.weight.npy]",
                    "array 'layer_0.weight': dtype '" + c[0] + "' is not supported", "expected <f8, <f4");
        }
    }

    @Test
    void nanAndInfinityWeightsAreRefusedNamingArrayAndIndex() throws Exception {
        double[] bad = {Double.NaN, Double.NEGATIVE_INFINITY};
        for (double v : bad) {
            Map<String, byte[]> a = goodArrays();
            double[] w = new double[4];
            w[3] = v;
            a.put("layer_1.weight", TestNpz.npyF4(w, 1, 4));
            write(json("tanh", LAYERS, null), stored(a));
            refused("nonfinite_weight_" + (Double.isNaN(v) ? "nan" : "inf"), "weights.npz", "'layer_1.weight'",
                    "contains " + v, "(0, 3)", "weights must be finite");
        }
    }

    // ---------------------------------------------------------------- configuration and CLI

    /** A file system only the given configuration knows: proves the loader opens through it. */
    public static final class CountingFs extends RawLocalFileSystem {
        static final AtomicInteger OPENS = new AtomicInteger();

        @Override
        public URI getUri() {
            return URI.create("advtest:///");
        }

        @Override
        public String getScheme() {
            return "advtest";
        }

        @Override
        public FSDataInputStream open(Path f, int bufferSize) throws IOException {
            OPENS.incrementAndGet();
            return super.open(f, bufferSize);
        }
    }

    @Test
    void filesAreOpenedThroughTheGivenConfiguration() throws Exception {
        write(json("tanh", LAYERS, null), stored(goodArrays()));
        Configuration conf = new Configuration(false);
        conf.set("fs.advtest.impl", CountingFs.class.getName());
        conf.setBoolean("fs.advtest.impl.disable.cache", true);
        String loc = "advtest://" + dir.toAbsolutePath();
        int before = CountingFs.OPENS.get();
        assertEquals(D, SurrogateLoader.load(loc, conf).dim());
        assertEquals(2, CountingFs.OPENS.get() - before, "surrogate.json and weights.npz through the given conf");
        // A fresh configuration does not know the scheme: nothing inside the loader may fall back to one.
        assertThrows(IOException.class, () -> SurrogateLoader.load(loc, new Configuration()));
    }

    @Test
    void inspectTakesTheLimitOptionsAndExitsTwoWithOneLine() throws Exception {
        write(json("tanh", LAYERS, null), stored(goodArrays()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new InspectCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(dir.toString(), "--surrogate-max-parameters", "10");
        assertEquals(2, rc);
        String e = err.toString().strip();
        assertFalse(e.contains("\n"), e);
        assertTrue(e.contains("weights.npz: the arrays hold 25 parameters; the limit is 10 (raise it with "
                + "--surrogate-max-parameters)"), e);
        rc = new CommandLine(new InspectCommand()).execute(dir.toString(), "--surrogate-max-parameters", "0");
        assertEquals(2, rc);
        List<String> names = new ArrayList<>(new SurrogateLimitsOptions().toLimits().toMap().keySet());
        assertEquals(8, names.size());
        for (String n : names) {
            assertTrue(cl.getCommandSpec().findOption("--" + n) != null, n);
        }
    }
}
