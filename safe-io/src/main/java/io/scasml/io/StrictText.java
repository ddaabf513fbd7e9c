package io.scasml.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Text from untrusted files: read with a size limit checked before allocation, decoded as strict UTF-8 (a byte that
 * is not UTF-8 is refused with its byte offset), a leading UTF-8 byte-order mark removed.
 */
public final class StrictText {
    /** The UTF-8 byte-order mark. */
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private StrictText() {
    }

    /**
     * Decodes {@code bytes} as UTF-8, removing a leading byte-order mark.
     *
     * @param source names the input in messages
     * @throws InputException naming the byte offset of the first byte that is not UTF-8, or of a NUL character
     */
    public static String decode(String source, byte[] bytes) {
        int start = hasBom(bytes) ? BOM.length : 0;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            long offset = in.position();
            throw new InputException(source, null, "not UTF-8 text: byte 0x"
                + String.format("%02X", bytes[(int) offset] & 0xFF) + " at byte offset " + offset
                + " is not valid UTF-8 (save the file as UTF-8)");
        }
        r = dec.flush(out);
        if (r.isError()) {
            throw new InputException(source, null, "not UTF-8 text: truncated character at the end of the file");
        }
        out.flip();
        String s = out.toString();
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            throw new InputException(source, null, "not a text file: NUL character at character " + nul);
        }
        return s;
    }

    /** Whether {@code bytes} start with the UTF-8 byte-order mark. */
    public static boolean hasBom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    }

    /** {@code s} without a leading U+FEFF (a byte-order mark that survived decoding elsewhere). */
    public static String stripBom(String s) {
        return s != null && !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    /**
     * Reads at most {@code maxBytes} from {@code in}; more is refused before it is buffered.
     *
     * @param limitName the option that raises the limit, named in the message (may be null)
     * @throws InputException if the stream holds more than {@code maxBytes}
     */
    public static byte[] readBounded(String source, InputStream in, long maxBytes, String limitName)
            throws IOException {
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, maxBytes);
        byte[] buf = new byte[Math.min(cap + 1, 8192)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > cap) {
                    throw tooLarge(source, ">" + cap, maxBytes, limitName);
                }
                buf = Arrays.copyOf(buf, (int) Math.min((long) cap + 1, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
            if (n > cap) {
                throw tooLarge(source, ">" + cap, maxBytes, limitName);
            }
        }
        return Arrays.copyOf(buf, n);
    }

    /**
     * Reads a whole file through the Hadoop FileSystem API ({@code file:}, {@code hdfs://}, {@code s3a://}, ...),
     * checking its length against {@code maxBytes} before reading.
     *
     * @throws InputException if it does not exist, is a directory, or is too large
     */
    public static byte[] readFile(Path path, Configuration conf, long maxBytes, String limitName) throws IOException {
        String source = path.toString();
        FileSystem fs = path.getFileSystem(conf);
        FileStatus st;
        try {
            st = fs.getFileStatus(path);
        } catch (java.io.FileNotFoundException e) {
            throw new InputException(source, null, "does not exist");
        }
        if (st.isDirectory()) {
            throw new InputException(source, null, "is a directory; expected a file");
        }
        if (st.getLen() > maxBytes) {
            throw tooLarge(source, Long.toString(st.getLen()), maxBytes, limitName);
        }
        try (FSDataInputStream in = fs.open(path)) {
            return readBounded(source, in, maxBytes, limitName);
        }
    }

    /** {@link #readFile} then {@link #decode}. */
    public static String readText(Path path, Configuration conf, long maxBytes, String limitName) throws IOException {
        return decode(path.toString(), readFile(path, conf, maxBytes, limitName));
    }

    private static InputException tooLarge(String source, String size, long max, String limitName) {
        return new InputException(source, null, "is " + size + " bytes; the limit is " + max + " bytes"
            + (limitName == null ? "" : " (raise it with " + limitName + ")"));
    }
}
