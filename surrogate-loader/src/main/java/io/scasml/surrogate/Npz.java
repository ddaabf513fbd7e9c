package io.scasml.surrogate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A small, strict reader of NumPy {@code .npz} archives (a zip of {@code .npy} files, stored or deflated, ZIP64
 * aware), written for untrusted input.
 *
 * <p>Supported dtypes: {@code <f8}, {@code <f4}, {@code <i8}, {@code <i4} (and their big-endian {@code >} forms);
 * everything is converted to {@code double}. Fortran-ordered arrays of up to two dimensions are transposed into C
 * order; Fortran order with more dimensions is refused.
 *
 * <p>Nothing is allocated from a size the file declares before that size is checked against what the file holds:
 * the zip central directory's sizes against the archive length (and the deflate limit of 1032:1), the
 * {@code .npy} header's shape against the entry's uncompressed size. A tiny archive declaring 10<sup>12</sup>
 * elements is refused with a message, not an {@link OutOfMemoryError}.
 */
public final class Npz {

    private static final int SIG_EOCD = 0x06054b50;
    private static final int SIG_ZIP64_LOCATOR = 0x07064b50;
    private static final int SIG_ZIP64_EOCD = 0x06064b50;
    private static final int SIG_CEN = 0x02014b50;
    private static final int SIG_LOC = 0x04034b50;
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    /**
     * Reads every array of an {@code .npz} archive held in memory.
     *
     * @param file  the file's name for error messages
     * @param bytes the whole archive. Not modified.
     * @return arrays by name (entry name without {@code .npy}), in archive order
     * @throws SurrogateFormatException if the archive is truncated, malformed, encrypted, uses an unsupported
     *                                  compression or dtype, or an entry's declared size does not match its content
     */
    public static Map<String, NpyArray> read(String file, byte[] bytes) throws SurrogateFormatException {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = findEocd(file, bb);
        long entries = Short.toUnsignedInt(bb.getShort(eocd + 10));
        long cenSize = Integer.toUnsignedLong(bb.getInt(eocd + 12));
        long cenOff = Integer.toUnsignedLong(bb.getInt(eocd + 16));
        if (entries == 0xFFFF || cenSize == 0xFFFFFFFFL || cenOff == 0xFFFFFFFFL) {
            int loc = eocd - 20;
            if (loc < 0 || bb.getInt(loc) != SIG_ZIP64_LOCATOR) {
                throw new SurrogateFormatException(file, "ZIP64 end-of-directory locator missing (truncated npz?)");
            }
            long z64 = bb.getLong(loc + 8);
            if (z64 < 0 || z64 + 56 > bytes.length || bb.getInt((int) z64) != SIG_ZIP64_EOCD) {
                throw new SurrogateFormatException(file, "ZIP64 end-of-directory record missing (truncated npz?)");
            }
            entries = bb.getLong((int) z64 + 32);
            cenSize = bb.getLong((int) z64 + 40);
            cenOff = bb.getLong((int) z64 + 48);
        }
        if (cenOff < 0 || cenSize < 0 || cenOff + cenSize > bytes.length || entries < 0 || entries > cenSize / 46) {
            throw new SurrogateFormatException(file, "zip central directory lies outside the file (truncated npz?)");
        }
        Map<String, NpyArray> out = new LinkedHashMap<>();
        int p = (int) cenOff;
        for (long e = 0; e < entries; e++) {
            if (p + 46 > bytes.length || bb.getInt(p) != SIG_CEN) {
                throw new SurrogateFormatException(file, "zip central directory entry " + e + " is malformed");
            }
            int flags = Short.toUnsignedInt(bb.getShort(p + 8));
            int method = Short.toUnsignedInt(bb.getShort(p + 10));
            long crc = Integer.toUnsignedLong(bb.getInt(p + 16));
            long csize = Integer.toUnsignedLong(bb.getInt(p + 20));
            long usize = Integer.toUnsignedLong(bb.getInt(p + 24));
            int nameLen = Short.toUnsignedInt(bb.getShort(p + 28));
            int extraLen = Short.toUnsignedInt(bb.getShort(p + 30));
            int commentLen = Short.toUnsignedInt(bb.getShort(p + 32));
            long locOff = Integer.toUnsignedLong(bb.getInt(p + 42));
            if (p + 46L + nameLen + extraLen + commentLen > bytes.length) {
                throw new SurrogateFormatException(file, "zip central directory entry " + e + " is truncated");
            }
            String name = new String(bytes, p + 46, nameLen, StandardCharsets.UTF_8);
            // ZIP64 extra field: only the fields whose 32-bit value is saturated are present, in this order.
            int x = p + 46 + nameLen;
            int xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = Short.toUnsignedInt(bb.getShort(x));
                int len = Short.toUnsignedInt(bb.getShort(x + 2));
                if (id == 0x0001) {
                    int q = x + 4;
                    if (usize == 0xFFFFFFFFL && q + 8 <= x + 4 + len) {
                        usize = bb.getLong(q);
                        q += 8;
                    }
                    if (csize == 0xFFFFFFFFL && q + 8 <= x + 4 + len) {
                        csize = bb.getLong(q);
                        q += 8;
                    }
                    if (locOff == 0xFFFFFFFFL && q + 8 <= x + 4 + len) {
                        locOff = bb.getLong(q);
                    }
                }
                x += 4 + len;
            }
            p += 46 + nameLen + extraLen + commentLen;
            if (name.endsWith("/")) {
                continue;
            }
            String where = file + " [" + name + "]";
            if ((flags & 1) != 0) {
                throw new SurrogateFormatException(where, "encrypted zip entries are not supported");
            }
            if (method != 0 && method != 8) {
                throw new SurrogateFormatException(where,
                        "zip compression method " + method + " is not supported (expected 0 = stored or 8 = deflate)");
            }
            if (locOff < 0 || locOff + 30 > bytes.length || bb.getInt((int) locOff) != SIG_LOC) {
                throw new SurrogateFormatException(where, "local zip header missing (truncated npz?)");
            }
            long dataStart = locOff + 30 + Short.toUnsignedInt(bb.getShort((int) locOff + 26))
                    + Short.toUnsignedInt(bb.getShort((int) locOff + 28));
            if (csize < 0 || dataStart + csize > bytes.length) {
                throw new SurrogateFormatException(where, "entry declares " + csize + " compressed bytes but the file "
                        + "ends after " + Math.max(0, bytes.length - dataStart) + " (truncated npz)");
            }
            if (usize < 0 || usize > Integer.MAX_VALUE - 16
                    || (method == 0 && usize != csize) || (method == 8 && usize > csize * MAX_DEFLATE_RATIO + 64)) {
                throw new SurrogateFormatException(where, "entry declares an uncompressed size of " + usize
                        + " bytes, impossible for " + csize + " stored bytes");
            }
            byte[] raw = extract(where, bytes, (int) dataStart, (int) csize, (int) usize, method);
            CRC32 c = new CRC32();
            c.update(raw);
            if (c.getValue() != crc) {
                throw new SurrogateFormatException(where, "CRC mismatch (corrupt or truncated npz)");
            }
            String arrayName = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
            if (out.containsKey(arrayName)) {
                throw new SurrogateFormatException(where, "duplicate array name '" + arrayName + "'");
            }
            out.put(arrayName, parseNpy(where, arrayName, raw));
        }
        return out;
    }

    private static int findEocd(String file, ByteBuffer bb) throws SurrogateFormatException {
        int n = bb.capacity();
        if (n < 22) {
            throw new SurrogateFormatException(file, "not a zip archive (" + n + " bytes; truncated npz?)");
        }
        int stop = Math.max(0, n - 22 - 65535);
        for (int i = n - 22; i >= stop; i--) {
            if (bb.getInt(i) == SIG_EOCD && i + 22 + Short.toUnsignedInt(bb.getShort(i + 20)) == n) {
                return i;
            }
        }
        throw new SurrogateFormatException(file, "zip end-of-central-directory record not found (truncated or not an npz)");
    }

    private static byte[] extract(String where, byte[] bytes, int start, int csize, int usize, int method)
            throws SurrogateFormatException {
        if (method == 0) {
            byte[] raw = new byte[usize];
            System.arraycopy(bytes, start, raw, 0, usize);
            return raw;
        }
        Inflater inf = new Inflater(true);
        try {
            // One spare byte: a stream that inflates to more than it declared is detected, not truncated silently.
            byte[] raw = new byte[usize + 1];
            inf.setInput(bytes, start, csize);
            int got = 0;
            while (got < raw.length && !inf.finished()) {
                int k = inf.inflate(raw, got, raw.length - got);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                got += k;
            }
            if (got != usize || !inf.finished()) {
                throw new SurrogateFormatException(where, "deflate stream inflates to " + (got > usize ? "more than " : "")
                        + got + " bytes, expected " + usize + (inf.finished() ? "" : " (truncated npz)"));
            }
            return java.util.Arrays.copyOf(raw, usize);
        } catch (DataFormatException ex) {
            throw new SurrogateFormatException(where, "corrupt deflate data: " + ex.getMessage(), ex);
        } finally {
            inf.end();
        }
    }

    /**
     * Parses one {@code .npy} payload.
     *
     * @param where label for error messages
     * @param name  array name
     * @param raw   the complete {@code .npy} bytes. Not modified.
     * @return the array in C order
     * @throws SurrogateFormatException if the header is malformed, the dtype unsupported, or the declared shape does
     *                                  not match the payload size (checked before the array is allocated)
     */
    public static NpyArray parseNpy(String where, String name, byte[] raw) throws SurrogateFormatException {
        if (raw.length < 10 || (raw[0] & 0xFF) != 0x93 || raw[1] != 'N' || raw[2] != 'U' || raw[3] != 'M'
                || raw[4] != 'P' || raw[5] != 'Y') {
            throw new SurrogateFormatException(where, "not an .npy array (bad magic; truncated npz?)");
        }
        int major = raw[6] & 0xFF;
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (raw.length < 12) {
                throw new SurrogateFormatException(where, ".npy header truncated");
            }
            headerLen = Integer.toUnsignedLong(bb.getInt(8));
            headerStart = 12;
        } else {
            throw new SurrogateFormatException(where, ".npy format version " + major + " is not supported (expected 1, 2 or 3)");
        }
        if (headerStart + headerLen > raw.length) {
            throw new SurrogateFormatException(where, ".npy header declares " + headerLen + " bytes but the entry holds "
                    + (raw.length - headerStart) + " (truncated npz)");
        }
        String header = new String(raw, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher md = DESCR.matcher(header);
        Matcher mf = FORTRAN.matcher(header);
        Matcher ms = SHAPE.matcher(header);
        if (!md.find() || !mf.find() || !ms.find()) {
            throw new SurrogateFormatException(where, "malformed .npy header " + header.strip());
        }
        String descr = md.group(1);
        boolean fortran = mf.group(1).equals("True");
        String shapeText = ms.group(1).strip();
        List<Long> dims = new ArrayList<>();
        for (String part : shapeText.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException ex) {
                throw new SurrogateFormatException(where, "malformed .npy shape (" + shapeText + ")");
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        int itemSize;
        ByteOrder order;
        char kind;
        if (descr.length() == 3 && (descr.charAt(0) == '<' || descr.charAt(0) == '>' || descr.charAt(0) == '=')
                && "fi".indexOf(descr.charAt(1)) >= 0 && (descr.charAt(2) == '4' || descr.charAt(2) == '8')) {
            order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            kind = descr.charAt(1);
            itemSize = descr.charAt(2) - '0';
        } else {
            throw new SurrogateFormatException(where, "dtype '" + descr
                    + "' is not supported (expected <f8, <f4, <i8 or <i4)");
        }
        long count = 1;
        try {
            for (long s : shape) {
                count = Math.multiplyExact(count, s);
            }
            Math.multiplyExact(count, (long) itemSize);
        } catch (ArithmeticException ex) {
            count = Long.MAX_VALUE;
        }
        long payload = raw.length - headerStart - headerLen;
        if (count == Long.MAX_VALUE || count * itemSize != payload) {
            throw new SurrogateFormatException(where, "array '" + name + "' declares shape "
                    + NpyArray.shapeString(shape) + " = " + (count == Long.MAX_VALUE ? "overflowing" : count)
                    + " elements of " + itemSize + " bytes, but the entry holds " + payload + " data bytes");
        }
        if (fortran && shape.length > 2) {
            throw new SurrogateFormatException(where, "array '" + name + "' is in Fortran order with "
                    + shape.length + " dimensions; re-save it with np.ascontiguousarray");
        }
        ByteBuffer data = ByteBuffer.wrap(raw, (int) (headerStart + headerLen), (int) payload).slice().order(order);
        double[] v = new double[(int) count];
        for (int i = 0; i < v.length; i++) {
            int off = i * itemSize;
            if (kind == 'f') {
                v[i] = itemSize == 8 ? data.getDouble(off) : data.getFloat(off);
            } else {
                v[i] = itemSize == 8 ? data.getLong(off) : data.getInt(off);
            }
        }
        if (fortran && shape.length == 2) {
            int rows = (int) shape[0];
            int cols = (int) shape[1];
            double[] c = new double[v.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    c[i * cols + j] = v[j * rows + i];
                }
            }
            v = c;
        }
        return new NpyArray(name, descr, shape, v);
    }
}
