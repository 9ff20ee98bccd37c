package net.gpt2j.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {

    @TempDir
    Path dir;

    @Test
    void writtenConfigReadsBackWithGpt2Defaults() throws Exception {
        Hparams h = new Hparams(50257, 1024, 768, 12, 12);
        HubConfig.openAi(h).write(dir);
        String text = Files.readString(dir.resolve(HubConfig.FILE));
        assertThat(text).contains("\"n_ctx\" : 1024").contains("\"n_inner\" : null").contains("\"GPT2LMHeadModel\"");
        HubConfig back = HubConfig.read(dir);
        assertThat(back).isEqualTo(HubConfig.openAi(h));
        assertThat(back.nInner()).isEqualTo(4 * 768);
    }

    @Test
    void absentOptionalFieldsTakeGpt2ConfigDefaultsAndNInnerIsHonoured() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 10, \"n_positions\": 8, \"n_embd\": 8, \"n_head\": 2,"
                + " \"n_layer\": 1, \"n_inner\": 20, \"activation_function\": \"gelu\", \"layer_norm_epsilon\": 1e-6}");
        HubConfig c = HubConfig.read(dir);
        assertThat(c.hparams()).isEqualTo(new Hparams(10, 8, 8, 2, 1));
        assertThat(c.nInner()).isEqualTo(20);
        assertThat(c.activationFunction()).isEqualTo("gelu");
        assertThat(c.layerNormEpsilon()).isEqualTo(1e-6);
        assertThat(c.scaleAttnWeights()).isTrue();
        assertThat(c.tieWordEmbeddings()).isTrue();
    }

    @Test
    void aMissingSizeIsRefusedNamingTheField() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 10, \"n_positions\": 8, \"n_embd\": 8, \"n_head\": 2}");
        assertThatThrownBy(() -> HubConfig.read(dir)).isInstanceOf(HubFormatException.class)
                .hasMessageContaining("config.json").hasMessageContaining("'n_layer'").hasMessageContaining("missing");
    }

    @Test
    void mistypedFieldsAndOtherModelTypesAreRefusedNamingTheField() throws Exception {
        String sizes = "\"vocab_size\": 10, \"n_positions\": 8, \"n_embd\": 8, \"n_head\": 2, \"n_layer\": 1";
        Files.writeString(dir.resolve("config.json"), "{" + sizes + ", \"reorder_and_upcast_attn\": \"yes\"}");
        assertThatThrownBy(() -> HubConfig.read(dir)).hasMessageContaining("'reorder_and_upcast_attn'");
        Files.writeString(dir.resolve("config.json"), "{" + sizes + ", \"model_type\": \"llama\"}");
        assertThatThrownBy(() -> HubConfig.read(dir)).hasMessageContaining("'model_type'").hasMessageContaining("llama");
        Files.writeString(dir.resolve("config.json"), "{" + sizes + ", \"gpt2j_layout\": \"runtime\"}");
        assertThatThrownBy(() -> HubConfig.read(dir)).hasMessageContaining("old runtime layout").hasMessageContaining("convert");
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> HubConfig.read(dir)).hasMessageContaining("has no config.json");
    }

    @Test
    void absurdSizesAreRefusedBeforeAnythingIsSizedFromThem() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 50257, \"n_positions\": 64, \"n_embd\": 64,"
                + " \"n_head\": 4, \"n_layer\": 1000000000}");
        assertThatThrownBy(() -> HubConfig.read(dir)).isInstanceOf(HubFormatException.class)
                .hasMessageContaining("config.json").hasMessageContaining("\"n_layer\" is 1000000000").hasMessageContaining("1024");
    }
}
