package net.gpt2j.format;

/** GPT-2's fixed facts that several modules need; each is written once, here. */
public final class Gpt2Constants {

    /** The id of {@code <|endoftext|>} in OpenAI's vocabulary: GPT-2's BOS, EOS and (in HF) pad token. */
    public static final int END_OF_TEXT = 50256;

    /** The text of GPT-2's one special token. */
    public static final String END_OF_TEXT_TOKEN = "<|endoftext|>";

    private Gpt2Constants() {}
}
