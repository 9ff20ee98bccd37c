package net.gpt2j.runtime.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import net.gpt2j.format.tokenizer.BpeFiles;
import net.gpt2j.format.tokenizer.BpeModel;
import net.gpt2j.golden.GoldenData;

/**
 * GPT-2's byte-level BPE tokenizer, giving the ids of HuggingFace's {@code GPT2Tokenizer} (and
 * {@code GPT2TokenizerFast}, which agrees) for OpenAI's {@code encoder.json} and {@code vocab.bpe}.
 *
 * <p>Encoding: {@code <|endoftext|>} is handled as {@link SpecialTokens} says; each remaining piece is
 * cut into pre-tokens by GPT-2's pattern ({@link PreTokenizer}), each pre-token's UTF-8 bytes are
 * merged by rank ({@link BytePairMerger}), and the ids of a pre-token are cached. Decoding joins the
 * ids' bytes and decodes them as Python does with {@code errors="replace"}; no spaces are cleaned
 * up ({@code clean_up_tokenization_spaces=False}).
 *
 * <p>Instances are immutable apart from the cache and safe to share between threads.
 */
public final class Gpt2Tokenizer {

    /** Pre-tokens longer than this (in chars) are not cached: they rarely repeat. */
    private static final int MAX_CACHED_LENGTH = 256;
    /** The cache is emptied when it reaches this many pre-tokens, so memory stays bounded. */
    private static final int MAX_CACHE_ENTRIES = 1 << 17;

    private final Vocabulary vocabulary;
    private final BytePairMerger merger;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>(1 << 12);

    private Gpt2Tokenizer(Vocabulary vocabulary, MergeTable merges) {
        this.vocabulary = vocabulary;
        this.merger = new BytePairMerger(vocabulary, merges);
    }

    /** Reads {@code encoder.json} and {@code vocab.bpe}. */
    public static Gpt2Tokenizer fromFiles(Path encoderJson, Path vocabBpe) throws IOException {
        Vocabulary vocabulary;
        try (InputStream in = Files.newInputStream(encoderJson)) {
            vocabulary = Vocabulary.read(in, encoderJson.toString());
        }
        try (InputStream in = Files.newInputStream(vocabBpe)) {
            return new Gpt2Tokenizer(vocabulary, MergeTable.read(in, vocabBpe.toString(), vocabulary));
        }
    }

    /**
     * The tokenizer of a hub model folder: {@code vocab.json} + {@code merges.txt} when present (what
     * HF's {@code GPT2Tokenizer} reads), else {@code tokenizer.json} (what {@code GPT2TokenizerFast}
     * reads), else OpenAI's {@code encoder.json} + {@code vocab.bpe}.
     */
    public static Gpt2Tokenizer fromHubFolder(Path dir) throws IOException {
        Path vocab = dir.resolve(BpeFiles.VOCAB_JSON);
        Path merges = dir.resolve(BpeFiles.MERGES_TXT);
        if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            return fromFiles(vocab, merges);
        }
        Path tokenizerJson = dir.resolve(BpeFiles.TOKENIZER_JSON);
        if (Files.isRegularFile(tokenizerJson)) {
            return fromBpe(BpeFiles.readTokenizerJson(tokenizerJson), tokenizerJson.toString());
        }
        Path encoder = dir.resolve("encoder.json");
        Path bpe = dir.resolve("vocab.bpe");
        if (Files.isRegularFile(encoder) && Files.isRegularFile(bpe)) {
            return fromFiles(encoder, bpe);
        }
        throw new TokenizerFileException(dir + " has no tokenizer: expected " + BpeFiles.VOCAB_JSON + " and "
                + BpeFiles.MERGES_TXT + ", or " + BpeFiles.TOKENIZER_JSON);
    }

    /** A tokenizer over an already-read byte-level BPE vocabulary; {@code source} names it in errors. */
    public static Gpt2Tokenizer fromBpe(BpeModel bpe, String source) throws TokenizerFileException {
        Vocabulary vocabulary = Vocabulary.of(bpe.tokensById(), source);
        return new Gpt2Tokenizer(vocabulary, MergeTable.of(bpe.merges(), source, vocabulary));
    }

    /** Reads the contents of {@code encoder.json} and {@code vocab.bpe}; the streams are not closed. */
    public static Gpt2Tokenizer fromStreams(InputStream encoderJson, InputStream vocabBpe) throws IOException {
        Vocabulary vocabulary = Vocabulary.read(encoderJson, "encoder.json");
        return new Gpt2Tokenizer(vocabulary, MergeTable.read(vocabBpe, "vocab.bpe", vocabulary));
    }

    /** OpenAI's GPT-2 vocabulary as shipped in the golden module ({@link GoldenData#ENCODER_JSON}, {@link GoldenData#VOCAB_BPE}). */
    public static Gpt2Tokenizer fromGoldenData() {
        try (InputStream encoder = GoldenData.open(GoldenData.ENCODER_JSON);
                InputStream merges = GoldenData.open(GoldenData.VOCAB_BPE)) {
            return fromStreams(encoder, merges);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GPT-2's vocabulary from the golden module", e);
        }
    }

    /** The number of ids, 50257 for GPT-2. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The id of {@code <|endoftext|>}, 50256 for GPT-2. */
    public int endOfTextId() {
        return vocabulary.endOfTextId();
    }

    /** HuggingFace's ids: {@code <|endoftext|>} in the text becomes {@link #endOfTextId()}. */
    public int[] encode(String text) {
        return encode(text, SpecialTokens.ENCODE_AS_SPECIAL);
    }

    /**
     * The ids of {@code text}, treating {@code <|endoftext|>} as {@code specialTokens} says.
     *
     * @throws DisallowedSpecialTokenException if the text contains it and {@code specialTokens} is
     *     {@link SpecialTokens#REFUSE}
     * @throws IllegalArgumentException if the text has an unpaired surrogate, which has no UTF-8
     *     bytes (Python refuses to encode it too)
     */
    public int[] encode(String text, SpecialTokens specialTokens) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(specialTokens, "specialTokens");
        IdList ids = new IdList(text.length() / 3 + 16);
        switch (specialTokens) {
            case ENCODE_AS_TEXT:
                encodeOrdinary(text, 0, text.length(), ids);
                break;
            case REFUSE:
                int found = text.indexOf(Vocabulary.END_OF_TEXT);
                if (found >= 0) {
                    throw new DisallowedSpecialTokenException(Vocabulary.END_OF_TEXT, found);
                }
                encodeOrdinary(text, 0, text.length(), ids);
                break;
            case ENCODE_AS_SPECIAL:
                int start = 0;
                int special;
                while ((special = text.indexOf(Vocabulary.END_OF_TEXT, start)) >= 0) {
                    encodeOrdinary(text, start, special, ids);
                    ids.add(vocabulary.endOfTextId());
                    start = special + Vocabulary.END_OF_TEXT.length();
                }
                encodeOrdinary(text, start, text.length(), ids);
                break;
            default:
                throw new AssertionError(specialTokens);
        }
        return ids.toArray();
    }

    /** Encodes {@code text[start..limit)} as if it were the whole text. */
    private void encodeOrdinary(String text, int start, int limit, IdList ids) {
        int i = start;
        while (i < limit) {
            int end = PreTokenizer.tokenEnd(text, i, limit);
            ids.addAll(idsOfPreToken(text, i, end));
            i = end;
        }
    }

    private int[] idsOfPreToken(String text, int start, int end) {
        if (end - start > MAX_CACHED_LENGTH) {
            return mergePreToken(text, start, end);
        }
        String piece = text.substring(start, end);
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = mergePreToken(text, start, end);
            if (cache.size() >= MAX_CACHE_ENTRIES) {
                cache.clear();
            }
            cache.put(piece, ids);
        }
        return ids;
    }

    private int[] mergePreToken(String text, int start, int end) {
        byte[] utf8 = new byte[(end - start) * 3];
        int length = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                utf8[length++] = (byte) c;
            } else if (c < 0x800) {
                utf8[length++] = (byte) (0xC0 | (c >> 6));
                utf8[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                utf8[length++] = (byte) (0xE0 | (c >> 12));
                utf8[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                utf8[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                utf8[length++] = (byte) (0xF0 | (cp >> 18));
                utf8[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                utf8[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                utf8[length++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                throw new IllegalArgumentException(String.format(
                        "text has an unpaired surrogate U+%04X at char index %d; it has no UTF-8 bytes to encode",
                        (int) c, i));
            }
        }
        return merger.merge(utf8, length);
    }

    /**
     * The text of {@code ids}: their bytes joined and decoded as UTF-8, each malformed sequence
     * becoming U+FFFD as in Python's {@code errors="replace"}. {@code <|endoftext|>} decodes to itself.
     *
     * @throws IllegalArgumentException naming the first id outside {@code 0..vocabSize()-1}
     */
    public String decode(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        int length = 0;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocabulary.size()) {
                throw new IllegalArgumentException("token id " + id + " at index " + i
                        + " is outside GPT-2's vocabulary 0.." + (vocabulary.size() - 1));
            }
            length += vocabulary.bytesOf(id).length;
        }
        byte[] bytes = new byte[length];
        int at = 0;
        for (int id : ids) {
            byte[] b = vocabulary.bytesOf(id);
            System.arraycopy(b, 0, bytes, at, b.length);
            at += b.length;
        }
        return PythonUtf8.decode(bytes, length);
    }

    /** A growable int array, so encoding boxes nothing. */
    private static final class IdList {
        private int[] ids;
        private int size;

        IdList(int capacity) {
            ids = new int[capacity];
        }

        void add(int id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        void addAll(int[] more) {
            if (size + more.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(size * 2, size + more.length));
            }
            System.arraycopy(more, 0, ids, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}
