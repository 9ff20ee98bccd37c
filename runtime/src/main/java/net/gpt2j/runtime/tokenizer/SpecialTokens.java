package net.gpt2j.runtime.tokenizer;

/** What {@link Gpt2Tokenizer#encode(String, SpecialTokens)} does with {@code <|endoftext|>} in the text. */
public enum SpecialTokens {
    /**
     * HuggingFace's {@code GPT2Tokenizer}: the text is split around each occurrence, which becomes
     * id 50256; the pieces between are encoded on their own.
     */
    ENCODE_AS_SPECIAL,
    /**
     * tiktoken's default ({@code disallowed_special="all"}): text that contains it is refused with
     * a {@link DisallowedSpecialTokenException}, so untrusted text cannot inject an end of text.
     */
    REFUSE,
    /**
     * tiktoken's {@code encode_ordinary}: it is ordinary text, {@code <|endoftext|>} becomes the
     * five tokens {@code <|}, {@code end}, {@code of}, {@code text}, {@code |>}.
     */
    ENCODE_AS_TEXT
}
