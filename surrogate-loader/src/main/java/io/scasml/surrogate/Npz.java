package io.scasml.surrogate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>{@link #open} reads only the structure: the central directory, every local header (which must agree with its
 * central entry: name, method, CRC and sizes), the entries' byte ranges (overlapping entries, i.e. entries sharing
 * compressed data, are refused, as are duplicate names and directory entries) and each entry's {@code .npy} header
 * (dtype and shape, checked against the entry's declared size). The {@link SurrogateLimits} on entry count, total
 * uncompressed size and total declared array size are checked there, before any array data is inflated or allocated.
 * {@link Archive#read} then inflates one entry, counting the inflated bytes against the budget and stopping at its
 * declared size, and verifies its CRC.
 */
public final class Npz {

    private static final int SIG_EOCD = 0x06054b50;
    private static final int SIG_ZIP64_LOCATOR = 0x07064b50;
    private static final int SIG_ZIP64_EOCD = 0x06064b50;
    private static final int SIG_CEN = 0x02014b50;
    private static final int SIG_LOC = 0x04034b50;
    private static final long MAX_DEFLATE_RATIO = 1032;
    /** Longest {@code .npy} header accepted (NumPy writes well under 1 kB). */
    private static final int MAX_NPY_HEADER = 1 << 16;
    private static final long SATURATED = 0xFFFFFFFFL;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    /**
     * One array as the archive declares it; nothing of its data decoded.
     *
     * @param name     array name (entry name without {@code .npy})
     * @param dtype    NumPy dtype descriptor, e.g. {@code <f8}
     * @param shape    declared shape (consistent with the entry's declared size)
     * @param elements product of the shape
     */
    public record Entry(String name, String dtype, long[] shape, long elements) {
        /** Number of dimensions. */
        public int ndim() {
            return shape.length;
        }

        /** Shape as text, NumPy style. */
        public String shapeString() {
            return NpyArray.shapeString(shape);
        }
    }

    /** A parsed .npy header. */
    private record Header(String descr, boolean fortran, long[] shape, long count, int itemSize, ByteOrder order,
                          char kind, int dataStart) {
    }

    /** Where one zip entry's data lie. */
    private record Span(String zipName, String arrayName, int method, long crc, long csize, long usize, long locOff,
                        long dataStart, long end) {
    }

    /** An opened archive: structure and headers checked, data read on demand. */
    public static final class Archive {
        private final String file;
        private final byte[] bytes;
        private final SurrogateLimits limits;
        private final Map<String, Span> spans;
        private final Map<String, Entry> entries;
        private long inflated;

        private Archive(String file, byte[] bytes, SurrogateLimits limits, Map<String, Span> spans,
                        Map<String, Entry> entries) {
            this.file = file;
            this.bytes = bytes;
            this.limits = limits;
            this.spans = spans;
            this.entries = entries;
        }

        /** The arrays, by name, in archive order. */
        public Map<String, Entry> entries() {
            return Collections.unmodifiableMap(entries);
        }

        /** Bytes inflated (or copied, for stored entries) so far. */
        public long inflatedBytes() {
            return inflated;
        }

        /**
         * Inflates and decodes one array.
         *
         * @throws SurrogateFormatException if it is absent, its data are corrupt (deflate stream, CRC), it inflates to
         *                                  another size than declared, or the inflation budget is spent
         */
        public NpyArray read(String name) throws SurrogateFormatException {
            Span s = spans.get(name);
            if (s == null) {
                throw new SurrogateFormatException(file, "no array '" + name + "' in the archive");
            }
            String where = file + " [" + s.zipName + "]";
            long budget = limits.maxInflatedBytes() - inflated;
            if (s.usize > budget) {
                throw new SurrogateFormatException(where, "inflating " + s.usize + " more bytes would exceed the "
                        + "total of " + limits.maxInflatedBytes() + " uncompressed bytes; "
                        + SurrogateLimits.limit(limits.maxInflatedBytes(), SurrogateLimits.OPT_INFLATED_BYTES));
            }
            byte[] raw = extract(where, bytes, (int) s.dataStart, (int) s.csize, (int) s.usize, s.method);
            inflated += raw.length;
            CRC32 c = new CRC32();
            c.update(raw);
            if (c.getValue() != s.crc) {
                throw new SurrogateFormatException(where, "CRC mismatch (corrupt or truncated npz)");
            }
            return parseNpy(where, name, raw);
        }

        /** Reads every array, in archive order. */
        public Map<String, NpyArray> readAll() throws SurrogateFormatException {
            Map<String, NpyArray> out = new LinkedHashMap<>();
            for (String n : entries.keySet()) {
                out.put(n, read(n));
            }
            return out;
        }
    }

    /**
     * Reads every array of an {@code .npz} archive held in memory, with {@link SurrogateLimits#DEFAULT}.
     *
     * @param file  the file's name for error messages
     * @param bytes the whole archive. Not modified.
     * @return arrays by name (entry name without {@code .npy}), in archive order
     * @throws SurrogateFormatException if the archive is truncated, malformed, encrypted, uses an unsupported
     *                                  compression or dtype, an entry's declared size does not match its content, or
     *                                  a limit is exceeded
     */
    public static Map<String, NpyArray> read(String file, byte[] bytes) throws SurrogateFormatException {
        return open(file, bytes, SurrogateLimits.DEFAULT).readAll();
    }

    /**
     * Checks the structure of an archive and reads its {@code .npy} headers, without inflating any array data.
     *
     * @param file   the file's name for error messages
     * @param bytes  the whole archive. Not modified; kept by the returned archive.
     * @param limits entry count, total uncompressed and total declared array sizes
     * @throws SurrogateFormatException for anything refused (see the class comment)
     */
    public static Archive open(String file, byte[] bytes, SurrogateLimits limits) throws SurrogateFormatException {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = findEocd(file, bb);
        long entries = Short.toUnsignedInt(bb.getShort(eocd + 10));
        long cenSize = Integer.toUnsignedLong(bb.getInt(eocd + 12));
        long cenOff = Integer.toUnsignedLong(bb.getInt(eocd + 16));
        long cenLimit = eocd;
        if (entries == 0xFFFF || cenSize == SATURATED || cenOff == SATURATED) {
            int loc = eocd - 20;
            if (loc < 0 || bb.getInt(loc) != SIG_ZIP64_LOCATOR) {
                throw new SurrogateFormatException(file, "ZIP64 end-of-directory locator missing (truncated npz?)");
            }
            long z64 = bb.getLong(loc + 8);
            if (z64 < 0 || z64 + 56 > loc || bb.getInt((int) z64) != SIG_ZIP64_EOCD) {
                throw new SurrogateFormatException(file, "ZIP64 end-of-directory record missing (truncated npz?)");
            }
            entries = bb.getLong((int) z64 + 32);
            cenSize = bb.getLong((int) z64 + 40);
            cenOff = bb.getLong((int) z64 + 48);
            cenLimit = z64;
        }
        if (cenOff < 0 || cenSize < 0 || cenOff > cenLimit || cenSize > cenLimit - cenOff || entries < 0
                || entries > cenSize / 46) {
            throw new SurrogateFormatException(file, "zip central directory lies outside the file (truncated npz?)");
        }
        if (entries > limits.maxEntries()) {
            throw new SurrogateFormatException(file, "the archive has " + entries + " entries; "
                    + SurrogateLimits.limit(limits.maxEntries(), SurrogateLimits.OPT_ENTRIES));
        }
        int cenEnd = (int) (cenOff + cenSize);
        List<Span> list = new ArrayList<>();
        Set<String> zipNames = new HashSet<>();
        Map<String, Span> byArray = new LinkedHashMap<>();
        long totalUsize = 0;
        int p = (int) cenOff;
        for (long e = 0; e < entries; e++) {
            if (p + 46 > cenEnd || bb.getInt(p) != SIG_CEN) {
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
            if (p + 46L + nameLen + extraLen + commentLen > cenEnd) {
                throw new SurrogateFormatException(file, "zip central directory entry " + e + " is truncated");
            }
            byte[] nameBytes = Arrays.copyOfRange(bytes, p + 46, p + 46 + nameLen);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // ZIP64 extra field: only the fields whose 32-bit value is saturated are present, in this order.
            int x = p + 46 + nameLen;
            int xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = Short.toUnsignedInt(bb.getShort(x));
                int len = Short.toUnsignedInt(bb.getShort(x + 2));
                if (id == 0x0001) {
                    int q = x + 4;
                    int qEnd = Math.min(xEnd, x + 4 + len);
                    if (usize == SATURATED && q + 8 <= qEnd) {
                        usize = bb.getLong(q);
                        q += 8;
                    }
                    if (csize == SATURATED && q + 8 <= qEnd) {
                        csize = bb.getLong(q);
                        q += 8;
                    }
                    if (locOff == SATURATED && q + 8 <= qEnd) {
                        locOff = bb.getLong(q);
                    }
                }
                x += 4 + len;
            }
            p += 46 + nameLen + extraLen + commentLen;
            String where = file + " [" + Messages.quoteName(name) + "]";
            if (name.endsWith("/")) {
                throw new SurrogateFormatException(where, "directory entry in the archive; an npz holds only arrays");
            }
            if (!zipNames.add(name)) {
                throw new SurrogateFormatException(where, "duplicate zip entry name; each array may appear once");
            }
            if ((flags & 1) != 0) {
                throw new SurrogateFormatException(where, "encrypted zip entries are not supported");
            }
            if (method != 0 && method != 8) {
                throw new SurrogateFormatException(where,
                        "zip compression method " + method + " is not supported (expected 0 = stored or 8 = deflate)");
            }
            if (locOff < 0 || locOff + 30 > cenOff || bb.getInt((int) locOff) != SIG_LOC) {
                throw new SurrogateFormatException(where, "local zip header missing at offset " + locOff
                        + " (truncated npz?)");
            }
            int lo = (int) locOff;
            int lFlags = Short.toUnsignedInt(bb.getShort(lo + 6));
            int lMethod = Short.toUnsignedInt(bb.getShort(lo + 8));
            long lCrc = Integer.toUnsignedLong(bb.getInt(lo + 14));
            long lCsize = Integer.toUnsignedLong(bb.getInt(lo + 18));
            long lUsize = Integer.toUnsignedLong(bb.getInt(lo + 22));
            int lNameLen = Short.toUnsignedInt(bb.getShort(lo + 26));
            int lExtraLen = Short.toUnsignedInt(bb.getShort(lo + 28));
            long dataStart = locOff + 30 + lNameLen + lExtraLen;
            if (dataStart > cenOff) {
                throw new SurrogateFormatException(where, "local zip header runs into the central directory");
            }
            byte[] lName = Arrays.copyOfRange(bytes, lo + 30, lo + 30 + lNameLen);
            if (!Arrays.equals(lName, nameBytes)) {
                throw new SurrogateFormatException(where, "the local header names the entry '"
                        + Messages.quoteName(new String(lName, StandardCharsets.UTF_8))
                        + "'; the central directory and the local headers must agree");
            }
            if (lMethod != method) {
                throw new SurrogateFormatException(where, "the local header says compression method " + lMethod
                        + ", the central directory " + method + "; they must agree");
            }
            if ((lFlags & 8) == 0) {
                // Sizes and CRC are in the local header (no data descriptor): they must be the central ones.
                if (lCrc != crc || (lCsize != SATURATED && lCsize != csize) || (lUsize != SATURATED && lUsize != usize)) {
                    throw new SurrogateFormatException(where, "the local header declares CRC " + Long.toHexString(lCrc)
                            + ", " + lCsize + " compressed and " + lUsize + " uncompressed bytes, the central "
                            + "directory CRC " + Long.toHexString(crc) + ", " + csize + " and " + usize
                            + "; they must agree");
                }
            }
            if (csize < 0 || csize > cenOff - dataStart) {
                throw new SurrogateFormatException(where, "entry declares " + csize + " compressed bytes but only "
                        + Math.max(0, cenOff - dataStart) + " lie before the central directory (truncated npz)");
            }
            if (usize < 0 || usize > Integer.MAX_VALUE - 16
                    || (method == 0 && usize != csize) || (method == 8 && usize > csize * MAX_DEFLATE_RATIO + 64)) {
                throw new SurrogateFormatException(where, "entry declares an uncompressed size of " + usize
                        + " bytes, impossible for " + csize + " stored bytes");
            }
            String arrayName = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
            if (byArray.containsKey(arrayName)) {
                throw new SurrogateFormatException(where, "duplicate array name '" + Messages.quoteName(arrayName)
                        + "'");
            }
            totalUsize += usize;
            Span s = new Span(name, arrayName, method, crc, csize, usize, locOff, dataStart, dataStart + csize);
            list.add(s);
            byArray.put(arrayName, s);
        }
        if (totalUsize > limits.maxInflatedBytes()) {
            throw new SurrogateFormatException(file, "the entries declare " + totalUsize
                    + " uncompressed bytes in total; "
                    + SurrogateLimits.limit(limits.maxInflatedBytes(), SurrogateLimits.OPT_INFLATED_BYTES));
        }
        List<Span> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(Span::locOff));
        for (int i = 1; i < sorted.size(); i++) {
            Span a = sorted.get(i - 1);
            Span b = sorted.get(i);
            if (b.locOff < a.end) {
                throw new SurrogateFormatException(file + " [" + Messages.quoteName(b.zipName) + "]",
                        "entry overlaps entry '" + Messages.quoteName(a.zipName) + "' (bytes " + b.locOff + ".."
                                + b.end + " and " + a.locOff + ".." + a.end + "); entries that share data are refused");
            }
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        long declared = 0;
        for (Span s : list) {
            String where = file + " [" + Messages.quoteName(s.zipName) + "]";
            byte[] prefix = headerPrefix(where, bytes, s);
            Header h = header(where, s.arrayName, prefix, s.usize);
            declared += h.count * h.itemSize;
            if (declared > limits.maxArrayBytes()) {
                throw new SurrogateFormatException(where, "array '" + Messages.quoteName(s.arrayName) + "' "
                        + NpyArray.shapeString(h.shape) + " brings the declared array sizes to " + declared
                        + " bytes; " + SurrogateLimits.limit(limits.maxArrayBytes(), SurrogateLimits.OPT_ARRAY_BYTES));
            }
            out.put(s.arrayName, new Entry(s.arrayName, h.descr, h.shape, h.count));
        }
        return new Archive(file, bytes, limits, byArray, out);
    }

    /** Names safe for a one-line message. */
    private static final class Messages {
        static String quoteName(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length() && b.length() < 120; i++) {
                char c = s.charAt(i);
                b.append(Character.isISOControl(c) || c == '\'' ? '?' : c);
            }
            return b.toString();
        }
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

    /** The first bytes of an entry, enough for its .npy header (at most 12 + the header length). */
    private static byte[] headerPrefix(String where, byte[] bytes, Span s) throws SurrogateFormatException {
        int want = (int) Math.min(s.usize, 12);
        byte[] first = prefix(where, bytes, s, want);
        if (first.length >= 10 && (first[0] & 0xFF) == 0x93 && first[6] >= 1 && first[6] <= 3) {
            ByteBuffer b = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
            long hl;
            int hs;
            if (first[6] == 1) {
                hl = Short.toUnsignedInt(b.getShort(8));
                hs = 10;
            } else if (first.length >= 12) {
                hl = Integer.toUnsignedLong(b.getInt(8));
                hs = 12;
            } else {
                return first;
            }
            if (hl > MAX_NPY_HEADER) {
                throw new SurrogateFormatException(where, ".npy header of " + hl + " bytes; the limit is "
                        + MAX_NPY_HEADER);
            }
            return prefix(where, bytes, s, (int) Math.min(s.usize, hs + hl));
        }
        return first;
    }

    /** The first {@code n} uncompressed bytes of an entry (n ≤ its declared size). */
    private static byte[] prefix(String where, byte[] bytes, Span s, int n) throws SurrogateFormatException {
        if (s.method == 0) {
            return Arrays.copyOfRange(bytes, (int) s.dataStart, (int) s.dataStart + n);
        }
        Inflater inf = new Inflater(true);
        try {
            byte[] out = new byte[n];
            inf.setInput(bytes, (int) s.dataStart, (int) s.csize);
            int got = 0;
            while (got < n && !inf.finished()) {
                int k = inf.inflate(out, got, n - got);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                got += k;
            }
            return got == n ? out : Arrays.copyOf(out, got);
        } catch (DataFormatException ex) {
            throw new SurrogateFormatException(where, "corrupt deflate data: " + ex.getMessage(), ex);
        } finally {
            inf.end();
        }
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
            // One spare byte: a stream that inflates to more than it declared is detected and stopped there.
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
                        + Math.min(got, usize) + " bytes, expected " + usize
                        + (got > usize ? " (stopped there)" : inf.finished() ? "" : " (truncated npz)"));
            }
            return Arrays.copyOf(raw, usize);
        } catch (DataFormatException ex) {
            throw new SurrogateFormatException(where, "corrupt deflate data: " + ex.getMessage(), ex);
        } finally {
            inf.end();
        }
    }

    /**
     * Parses a {@code .npy} header from the first bytes of an entry and checks the declared shape against the entry's
     * declared size, before any data is read.
     */
    private static Header header(String where, String name, byte[] raw, long total) throws SurrogateFormatException {
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
        if (headerLen > MAX_NPY_HEADER) {
            throw new SurrogateFormatException(where, ".npy header of " + headerLen + " bytes; the limit is "
                    + MAX_NPY_HEADER);
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
            throw new SurrogateFormatException(where, "malformed .npy header " + Messages.quoteName(header.strip()));
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
                throw new SurrogateFormatException(where, "malformed .npy shape (" + Messages.quoteName(shapeText)
                        + ")");
            }
            if (dims.size() > 32) {
                throw new SurrogateFormatException(where, ".npy shape with more than 32 dimensions");
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
            throw new SurrogateFormatException(where, "array '" + Messages.quoteName(name) + "': dtype '"
                    + Messages.quoteName(descr) + "' is not supported (expected <f8, <f4, <i8 or <i4)");
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
        long payload = total - headerStart - headerLen;
        if (count == Long.MAX_VALUE || count * itemSize != payload) {
            throw new SurrogateFormatException(where, "array '" + Messages.quoteName(name) + "' declares shape "
                    + NpyArray.shapeString(shape) + " = " + (count == Long.MAX_VALUE ? "overflowing" : count)
                    + " elements of " + itemSize + " bytes, but the entry holds " + payload + " data bytes");
        }
        if (fortran && shape.length > 2) {
            throw new SurrogateFormatException(where, "array '" + Messages.quoteName(name) + "' is in Fortran order with "
                    + shape.length + " dimensions; re-save it with np.ascontiguousarray");
        }
        return new Header(descr, fortran, shape, count, itemSize, order, kind, (int) (headerStart + headerLen));
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
        Header h = header(where, name, raw, raw.length);
        int count = (int) h.count;
        int itemSize = h.itemSize;
        ByteBuffer data = ByteBuffer.wrap(raw, h.dataStart, count * itemSize).slice().order(h.order);
        double[] v = new double[count];
        for (int i = 0; i < v.length; i++) {
            int off = i * itemSize;
            if (h.kind == 'f') {
                v[i] = itemSize == 8 ? data.getDouble(off) : data.getFloat(off);
            } else {
                v[i] = itemSize == 8 ? data.getLong(off) : data.getInt(off);
            }
        }
        if (h.fortran && h.shape.length == 2) {
            int rows = (int) h.shape[0];
            int cols = (int) h.shape[1];
            double[] c = new double[v.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    c[i * cols + j] = v[j * rows + i];
                }
            }
            v = c;
        }
        return new NpyArray(name, h.descr, h.shape, v);
    }
}
