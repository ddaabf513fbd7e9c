package io.scasml.spark.job;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of an untrusted text stream, read in bounded memory: a line longer than the limit is refused after at
 * most {@code maxLineBytes + 1} bytes are buffered (so a compressed file holding one enormous line is refused
 * quickly), each line is decoded as strict UTF-8 (a byte that is not UTF-8 is refused with its byte offset), a
 * leading UTF-8 byte-order mark is removed, and "\r\n" and "\n" both end a line.
 */
final class BoundedLines implements Closeable {
    /** A line refused: too long or not UTF-8. */
    static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;
        private final long line;

        BadLine(long line, String detail) {
            super("line " + line + ": " + detail, null, false, false);
            this.line = line;
        }

        /** The refused line's number (1-based). */
        long line() {
            return line;
        }

        /** What is wrong with it, without the line number. */
        String detail() {
            return getMessage().substring(getMessage().indexOf(": ") + 2);
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final String offsetWhat;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int lim;
    private byte[] line = new byte[256];
    private int len;
    private long offset;
    private long lineNo;
    private boolean eof;
    private final CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * @param in           the (decompressed) stream
     * @param maxLineBytes the longest line accepted, in bytes
     * @param compressed   whether offsets count bytes of decompressed data (named so in messages)
     */
    BoundedLines(InputStream in, int maxLineBytes, boolean compressed) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.offsetWhat = compressed ? "byte offset (decompressed) " : "byte offset ";
    }

    /** The number of the line last returned (1-based). */
    long lineNumber() {
        return lineNo;
    }

    /**
     * The next line without its terminator, or null at the end.
     *
     * @throws BadLine for a line over the limit or not UTF-8 (the message names the line and the limit or offset)
     */
    String next() throws IOException, BadLine {
        if (eof) {
            return null;
        }
        len = 0;
        long start = offset;
        boolean any = false;
        while (true) {
            if (pos == lim) {
                lim = in.read(chunk, 0, chunk.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    eof = true;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int nl = -1;
            for (int i = pos; i < lim; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? lim : nl;
            append(end - pos, start);
            offset += end - pos + (nl < 0 ? 0 : 1);
            pos = nl < 0 ? lim : nl + 1;
            if (nl >= 0) {
                break;
            }
        }
        lineNo++;
        int n = len;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        int from = 0;
        if (lineNo == 1 && n >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            from = 3;
        }
        return decode(from, n, start);
    }

    private void append(int count, long start) throws BadLine {
        if ((long) len + count > maxLineBytes) {
            throw new BadLine(lineNo + 1, "longer than " + maxLineBytes + " bytes (it starts at "
                + offsetWhat + start + "); the limit is line-bytes = " + maxLineBytes
                + " (raise it with --limit line-bytes=N)");
        }
        if (len + count > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLineBytes + 16L, Math.max(len + count, 2L * line.length)));
        }
        System.arraycopy(chunk, pos, line, len, count);
        len += count;
    }

    private String decode(int from, int to, long start) throws BadLine {
        dec.reset();
        ByteBuffer b = ByteBuffer.wrap(line, from, to - from);
        CharBuffer c = CharBuffer.allocate(to - from);
        CoderResult r = dec.decode(b, c, true);
        if (!r.isError()) {
            r = dec.flush(c);
        }
        if (r.isError()) {
            int at = b.position();
            throw new BadLine(lineNo, "not UTF-8 text: byte 0x"
                + String.format("%02X", line[Math.min(at, to - 1)] & 0xFF) + " at " + offsetWhat + (start + at)
                + " is not valid UTF-8 (save the file as UTF-8)");
        }
        c.flip();
        String s = c.toString();
        if (s.indexOf('\0') >= 0) {
            throw new BadLine(lineNo, "NUL character at " + offsetWhat + (start + from
                + s.substring(0, s.indexOf('\0')).getBytes(StandardCharsets.UTF_8).length) + "; expected text");
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
