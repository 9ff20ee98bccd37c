package net.gpt2j.kit.golden;

/**
 * One parsed golden file. {@link #name()} is how reports refer to it: the path relative to
 * {@code golden/data/} for packaged files, the file name otherwise.
 */
public sealed interface GoldenFile permits ModelGolden, TokenizerGolden, ActivationsGolden, RealGolden {

    String name();

    GoldenKind kind();

    /** The name without {@code .golden.json}/{@code .activations.json}/{@code .json}, for test names. */
    default String shortName() {
        String n = name();
        for (String suffix : new String[] {".golden.json", ".activations.json", ".json"}) {
            if (n.endsWith(suffix)) {
                return n.substring(0, n.length() - suffix.length());
            }
        }
        return n;
    }
}
