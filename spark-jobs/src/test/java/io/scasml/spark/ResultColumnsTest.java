package io.scasml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.spark.job.ResultColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The output columns are defined once ({@link ResultColumns#COLUMNS}): the README's column table is what the
 * descriptors generate (regenerate with {@code ResultColumns.main("spark-jobs/README.md")}, see the README), and the
 * schema has the documented shape.
 */
class ResultColumnsTest {
    @Test
    void readmeTableIsGenerated() throws Exception {
        Path readme = Path.of("README.md");
        String text = Files.readString(readme);
        String begin = "<!-- columns:begin -->";
        String end = "<!-- columns:end -->";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        assertTrue(b >= 0 && e > b, "README.md has no column markers");
        assertEquals(ResultColumns.markdownTable(), text.substring(b + begin.length() + 1, e),
            "spark-jobs/README.md's column table is stale; regenerate it: run"
                + " io.scasml.spark.job.ResultColumns with the README's path)");
    }

    @Test
    void schemaShape() {
        List<String> two = List.of(ResultColumns.schema(new ResultColumns.Shape(2, false, 1.0)).fieldNames());
        List<String> withExact = List.of(ResultColumns.schema(new ResultColumns.Shape(2, true, 1.0)).fieldNames());
        assertEquals(List.of("id", "t", "x0", "x1", "u_surrogate"), two.subList(0, 5));
        assertTrue(!two.contains("exact") && withExact.contains("exact") && withExact.contains("abs_error"));
        assertEquals(List.of("dof", "status"), withExact.subList(withExact.size() - 2, withExact.size()));
        assertEquals(two.size() + 2, withExact.size());
    }
}
