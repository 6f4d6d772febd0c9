package io.github.asyncore.demo.soak;

import java.util.List;

/**
 * The outcome of a soak: the printed summary, and the problems that fail it (empty when it passed).
 *
 * @param summary the summary, as printed
 * @param problems why the soak failed; empty when it passed
 */
record SoakReport(String summary, List<String> problems) {

    static final double MIB = 1024.0 * 1024.0;

    SoakReport {
        problems = List.copyOf(problems);
    }

    boolean passed() {
        return this.problems.isEmpty();
    }

}
