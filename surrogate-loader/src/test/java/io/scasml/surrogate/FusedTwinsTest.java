package io.scasml.surrogate;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fused32 and Fused64 are one source in two precisions: after normalising the types (float/double, Float/Double,
 * 32/64, the NdBuf fields f/d, float literal suffixes) and removing Fused64's {@code fp64-only} blocks, the two files
 * are equal line by line. A change made to one twin only fails here, naming the first line that differs.
 */
class FusedTwinsTest {

    private static final Path SRC = Path.of("src/main/java/io/scasml/surrogate");
    private static final Pattern FLOAT_LITERAL = Pattern.compile("\\b(\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?)[fFdD]\\b");

    static List<String> normalise(String text, boolean dropFp64Only) {
        StringBuilder kept = new StringBuilder();
        boolean skipping = false;
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (t.equals("// fp64-only: begin")) {
                assertTrue(!skipping, "nested fp64-only block");
                skipping = true;
                continue;
            }
            if (t.equals("// fp64-only: end")) {
                assertTrue(skipping, "fp64-only end without begin");
                skipping = false;
                continue;
            }
            if (!(skipping && dropFp64Only)) {
                kept.append(line).append('\n');
            }
        }
        assertTrue(!skipping, "unterminated fp64-only block");
        String s = kept.toString();
        s = FLOAT_LITERAL.matcher(s).replaceAll("$1");
        s = s.replace("FloatBuffer", "RealBuffer").replace("DoubleBuffer", "RealBuffer")
                .replace("Float", "Real").replace("Double", "Real")
                .replaceAll("\\bfloat\\b", "real").replaceAll("\\bdouble\\b", "real")
                .replace("32", "NN").replace("64", "NN")
                .replaceAll("\\.f\\b", ".buf").replaceAll("\\.d\\b", ".buf");
        return List.of(s.split("\n", -1));
    }

    @Test
    void fused32IsFused64WithTheBufferTypeReplaced() throws Exception {
        List<String> a = normalise(Files.readString(SRC.resolve("Fused32.java")), false);
        List<String> b = normalise(Files.readString(SRC.resolve("Fused64.java")), true);
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            assertEquals(b.get(i), a.get(i), "Fused32/Fused64 differ at normalised line " + (i + 1)
                    + ": change both twins (or mark an FP64-only block with // fp64-only: begin/end)");
        }
        assertEquals(b.size(), a.size(), "Fused32/Fused64 normalised lengths differ");
    }

    @Test
    void fp32HasNoFp64OnlyBlocks() throws Exception {
        String f32 = Files.readString(SRC.resolve("Fused32.java"));
        assertTrue(!f32.contains("fp64-only: begin"), "Fused32 cannot hold FP64-only code");
        assertTrue(Files.readString(SRC.resolve("Fused64.java")).contains("fp64-only: begin"));
    }
}
