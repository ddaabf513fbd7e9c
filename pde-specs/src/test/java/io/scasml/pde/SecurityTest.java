package io.scasml.pde;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.pde.expr.ExpressionException;
import io.scasml.pde.expr.Node;
import io.scasml.pde.expr.Resolver;
import io.scasml.pde.expr.Scope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Specs are untrusted input: attempts to reach Java are refused by the grammar, fast, with a clear message. */
class SecurityTest {

    static List<String[]> attacks() {
        List<String[]> a = new ArrayList<>();
        a.add(new String[] {"java.lang.Runtime.getRuntime().exec(\"rm -rf /\")", "member access"});
        a.add(new String[] {"Runtime.getRuntime()", "member access"});
        a.add(new String[] {"Runtime", "unknown name 'Runtime'"});
        a.add(new String[] {"getRuntime()", "unknown function 'getRuntime'"});
        a.add(new String[] {"String.class", "member access"});
        a.add(new String[] {"x.getClass()", "member access"});
        a.add(new String[] {"Class.forName(\"java.lang.System\")", "member access"});
        a.add(new String[] {"forName(1)", "unknown function 'forName'"});
        a.add(new String[] {"System.exit(1)", "member access"});
        a.add(new String[] {"exit(1)", "unknown function 'exit'"});
        a.add(new String[] {"\"abc\"", "quotes are not allowed"});
        a.add(new String[] {"'a'", "quotes are not allowed"});
        a.add(new String[] {"1 + u // comment", "comments are not allowed"});
        a.add(new String[] {"1 /* c */ + u", "comments are not allowed"});
        a.add(new String[] {"\\u0022)); System.exit(1); ((\\u0022", "backslash is not allowed"});
        a.add(new String[] {"u" + (char) 0x22, "quotes are not allowed"});
        a.add(new String[] {"1; System.exit(0)", "character ';'"});
        a.add(new String[] {"u) ; } static { System.exit(0); } double f() { return (1", "character ';'"});
        a.add(new String[] {"{ 1 }", "character '{'"});
        a.add(new String[] {"new Object()", "after a complete expression"});
        a.add(new String[] {"new", "unknown name 'new'"});
        a.add(new String[] {"(double) u", "after a complete expression"});
        a.add(new String[] {"u @ 1", "character '@'"});
        a.add(new String[] {"u # 1", "character '#'"});
        a.add(new String[] {"$u", "character '$'"});
        a.add(new String[] {"u" + (char) 0xA0 + "+ 1", "U+00A0"});
        a.add(new String[] {(char) 0x3BB + " * u", "U+03BB"});
        a.add(new String[] {"1L", "malformed number"});
        a.add(new String[] {"1d + u", "malformed number"});
        a.add(new String[] {"Math.exp(u)", "member access"});
        a.add(new String[] {"this", "unknown name 'this'"});
        a.add(new String[] {"x[0] = 1", "'=' is not an operator"});
        a.add(new String[] {"u++", "ends too early"});
        a.add(new String[] {"u -> u", "expected a number"});
        a.add(new String[] {"u :: exp", "after a complete expression"});
        return a;
    }

    static Scope scope() {
        return Scope.of(3, new ArrayList<>()).with("a test", Scope.Var.T, Scope.Var.X, Scope.Var.U, Scope.Var.Z);
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void refused(String expr, String message) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> Resolver.compile(expr, scope(), Node.Type.SCALAR));
        assertTrue(e.getMessage().contains(message), expr + " -> " + e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void refusedInASpecWithFileAndField(String expr, String message) {
        String text = SpecTexts.minimal("0", "0").replace("generator: \"0\"", "generator: " + yamlQuote(expr));
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.of("evil.yaml", text, null));
        assertTrue(e.getMessage().startsWith("evil.yaml: field 'generator' at "), e.getMessage());
        assertTrue(e.getMessage().contains(message), expr + " -> " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    static String yamlQuote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Test
    @Timeout(5)
    void tenMegabyteExpression() {
        StringBuilder s = new StringBuilder(10 << 20);
        while (s.length() < (10 << 20)) {
            s.append("u+");
        }
        s.append("u");
        ExpressionException e = assertThrows(ExpressionException.class, () -> Resolver.compile(s.toString(), scope(), Node.Type.SCALAR));
        assertTrue(e.getMessage().contains("the limit is"), e.getMessage());
        String text = SpecTexts.minimal("0", "0").replace("generator: \"0\"", "generator: " + s);
        SpecException f = assertThrows(SpecException.class, () -> PdeSpec.of("huge.yaml", text, null));
        assertTrue(f.getMessage().startsWith("huge.yaml: spec is"), f.getMessage());
    }

    @Test
    @Timeout(5)
    void hundredThousandParentheses() {
        String huge = "(".repeat(100_000) + "u" + ")".repeat(100_000);
        ExpressionException h = assertThrows(ExpressionException.class, () -> Resolver.compile(huge, scope(), Node.Type.SCALAR));
        assertTrue(h.getMessage().contains("the limit is"), h.getMessage());
        String deep = "(".repeat(30_000) + "u" + ")".repeat(30_000);
        ExpressionException e = assertThrows(ExpressionException.class, () -> Resolver.compile(deep, scope(), Node.Type.SCALAR));
        assertTrue(e.getMessage().contains("nested more than"), e.getMessage());
        String unary = "-".repeat(50_000) + "u";
        ExpressionException f = assertThrows(ExpressionException.class, () -> Resolver.compile(unary, scope(), Node.Type.SCALAR));
        assertTrue(f.getMessage().contains("nested more than"), f.getMessage());
        String calls = "exp(".repeat(10_000) + "u" + ")".repeat(10_000);
        ExpressionException g = assertThrows(ExpressionException.class, () -> Resolver.compile(calls, scope(), Node.Type.SCALAR));
        assertTrue(g.getMessage().contains("nested more than"), g.getMessage());
    }

    @Test
    @Timeout(5)
    void longChainsAndManyTerms() {
        String chain = "u" + "+u".repeat(5_000);
        ExpressionException e = assertThrows(ExpressionException.class, () -> Resolver.compile(chain, scope(), Node.Type.SCALAR));
        assertTrue(e.getMessage().contains("operations deep"), e.getMessage());
        // The deepest accepted chain still compiles with Janino.
        String ok = "u" + "+u".repeat(250);
        SpecPde p = PdeSpec.of("chain.yaml", SpecTexts.minimal(ok, "0"), 3).compile();
        double[] out = new double[1];
        p.generator(1, new double[1], new double[3], new double[] {1}, new double[3], out);
        assertTrue(out[0] == 251, "" + out[0]);
    }

    @Test
    void yamlAliasBombAndTagsAreRefused() {
        StringBuilder s = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            s.append(c).append(": &").append(c).append(" [*").append(prev).append(",*").append(prev).append(",*").append(prev)
                .append(",*").append(prev).append(",*").append(prev).append(",*").append(prev).append("]\n");
            prev = c;
        }
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.of("bomb.yaml", s.toString(), null));
        assertTrue(e.getMessage().startsWith("bomb.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains("YAML anchor &a is not accepted"), e.getMessage());
        // YAML tags are refused outright (they never instantiated anything, but a tagged value is not what it seems).
        String tagged = SpecTexts.minimal("0", "0").replace("generator: \"0\"", "generator: !!java.lang.Runtime 0");
        SpecException t = assertThrows(SpecException.class, () -> PdeSpec.of("tag.yaml", tagged, null));
        assertTrue(t.getMessage().startsWith("tag.yaml: YAML type tag"), t.getMessage());
    }
}
