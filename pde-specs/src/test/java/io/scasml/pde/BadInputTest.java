package io.scasml.pde;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad specs: each refused in one line naming the file and the field. */
class BadInputTest {

    static void refused(String text, String prefix, String contains) {
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.of("bad.yaml", text, null));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertTrue(e.getMessage().contains(contains), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    static String spec() {
        return SpecTexts.minimal("u", "sum(x)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "T: 1|T: 0|bad.yaml: field 'T'|must be finite and > 0",
        "T: 1|T: -2|bad.yaml: field 'T'|must be finite and > 0",
        "T: 1|T: 0/0|bad.yaml: field 'T' at 1:2|NaN",
        "sigma: 1|sigma: 0|bad.yaml: field 'sigma'|must be finite and > 0",
        "sigma: 1|sigma: -0.5|bad.yaml: field 'sigma'|must be finite and > 0",
        "sigma: 1|sigma: sqrt(-1)|bad.yaml: field 'sigma' at 1:1|NaN",
        "mu: 0|mu: [1, 2]|bad.yaml: field 'mu'|mu has 2 entries but d = 3",
        "mu: 0|mu: x|bad.yaml: field 'mu' at 1:1|'x' is not available",
        "mu: 0|mu: log(i - 1)|bad.yaml: field 'mu'|value at i = 0 is NaN",
        "generator: \"u\"|generator: \"u + sum(x\"|bad.yaml: field 'generator' at 1:10|expected ')'",
        "generator: \"u\"|generator: \"bessel(u)\"|bad.yaml: field 'generator' at 1:1|unknown function 'bessel'",
        "generator: \"u\"|generator: \"u + q\"|bad.yaml: field 'generator' at 1:5|unknown name 'q'",
        "generator: \"u\"|generator: \"z\"|bad.yaml: field 'generator' at 1:1|expected a scalar, but this is a vector",
        "generator: \"u\"|generator: \"u * x\"|bad.yaml: field 'generator' at 1:5|needs a scalar, got a vector",
        "generator: \"u\"|generator: [1]|bad.yaml: field 'generator'|expected a number or an expression",
        "terminal: \"sum(x)\"|terminal: \"sum(z)\"|bad.yaml: field 'terminal' at 1:5|'z' is not available in the terminal",
        "format: scasml-pde/1|format: scasml-pde/9|bad.yaml: field 'format'|unknown format",
        "name: test|name: \"a b\"|bad.yaml: field 'name'|is not a name",
        "name: test|name: test\\nbogus: 1|bad.yaml: field 'bogus'|unknown field",
        "dim: {default: 3}|dim: {default: 0}|bad.yaml: field 'dim'|must lie in",
        "dim: {default: 3}|dim: 2.5|bad.yaml: field 'dim'|expected an integer",
        "domain: {shape: cube, lo: -1, hi: 1}|domain: {shape: cube, lo: 1, hi: -1}|bad.yaml: field 'domain'|lo < hi",
        "domain: {shape: cube, lo: -1, hi: 1}|domain: {shape: torus}|bad.yaml: field 'domain.shape'|unknown shape",
        "domain: {shape: cube, lo: -1, hi: 1}|domain: {shape: ball, radius: 1, t: [0, 2]}|bad.yaml: field 'domain.t'|t_max <= T",
        "domain: {shape: cube, lo: -1, hi: 1}|domain: {shape: ball, radius: 1, boundary_share: 2}|bad.yaml: field 'domain.boundary_share'|not in [0, 1]",
        "T: 1|T: 1\\nconstants: {x: 1}|bad.yaml: field 'constants.x'|already in use",
        "T: 1|T: 1\\nconstants: {sigma: 1}|bad.yaml: field 'constants.sigma'|already in use",
        "T: 1|T: 1\\nconstants: {a: b}|bad.yaml: field 'constants.a' at 1:1|unknown name 'b'",
        "T: 1|T: 1\\nconstants: {c: {random_uniform: {seed: 1.5, length: 2}}}|bad.yaml: field 'constants.c.random_uniform.seed'|expected an integer",
        "T: 1|T: 1\\nclip: {mlp: -1}|bad.yaml: field 'clip.mlp'|must be finite and > 0",
        "T: 1|T: 1\\nexact: {method: magic}|bad.yaml: field 'exact.method'|unknown method",
        "T: 1|T: 1\\nreferences: [{t: 0, x: [1], value: 1, tolerance: 0.1, source: s}]|bad.yaml: field 'references[0].x'|has 1 entries but d = 3",
        "T: 1|T: 1\\nreferences: [{t: 0, x: 0, value: 1, source: s}]|bad.yaml: field 'references[0].tolerance'|missing",
        "T: 1|T: 1\\ndefinitions: {w: \"u +\"}|bad.yaml: field 'definitions.w' at 1:4|ends too early",
    })
    void refusedWithFileAndField(String from, String to, String prefix, String contains) {
        String text = spec().replace(from, to.replace("\\n", "\n"));
        refused(text, prefix, contains);
    }

    @Test
    void missingFieldsAndBrokenYaml() {
        refused(spec().replace("sigma: 1\n", ""), "bad.yaml: field 'sigma'", "missing");
        refused(spec().replace("terminal: \"sum(x)\"\n", ""), "bad.yaml: field 'terminal'", "missing");
        refused("format: [unclosed", "bad.yaml: ", "not valid YAML/JSON");
        refused("- just\n- a list\n", "bad.yaml: ", "expected a mapping");
        refused("", "bad.yaml: ", "expected a mapping");
    }

    @Test
    void jsonIsAcceptedToo() {
        String json = "{\"format\": \"scasml-pde/1\", \"name\": \"j\", \"dim\": 2, \"T\": 1, \"sigma\": 1, \"mu\": 0,"
            + " \"generator\": \"0\", \"terminal\": \"sum(x)\", \"exact\": \"sum(x)\","
            + " \"domain\": {\"shape\": \"ball\", \"radius\": 1}}";
        SpecPde p = PdeSpec.of("j.json", json, null).compile();
        assertTrue(PdeChecker.check(p, 1, 4).pass());
    }

    @Test
    void coleHopfNeedsTheQuadraticGenerator() {
        String text = spec().replace("mu: 0", "mu: 0\nexact: {method: cole_hopf}");
        SpecException e = assertThrows(SpecException.class, () -> PdeSpec.of("ch.yaml", text, null).compile());
        assertTrue(e.getMessage().startsWith("ch.yaml: field 'exact': method cole_hopf needs generator"), e.getMessage());
    }

    @Test
    void nanAtEvaluationNamesThePoint() {
        SpecPde p = PdeSpec.of("nan.yaml", SpecTexts.minimal("log(u)", "sqrt(x[0])"), 3).compile();
        double[] out = new double[3];
        SpecException e = assertThrows(SpecException.class, () -> p.generator(3, new double[] {0.1, 0.2, 0.3},
            new double[9], new double[] {1, 2, -3}, new double[9], out));
        assertTrue(e.getMessage().startsWith("nan.yaml: field 'generator': NaN at point 2 of the batch: t = 0.3"), e.getMessage());
        assertTrue(e.getMessage().contains("u = -3.0"), e.getMessage());
        SpecException g = assertThrows(SpecException.class, () -> p.terminal(2, new double[] {1, 0, 0, -1, 0, 0}, out));
        assertTrue(g.getMessage().startsWith("nan.yaml: field 'terminal': NaN at point 1 of the batch: x = [-1.00000"), g.getMessage());
        PdeChecker.Report r = PdeChecker.check(p, 3, 16);
        assertTrue(!r.pass() && r.summary().contains("nan.yaml: field 'terminal'"), r.summary());
    }
}
