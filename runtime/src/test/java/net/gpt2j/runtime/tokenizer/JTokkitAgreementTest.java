package net.gpt2j.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Our ids against JTokkit's r50k_base (tiktoken's GPT-2 encoding), an independent implementation. */
class JTokkitAgreementTest {

    private static final Gpt2Tokenizer TOKENIZER = Gpt2Tokenizer.fromGoldenData();
    private static final Encoding R50K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

    @TestFactory
    Stream<DynamicTest> goldenTextsWithoutEndOfTextGetJTokkitsIds() {
        List<GoldenTokenizerCases> cases = GoldenTokenizerCases.load().stream()
                .filter(c -> !c.containsEndOfText()).toList();
        assertThat(cases).hasSizeGreaterThan(90);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.displayName(), () ->
                assertThat(TOKENIZER.encode(c.text())).containsExactly(R50K.encode(c.text()).toArray())));
    }

    @Test
    void endOfTextAsOrdinaryTextMatchesJTokkitsEncodeOrdinary() {
        for (GoldenTokenizerCases c : GoldenTokenizerCases.load()) {
            if (c.containsEndOfText()) {
                assertThat(TOKENIZER.encode(c.text(), SpecialTokens.ENCODE_AS_TEXT)).as(c.displayName())
                        .containsExactly(R50K.encodeOrdinary(c.text()).toArray());
            }
        }
    }

    @Test
    void decodingMatchesJTokkitOnValidUtf8() {
        String text = "Привет, мир! 👋🏽 hello 日本語のテキスト\u3000x";
        int[] ids = TOKENIZER.encode(text);
        com.knuddels.jtokkit.api.IntArrayList list = new com.knuddels.jtokkit.api.IntArrayList();
        for (int id : ids) {
            list.add(id);
        }
        assertThat(TOKENIZER.decode(ids)).isEqualTo(R50K.decode(list)).isEqualTo(text);
    }
}
