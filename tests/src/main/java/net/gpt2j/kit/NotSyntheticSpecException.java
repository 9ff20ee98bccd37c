package net.gpt2j.kit;

/**
 * {@link ModelSpec#syntheticWeights()} asked of a spec that has none: the tokenizer-only spec, or a
 * real checkpoint's. A provider written only for synthetic models throws it from those specs; the
 * kit then skips their cases, saying why and what to return instead, rather than failing a
 * tokenizer case the port never declared (an author's first provider usually does exactly this).
 */
public final class NotSyntheticSpecException extends IllegalStateException {

    private final ModelSpec spec;

    NotSyntheticSpecException(ModelSpec spec) {
        super("model spec " + spec.name() + " is " + spec.source() + ", not synthetic: it has no seeded weights");
        this.spec = spec;
    }

    public ModelSpec spec() {
        return spec;
    }
}
