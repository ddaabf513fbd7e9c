package io.scasml.surrogate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helper: writes .npy/.npz files (little-endian f8/f4) and surrogate directories. */
final class TestNpz {

    private TestNpz() {
    }

    /** An .npy payload with an arbitrary declared header (for bad-input tests). */
    static byte[] npy(String descr, String shape, boolean fortran, byte[] payload) {
        String h = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape + "), }";
        int total = 10 + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder sb = new StringBuilder(h);
        sb.append(" ".repeat(pad)).append('\n');
        byte[] hb = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + hb.length + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) hb.length).put(hb).put(payload);
        return b.array();
    }

    static byte[] npyF8(double[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return npy("<f8", shapeText(shape), false, b.array());
    }

    static byte[] npyF4(double[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putFloat((float) x);
        }
        return npy("<f4", shapeText(shape), false, b.array());
    }

    static String shapeText(long... shape) {
        if (shape.length == 1) {
            return shape[0] + ",";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.toString();
    }

    /** A zip of named .npy payloads (names without .npy). */
    static byte[] zip(Map<String, byte[]> entries, boolean deflate) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey() + ".npy");
                if (!deflate) {
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    ze.setCompressedSize(e.getValue().length);
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    /**
     * Writes an MLP surrogate directory from canonical weights (x,t order, in_out), re-expressed in the requested
     * layout and input order.
     */
    static void writeMlp(Path dir, int d, String activation, int[] widths, double[][] w, double[][] b, String layout,
                         String order, String extraJson, boolean deflate) throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        StringBuilder names = new StringBuilder();
        for (int l = 0; l < w.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            double[] can = w[l].clone();
            if (l == 0 && order.equals("t,x")) {
                double[] p = new double[can.length];
                System.arraycopy(can, d * out, p, 0, out);
                System.arraycopy(can, 0, p, out, d * out);
                can = p;
            }
            double[] file;
            long[] shape;
            if (layout.equals("in_out")) {
                file = can;
                shape = new long[]{in, out};
            } else {
                file = new double[can.length];
                for (int i = 0; i < in; i++) {
                    for (int j = 0; j < out; j++) {
                        file[j * in + i] = can[i * out + j];
                    }
                }
                shape = new long[]{out, in};
            }
            String name = "layer_" + l;
            arrays.put(name + ".weight", npyF8(file, shape));
            arrays.put(name + ".bias", npyF8(b[l], out));
            names.append(l == 0 ? "" : ", ").append('"').append(name).append('"');
        }
        String json = "{\"format\": \"scasml-surrogate\", \"version\": 1, \"type\": \"mlp\", \"dim\": " + d
                + ", \"input_order\": \"" + order + "\", \"activation\": \"" + activation + "\", \"layers\": [" + names
                + "], \"weight_layout\": \"" + layout + "\"" + (extraJson == null ? "" : ", " + extraJson) + "}";
        Files.writeString(dir.resolve("surrogate.json"), json);
        Files.write(dir.resolve("weights.npz"), zip(arrays, deflate));
    }
}
