package io.github.asyncore.demo.soak;

/** A client saw something it must not: a wrong or missing byte, line or answer. */
final class ScenarioFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String kind;

    /**
     * @param kind what went wrong, for the summary's counts: for example {@code echo: corrupted byte}
     * @param message the details
     */
    ScenarioFailure(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    String kind() {
        return this.kind;
    }

}
