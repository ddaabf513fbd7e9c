package io.scasml.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictInputTest {

    private static InputException yamlRefused(String text) {
        return assertThrows(InputException.class, () -> StrictTrees.readYaml("f.yaml", text));
    }

    @Test
    void bomIsStrippedAndTextKept() {
        byte[] b = "\uFEFFid,t,x0\n1,0,0\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("id,t,x0\n1,0,0\n", StrictText.decode("p.csv", b));
        assertEquals("a: 1", StrictText.stripBom("\uFEFFa: 1"));
        JsonNode n = StrictTrees.readYaml("f.yaml", "\uFEFFa: 1\n");
        assertEquals(1, n.get("a").intValue());
    }

    @Test
    void nonUtf8NamesTheByteOffset() {
        byte[] b = {'a', 'b', 'c', (byte) 0xFF, 'd'};
        InputException e = assertThrows(InputException.class, () -> StrictText.decode("spec.yaml", b));
        assertTrue(e.getMessage().startsWith("spec.yaml: not UTF-8 text: byte 0xFF at byte offset 3"), e.getMessage());
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', (byte) 0xC3};
        e = assertThrows(InputException.class, () -> StrictText.decode("f", withBom));
        assertTrue(e.getMessage().contains("offset 4") || e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(InputException.class, () -> StrictText.decode("f", new byte[] {'a', 0, 'b'}));
    }

    @Test
    void boundedReadRefusesBeforeBuffering() throws Exception {
        byte[] big = new byte[10_000];
        InputException e = assertThrows(InputException.class,
            () -> StrictText.readBounded("f", new ByteArrayInputStream(big), 1000, "--max-x"));
        assertTrue(e.getMessage().contains("limit is 1000 bytes (raise it with --max-x)"), e.getMessage());
        assertEquals(1000, StrictText.readBounded("f", new ByteArrayInputStream(new byte[1000]), 1000, null).length);
    }

    @Test
    void duplicateKeysAreRefused() {
        InputException e = yamlRefused("activation: relu\nactivation: tanh\n");
        assertTrue(e.getMessage().contains("duplicate key") && e.getMessage().contains("activation"), e.getMessage());
        e = assertThrows(InputException.class,
            () -> StrictTrees.readJson("s.json", "{\"a\": {\"b\": 1, \"b\": 2}}"));
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
        yamlRefused("a:\n  b: 1\n  b: 1\n");
    }

    @Test
    void anchorsAliasesAndTagsAreRefused() {
        InputException e = yamlRefused("a: &x tanh\nb: *x\n");
        assertTrue(e.getMessage().contains("anchor") || e.getMessage().contains("alias *x"), e.getMessage());
        e = yamlRefused("a: !!str 5\n");
        assertTrue(e.getMessage().contains("tag"), e.getMessage());
        yamlRefused("a: !custom {b: 1}\n");
        yamlRefused("base: &b {x: 1}\nother:\n  <<: *b\n");
        // the billion-laughs shape
        yamlRefused("a: &a [1,1,1,1]\nb: &b [*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n");
    }

    @Test
    void shapeLimitsAndNonFiniteNumbers() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            deep.append('[');
        }
        for (int i = 0; i < 40; i++) {
            deep.append(']');
        }
        InputException e = yamlRefused(deep.toString());
        assertTrue(e.getMessage().contains("nested deeper than 32"), e.getMessage());
        e = assertThrows(InputException.class, () -> StrictTrees.read("f", "[1,2,3,4,5]", false,
            new StrictTrees.Limits(8, 4, 100)));
        assertTrue(e.getMessage().contains("more than 4 values"), e.getMessage());
        e = yamlRefused("a: .inf\n");
        assertTrue(e.getMessage().contains("not finite") || e.getMessage().contains("'.inf'"), e.getMessage());
        yamlRefused("a: 1\n---\nb: 2\n");
    }

    @Test
    void ordinaryDocumentsReadAsWritten() {
        JsonNode n = StrictTrees.readYaml("f", "z: 1\na: [1.5, two, true, null]\nm: {k: v}\n");
        assertEquals("z, a, m", String.join(", ", (Iterable<String>) n::fieldNames));
        assertEquals(1.5, n.get("a").get(0).doubleValue());
        assertEquals("two", n.get("a").get(1).textValue());
        assertTrue(n.get("a").get(3).isNull());
        assertTrue(StrictTrees.readYaml("f", "").isMissingNode());
    }

    @Test
    void redaction() {
        assertTrue(Redaction.isSecret("spark.hadoop.fs.s3a.secret.key"));
        assertTrue(Redaction.isSecret("spark.hadoop.fs.s3a.access.key"));
        assertTrue(Redaction.isSecret("fs.azure.sas.token"));
        assertTrue(Redaction.isSecret("spark.ssl.keyStorePassword"));
        assertTrue(Redaction.isSecret("SPARK_AUTH_SECRET"));
        assertFalse(Redaction.isSecret("spark.executor.memory"));
        assertFalse(Redaction.isSecret("spark.hadoop.fs.s3a.endpoint"));
        assertTrue(Redaction.isSecret("spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net"));
        assertTrue(Redaction.isSecret("spark.hadoop.fs.s3a.server-side-encryption.key"));
        assertTrue(Redaction.isSecret("spark.hadoop.fs.s3a.encryption.key"));
        assertFalse(Redaction.isSecret("spark.sql.shuffle.partitions"));
        assertFalse(Redaction.isSecret("spark.kryo.registrationRequired"));
        assertEquals("--conf spark.hadoop.fs.s3a.secret.key=*** --conf spark.master=local",
            Redaction.text("--conf spark.hadoop.fs.s3a.secret.key=AKIAXYZ --conf spark.master=local"));
        assertEquals("s3a://user:***@bucket/x", Redaction.text("s3a://user:hunter2@bucket/x"));
    }

    @Test
    void oneLineMessages() {
        assertEquals("first", Messages.oneLine("\n  first  \nsecond"));
        assertEquals("a?b", Messages.oneLine("a\u0007b"));
        assertEquals("(no message)", Messages.oneLine((String) null));
        assertEquals("boom", Messages.oneLine(new RuntimeException(new IllegalStateException("boom"))
            .getCause()));
    }
}
