package io.scasml.pde;

/** Small spec texts for tests. */
final class SpecTexts {
    private SpecTexts() {
    }

    /** A valid spec with the given generator and terminal, d a parameter with default 3. */
    static String minimal(String generator, String terminal) {
        return "format: scasml-pde/1\n"
            + "name: test\n"
            + "dim: {default: 3}\n"
            + "T: 1\n"
            + "sigma: 1\n"
            + "mu: 0\n"
            + "generator: \"" + generator + "\"\n"
            + "terminal: \"" + terminal + "\"\n"
            + "domain: {shape: cube, lo: -1, hi: 1}\n";
    }
}
