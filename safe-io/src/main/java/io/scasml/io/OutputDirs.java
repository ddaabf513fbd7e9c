package io.scasml.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Output directories that cannot destroy anything: the one place where the project creates, replaces and commits
 * an output directory (solve, train, bench, reports).
 *
 * <ul>
 *   <li>Every output directory carries a marker file {@value #MARKER} naming it a scasml output, with its kind and
 *       run id.</li>
 *   <li>An existing directory is replaced only with {@code --overwrite} and only when it carries the marker; anything
 *       else is refused before any work is done.</li>
 *   <li>The output may not be, or contain, an input, the working directory, the home directory or a file-system
 *       root (symbolic links resolved for local paths).</li>
 *   <li>Results are written into a staging directory beside the output ({@code .NAME.scasml-tmp-RUNID}) and moved
 *       into place by rename when complete; an older output is moved aside first and deleted only after the new one is
 *       in place. Nothing is deleted that this class did not verify as a scasml output or create itself.</li>
 * </ul>
 */
public final class OutputDirs {
    /** The marker file's name (Spark and Hadoop readers skip names starting with '_'). */
    public static final String MARKER = "_SCASML_OUTPUT";
    /** The marker's JSON field that identifies it. */
    public static final String MARKER_FIELD = "scasml_output";
    private static final long MAX_MARKER_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputDirs() {
    }

    /**
     * Checks that {@code out} may be written and reserves a staging directory for it. Call before any work.
     *
     * @param option    the option that named the output (for messages), e.g. "--out"
     * @param out       the output directory, any Hadoop path
     * @param conf      the Hadoop configuration of the run
     * @param overwrite whether an earlier scasml output at {@code out} may be replaced
     * @param kind      what writes it (solve, train, bench-paper, ...)
     * @param runId     this run's id (unique per run: it names the staging directory)
     * @param inputs    every input the run reads (files or directories, any Hadoop path); nulls are skipped
     * @throws InputException when the output is refused
     */
    public static Target prepare(String option, Path out, Configuration conf, boolean overwrite, String kind,
                                 String runId, List<Path> inputs) throws IOException {
        FileSystem fs = out.getFileSystem(conf);
        Path q = withoutTrailingSlash(fs.makeQualified(out));
        String shown = out.toString();
        if (q.isRoot() || q.getParent() == null) {
            throw new InputException(option, null, shown + " is a file-system root; expected a directory to create");
        }
        String outKey = key(q);
        List<String[]> protectedPaths = new ArrayList<>();
        for (Path in : inputs) {
            if (in != null) {
                protectedPaths.add(new String[] {"the input " + in, key(in.getFileSystem(conf).makeQualified(in))});
            }
        }
        protectedPaths.add(new String[] {"the working directory",
            key(new Path(new File(System.getProperty("user.dir")).toURI()))});
        protectedPaths.add(new String[] {"the home directory",
            key(new Path(new File(System.getProperty("user.home")).toURI()))});
        if (!"file".equals(q.toUri().getScheme())) {
            protectedPaths.add(new String[] {"the file system's home directory", key(fs.getHomeDirectory())});
            protectedPaths.add(new String[] {"the file system's working directory", key(fs.getWorkingDirectory())});
        }
        for (String[] pp : protectedPaths) {
            if (pp[1].equals(outKey) || pp[1].startsWith(outKey.endsWith("/") ? outKey : outKey + "/")) {
                throw new InputException(option, null, shown + (pp[1].equals(outKey) ? " is " : " contains ")
                    + pp[0] + "; expected a directory of its own for the results");
            }
        }
        FileStatus st = status(fs, q);
        if (st != null) {
            if (!st.isDirectory()) {
                throw new InputException(option, null, shown + " exists and is a file; expected a new directory "
                    + "or an earlier scasml output");
            }
            if (!overwrite) {
                throw new InputException(option, null, shown + " already exists; pass --overwrite to replace an "
                    + "earlier scasml output, or choose another directory");
            }
            String why = markerProblem(fs, q);
            if (why != null) {
                throw new InputException(option, null, shown + " is not a scasml output (" + why + "); refusing "
                    + "to replace it: choose another directory or remove it yourself");
            }
        }
        Path staging = new Path(q.getParent(), "." + q.getName() + ".scasml-tmp-" + runId);
        if (status(fs, staging) != null) {
            throw new InputException(option, null, "staging directory " + staging + " already exists; expected a "
                + "unique run id");
        }
        return new Target(fs, q, staging, kind, runId, shown);
    }

    private static Path withoutTrailingSlash(Path q) {
        java.net.URI u = q.toUri();
        String path = u.getPath();
        if (path == null || path.length() <= 1 || !path.endsWith("/")) {
            return q;
        }
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Path(u.getScheme(), u.getAuthority(), path);
    }

    /** Whether {@code dir} carries a valid scasml output marker. */
    public static boolean isScasmlOutput(FileSystem fs, Path dir) throws IOException {
        return markerProblem(fs, dir) == null;
    }

    private static String markerProblem(FileSystem fs, Path dir) throws IOException {
        Path m = new Path(dir, MARKER);
        FileStatus st = status(fs, m);
        if (st == null) {
            return "no " + MARKER + " marker";
        }
        if (!st.isFile() || st.getLen() > MAX_MARKER_BYTES) {
            return MARKER + " is not a marker file";
        }
        try (var in = fs.open(m)) {
            byte[] b = StrictText.readBounded(m.toString(), in, MAX_MARKER_BYTES, null);
            JsonNode n = StrictTrees.readJson(m.toString(), StrictText.decode(m.toString(), b));
            if (!n.isObject() || !n.path(MARKER_FIELD).isInt()) {
                return MARKER + " does not name a scasml output";
            }
        } catch (InputException e) {
            return MARKER + " is not a valid marker";
        }
        return null;
    }

    private static FileStatus status(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** A comparison key: scheme://authority/path, local paths canonical (symbolic links resolved). */
    static String key(Path qualified) throws IOException {
        java.net.URI u = qualified.toUri();
        if ("file".equals(u.getScheme())) {
            File f = new File(u.getPath());
            File c = canonicalExisting(f);
            return "file://" + c.getPath();
        }
        return u.getScheme() + "://" + (u.getAuthority() == null ? "" : u.getAuthority()) + u.getPath();
    }

    /** The canonical form of the longest existing prefix of {@code f}, with the rest appended. */
    private static File canonicalExisting(File f) throws IOException {
        File abs = f.getAbsoluteFile();
        List<String> rest = new ArrayList<>();
        File cur = abs;
        while (cur != null && !cur.exists()) {
            rest.add(0, cur.getName());
            cur = cur.getParentFile();
        }
        File c = cur == null ? new File("/") : cur.getCanonicalFile();
        for (String r : rest) {
            c = new File(c, r);
        }
        return c;
    }

    /** A reserved output: write into {@link #staging()}, then {@link #commit()} or {@link #abort()}. */
    public static final class Target {
        private final FileSystem fs;
        private final Path out;
        private final Path staging;
        private final String kind;
        private final String runId;
        private final String shown;
        private boolean done;

        private Target(FileSystem fs, Path out, Path staging, String kind, String runId, String shown) {
            this.fs = fs;
            this.out = out;
            this.staging = staging;
            this.kind = kind;
            this.runId = runId;
            this.shown = shown;
        }

        /** The final output directory (qualified). */
        public Path out() {
            return out;
        }

        /** The staging directory to write into; created on first call. */
        public Path staging() throws IOException {
            if (!fs.exists(staging)) {
                fs.mkdirs(staging);
            }
            return staging;
        }

        /** The staging directory as a local file (for writers that use java.io); only for file: outputs. */
        public File stagingFile() throws IOException {
            Path s = staging();
            if (!"file".equals(s.toUri().getScheme())) {
                throw new IllegalStateException("not a local output: " + s);
            }
            return new File(s.toUri().getPath());
        }

        /** The file system of the output. */
        public FileSystem fs() {
            return fs;
        }

        /**
         * Writes the marker and moves the staging directory into place; an earlier scasml output there is moved
         * aside first (after checking its marker again) and deleted only once the new one is in place.
         */
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or aborted");
            }
            Path s = staging();
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put(MARKER_FIELD, 1);
            marker.put("kind", kind);
            marker.put("run_id", runId);
            try (OutputStream o = fs.create(new Path(s, MARKER), true)) {
                o.write(JSON.writeValueAsString(marker).getBytes(StandardCharsets.UTF_8));
            }
            Path old = null;
            if (status(fs, out) != null) {
                String why = markerProblem(fs, out);
                if (why != null) {
                    throw new InputException("--out", null, shown + " appeared during the run and is not a scasml "
                        + "output (" + why + "); the results are left in " + s);
                }
                old = new Path(out.getParent(), "." + out.getName() + ".scasml-old-" + runId);
                if (!fs.rename(out, old)) {
                    throw new IOException("cannot move the earlier output " + out + " aside to " + old);
                }
            } else if (out.getParent() != null && !fs.exists(out.getParent())) {
                fs.mkdirs(out.getParent());
            }
            if (!fs.rename(s, out)) {
                if (old != null) {
                    fs.rename(old, out);
                }
                throw new IOException("cannot move " + s + " to " + out + "; the results are left in " + s);
            }
            done = true;
            if (old != null && isScasmlOutput(fs, old)) {
                fs.delete(old, true);
            }
        }

        /** Removes the staging directory (which this run created); the output is left as it was. */
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (fs.exists(staging)) {
                    fs.delete(staging, true);
                }
            } catch (IOException e) {
                // best effort: a staging directory left behind is named after the run and harms nothing
            }
        }
    }
}
