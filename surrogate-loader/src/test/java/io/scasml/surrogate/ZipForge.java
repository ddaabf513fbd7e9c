package io.scasml.surrogate;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Test helper: writes zip archives byte by byte, so that local headers, central directory entries and offsets can
 * disagree in exactly the way a hostile file makes them disagree.
 */
final class ZipForge {

    /** One entry's fields; the local header and the central directory entry are written from copies of it. */
    static final class Entry {
        String name;
        int method;
        int flags;
        long crc;
        long csize;
        long usize;
        byte[] data;

        Entry copy() {
            Entry e = new Entry();
            e.name = name;
            e.method = method;
            e.flags = flags;
            e.crc = crc;
            e.csize = csize;
            e.usize = usize;
            e.data = data;
            return e;
        }
    }

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private int centralCount;

    static Entry stored(String name, byte[] payload) {
        Entry e = new Entry();
        e.name = name;
        e.method = 0;
        e.crc = crc(payload);
        e.csize = payload.length;
        e.usize = payload.length;
        e.data = payload;
        return e;
    }

    static Entry deflated(String name, byte[] payload) {
        Entry e = new Entry();
        e.name = name;
        e.method = 8;
        e.crc = crc(payload);
        e.data = deflate(payload);
        e.csize = e.data.length;
        e.usize = payload.length;
        return e;
    }

    /** A deflated entry from an already compressed stream. */
    static Entry deflatedRaw(String name, byte[] compressed, long usize, long crc) {
        Entry e = new Entry();
        e.name = name;
        e.method = 8;
        e.crc = crc;
        e.data = compressed;
        e.csize = compressed.length;
        e.usize = usize;
        return e;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    static byte[] deflate(byte[] payload) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(payload);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            int n = d.deflate(buf);
            o.write(buf, 0, n);
        }
        d.end();
        return o.toByteArray();
    }

    /** The local header and data of {@code e}, as they would be written at some offset. */
    static byte[] localBytes(Entry e) {
        byte[] n = e.name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(30 + n.length + e.data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) e.flags).putShort((short) e.method)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc).putInt((int) e.csize)
                .putInt((int) e.usize).putShort((short) n.length).putShort((short) 0).put(n).put(e.data);
        return b.array();
    }

    /** Appends raw bytes to the body; returns their offset. */
    int raw(byte[] bytes) {
        int off = body.size();
        body.writeBytes(bytes);
        return off;
    }

    /** Appends a local header and data; returns the header's offset. */
    int local(Entry e) {
        return raw(localBytes(e));
    }

    /** Adds a central directory entry pointing at {@code locOff}. */
    ZipForge central(Entry e, long locOff) {
        byte[] n = e.name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(46 + n.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) e.flags)
                .putShort((short) e.method).putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc)
                .putInt((int) e.csize).putInt((int) e.usize).putShort((short) n.length).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) locOff).put(n);
        central.writeBytes(b.array());
        centralCount++;
        return this;
    }

    /** Both: local header and its matching central entry. */
    ZipForge entry(Entry e) {
        return central(e, local(e));
    }

    /** The archive: body, central directory, end record. */
    byte[] finish() {
        int cenOff = body.size();
        byte[] cen = central.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(cenOff + cen.length + 22).order(ByteOrder.LITTLE_ENDIAN);
        b.put(body.toByteArray()).put(cen);
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) centralCount)
                .putShort((short) centralCount).putInt(cen.length).putInt(cenOff).putShort((short) 0);
        return b.array();
    }

    /** The archive of these entries, each written consistently. */
    static byte[] of(List<Entry> entries) {
        ZipForge z = new ZipForge();
        for (Entry e : entries) {
            z.entry(e);
        }
        return z.finish();
    }

    static List<Entry> list(Entry... e) {
        return new ArrayList<>(List.of(e));
    }
}
