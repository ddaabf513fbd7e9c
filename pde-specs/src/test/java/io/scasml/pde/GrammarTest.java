package io.scasml.pde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.pde.expr.ExpressionException;
import io.scasml.pde.expr.Interpreter;
import io.scasml.pde.expr.Node;
import io.scasml.pde.expr.Resolver;
import io.scasml.pde.expr.Scope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The expression grammar: precedence, folding, functions, reductions, and compiled = interpreted. */
class GrammarTest {

    static Scope scope(int d) {
        List<double[]> store = new ArrayList<>();
        Scope s = Scope.of(d, store);
        s.putScalar("a", 2.0);
        s.putVector("c", new double[] {1, 2, 3});
        return s.with("a test", Scope.Var.T, Scope.Var.X, Scope.Var.U, Scope.Var.Z);
    }

    static double eval(String e) {
        Scope s = scope(3);
        Node n = Resolver.compile(e, s, Node.Type.SCALAR);
        Interpreter.Ctx c = new Interpreter.Ctx(s.vectors());
        c.t = 0.25;
        c.u = -1.5;
        c.x = new double[] {9, 0.5, -1, 2};
        c.xo = 1;
        c.z = new double[] {3, 4, 12};
        return Interpreter.eval(n, c);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "1 + 2 * 3; 7", "(1 + 2) * 3; 9", "2 ^ 3 ^ 2; 512", "-2 ^ 2; -4", "2 ** 3; 8", "7 % 4; 3", "1 / 4; 0.25",
        "1e-3 * 1E3; 1", ".5 + 5.; 5.5", "a * a; 4", "d; 3", "pi; 3.141592653589793",
        "sum(x); 1.5", "x[0] + x[2]; 2.5", "z[1]; 4", "norm2(z); 169", "norm(z); 13", "dot(x, z); 21.5", "dot(c, c); 14",
        "min(x); -1", "max(z); 12", "max(x[0], x[1]); 0.5", "sum(k, 0, d-1, x[k] * c[k]); 4.5", "prod(k, 0, 2, c[k]); 6",
        "min(k, 1, 2, z[k]); 4", "max(k, 0, d-1, -x[k]); 1", "sum(k, 0, -1, x[k]); 0", "sum(j, 0, 1, sum(k, 0, j, c[k])); 4",
        "x[d-1]; 2", "c[2]; 3", "x[1 + 0]; -1", "u < 0 ? 1 : 2; 1", "if(t > 0.5, 1, 2); 2", "t >= 0.25 && u != 0 ? 3 : 4; 3",
        "!(t < 1) || u > 0 ? 5 : 6; 6", "abs(u) + sqrt(4) + exp(0) + log(1); 4.5", "logistic(0); 0.5", "pow(2, 0.5)^2; 2.0000000000000004",
        "floor(2.5) + ceil(2.5); 5", "tanh(0) + sin(0) + cos(0); 1", "x[u < 0 ? 0 : 1]; 0.5", "sum(k, 0, 1, k < 1 ? x[k+2] : 0); 2"})
    void evaluates(String expr, double want) {
        assertEquals(want, eval(expr), 0.0, expr);
    }

    @Test
    void foldsConstantsAndKeepsVariables() {
        Scope s = scope(4);
        Node n = Resolver.compile("-1/d - a^2/2 + sum(c) + c[1] * 2", s, Node.Type.SCALAR);
        assertEquals(Node.Kind.NUM, n.kind());
        assertEquals(-0.25 - 2 + 6 + 4, n.value(), 0.0);
        Node g = Resolver.compile("u * 0 + sum(z)", s, Node.Type.SCALAR);
        assertTrue(g.mentions(Node.Kind.VEC_Z));
        assertFalse(g.mentions(Node.Kind.VEC_X));
    }

    @Test
    void compiledCodeEqualsTheInterpreter() {
        String gen = "u * sum(z) / d + (t < 0.5 ? exp(-norm2(x)) : log1p(abs(u))) + sum(k, 0, d-2, (x[k+1] - x[k])^2 * z[k])"
            + " + max(k, 0, d-1, x[k] * z[d-1-k]) + pow(abs(u), 1.5) + x[floor(t * d)] % 0.3";
        String term = "prod(k, 0, d-1, 1 + x[k]^2 / 10) - min(x) + dot(x, x)";
        PdeSpec spec = PdeSpec.of("g.yaml", SpecTexts.minimal(gen, term), 6);
        SpecPde p = spec.compile();
        SpecModel m = spec.model();
        int d = 6;
        int n = 50;
        double[] t = new double[n];
        double[] u = new double[n];
        double[] x = new double[n * d];
        double[] z = new double[n * d];
        for (int i = 0; i < n; i++) {
            t[i] = (i + 0.5) / n;
            u[i] = Math.sin(i) * 2;
        }
        for (int k = 0; k < n * d; k++) {
            x[k] = Math.cos(k * 0.7);
            z[k] = Math.sin(k * 1.3);
        }
        double[] f = new double[n];
        double[] g = new double[n];
        p.generator(n, t, x, u, z, f);
        p.terminal(n, x, g);
        Interpreter.Ctx c = new Interpreter.Ctx(m.vectors);
        for (int i = 0; i < n; i++) {
            c.t = t[i];
            c.u = u[i];
            c.x = x;
            c.xo = i * d;
            c.z = z;
            c.zo = i * d;
            assertEquals(Interpreter.eval(m.generator, c), f[i], 0.0, "F at " + i);
            assertEquals(Interpreter.eval(m.terminal, c), g[i], 0.0, "g at " + i);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "1 +; expression ends too early", "(1 + 2; expected ')'", "1 2; after a complete expression",
        "foo(1); unknown function 'foo'", "y + 1; unknown name 'y'", "x + 1; needs a scalar, got a vector",
        "x; expected a scalar", "t < 1; condition", "1 < 2 < 3; cannot be chained", "sum(x, z); takes",
        "exp(1, 2); takes 1 arguments", "dot(x, u); needs vector arguments", "u[0]; only vectors",
        "x[3]; not an integer in [0, 3)", "x[0.5]; not an integer", "c[k]; unknown name 'k'",
        "sum(t, 0, 1, t); already in use", "sum(k, 0, 3, x[k]); outside [0, 3)", "sum(k, 0, 2, x[k+1]); outside [0, 3)",
        "t ? 1 : 2; needs a condition", "log(-1); NaN", "1e999; out of the double range", "1.2.3; malformed number",
        "1f; malformed number", "0x10; malformed number", "a = 1; '=' is not an operator", "a & b; single '&'",
        "exp; is a function", "if(1, 2); takes 3"})
    void refuses(String expr, String message) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> Resolver.compile(expr, scope(3), Node.Type.SCALAR));
        assertTrue(e.getMessage().contains(message), expr + " -> " + e.getMessage());
    }

    @Test
    void positionIsLineAndColumn() {
        ExpressionException e = assertThrows(ExpressionException.class,
            () -> Resolver.compile("1 +\n  2 * bogus", scope(3), Node.Type.SCALAR));
        assertEquals("2:7", e.position("1 +\n  2 * bogus"));
    }

    @Test
    void variablesAreScopedToTheirField() {
        String text = SpecTexts.minimal("0", "u + sum(x)");
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.of("scoped.yaml", text, null));
        assertTrue(e.getMessage().startsWith("scoped.yaml: field 'terminal' at 1:1: 'u' is not available in the terminal"),
            e.getMessage());
    }

    @Test
    void runtimeIndexErrorsNameThePoint() {
        SpecPde p = PdeSpec.of("ix.yaml", SpecTexts.minimal("x[floor(u)]", "sum(x)"), 3).compile();
        double[] out = new double[2];
        SpecException e = assertThrows(SpecException.class,
            () -> p.generator(2, new double[] {0, 0}, new double[6], new double[] {1, 7}, new double[6], out));
        assertTrue(e.getMessage().startsWith("ix.yaml: field 'generator': IndexOutOfBoundsException"), e.getMessage());
        assertTrue(e.getMessage().contains("at point 1 of the batch"), e.getMessage());
    }
}
