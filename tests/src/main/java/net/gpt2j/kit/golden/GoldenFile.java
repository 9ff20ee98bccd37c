package net.gpt2j.kit.golden;

/**
 * One parsed golden file. {@link #name()} is how reports refer to it: the path relative to
 * {@code golden/data/} for packaged files, the file name otherwise.
 */
public sealed interface GoldenFile permits ModelGolden, TokenizerGolden, ActivationsGolden, RealGolden {

    String name();

    GoldenKind kind();

    /**
     * The name without {@code .golden.json}/{@code .activations.json}/{@code .json} and without folders
     * above its own, for test names: {@code hf-4.57.6/tiny} for a packaged file and for
     * {@code /any/where/hf-4.57.6/tiny.golden.json} alike.
     */
    default String shortName() {
        String n = name().replace('\\', '/');
        for (String suffix : new String[] {".golden.json", ".activations.json", ".json"}) {
            if (n.endsWith(suffix)) {
                n = n.substring(0, n.length() - suffix.length());
                break;
            }
        }
        int last = n.lastIndexOf('/');
        int before = last <= 0 ? -1 : n.lastIndexOf('/', last - 1);
        return n.substring(before + 1);
    }
}
