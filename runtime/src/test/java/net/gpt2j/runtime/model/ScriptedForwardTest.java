package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The TorchScript forward's archive and the settings it refuses. */
class ScriptedForwardTest {

    @Test
    void theArchiveIsTheSameBytesEveryTimeAndHoldsWhatTorchJitLoadReads() throws Exception {
        String source = TorchScriptArchive.resource(ScriptedForward.CLASS_NAME + ".py");
        byte[] a = TorchScriptArchive.of(ScriptedForward.CLASS_NAME, source);
        assertThat(a).isEqualTo(TorchScriptArchive.of(ScriptedForward.CLASS_NAME, source));
        java.util.List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(a))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly("archive/data.pkl", "archive/code/__torch__.py", "archive/constants.pkl",
                "archive/.data/version");
        assertThat(source).contains("class " + ScriptedForward.CLASS_NAME + "(Module):", "def forward(", "def observed(",
                "def reorder(");
    }

    @Test
    void aSeparateCudaStreamForModuleCallsIsRefusedByName() {
        GoldenFixture fixture = GoldenFixture.of("odd");
        System.setProperty(ScriptedForward.SEPARATE_STREAM_PROPERTY, "true");
        try {
            assertThatThrownBy(() -> fixture.load(ModelConfig.DEFAULT).close())
                    .hasMessageContaining(ScriptedForward.SEPARATE_STREAM_PROPERTY);
        } finally {
            System.clearProperty(ScriptedForward.SEPARATE_STREAM_PROPERTY);
        }
    }
}
