package net.gpt2j.runtime.tokenizer;

/** Text given to {@link SpecialTokens#REFUSE} that contains a special token. */
public class DisallowedSpecialTokenException extends IllegalArgumentException {

    private final String token;
    private final int index;

    public DisallowedSpecialTokenException(String token, int index) {
        super("text contains the special token " + token + " at char index " + index
                + ", which this encoding refuses; encode with SpecialTokens.ENCODE_AS_SPECIAL to get its id,"
                + " or SpecialTokens.ENCODE_AS_TEXT to encode it as ordinary text");
        this.token = token;
        this.index = index;
    }

    /** The special token found, e.g. {@code <|endoftext|>}. */
    public String token() {
        return token;
    }

    /** The char index in the text where it starts. */
    public int index() {
        return index;
    }
}
