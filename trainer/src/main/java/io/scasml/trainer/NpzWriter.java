package io.scasml.trainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy {@code .npz} archives of float64 arrays: a zip of STORED entries {@code <name>.npy}, each in NPY format
 * 1.0 (magic {@code \x93NUMPY}, version 1.0, little-endian header length, a Python-literal header dict padded with
 * spaces to a multiple of 64 bytes and ending in a newline, then little-endian {@code <f8} data in C order). Entry
 * timestamps are fixed, so the same arrays give the same bytes.
 */
public final class NpzWriter {
    private final Map<String, double[]> data = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    /**
     * Adds an array (kept by reference; insertion order is the archive order).
     *
     * @throws IllegalArgumentException if the shape does not match the length, or the name is taken
     */
    public NpzWriter add(String name, double[] values, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("array '" + name + "': " + values.length + " values for shape "
                    + java.util.Arrays.toString(shape));
        }
        if (data.containsKey(name)) {
            throw new IllegalArgumentException("array '" + name + "' added twice");
        }
        data.put(name, values);
        shapes.put(name, shape.clone());
        return this;
    }

    /** The NPY 1.0 encoding of one array. */
    static byte[] npy(double[] values, long[] shape) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sh.append(shape.length == 1 ? "," : ", ");
            }
        }
        sh.append(")");
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + sh + ", }";
        int pre = 10; // magic(6) + version(2) + header length(2)
        int total = pre + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(dict);
        for (int i = 0; i < pad; i++) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer bb = ByteBuffer.allocate(pre + hb.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bb.putShort((short) hb.length);
        bb.put(hb);
        for (double v : values) {
            bb.putDouble(v);
        }
        return bb.array();
    }

    /** The archive bytes. */
    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        write(bos);
        return bos.toByteArray();
    }

    /** Writes the archive. */
    public void write(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, double[]> e : data.entrySet()) {
            byte[] b = npy(e.getValue(), shapes.get(e.getKey()));
            ZipEntry ze = new ZipEntry(e.getKey() + ".npy");
            ze.setMethod(ZipEntry.STORED);
            ze.setSize(b.length);
            ze.setCompressedSize(b.length);
            CRC32 crc = new CRC32();
            crc.update(b);
            ze.setCrc(crc.getValue());
            ze.setTime(315532800000L + 12 * 3600_000L); // 1980-01-01, fixed for reproducible bytes
            zip.putNextEntry(ze);
            zip.write(b);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** Writes the archive to a file. */
    public void write(Path file) throws IOException {
        Files.write(file, toBytes());
    }
}
