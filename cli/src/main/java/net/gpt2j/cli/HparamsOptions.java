package net.gpt2j.cli;

import net.gpt2j.format.Hparams;
import picocli.CommandLine.Option;

/** The five hparams of a synthetic model, as command-line options (defaults: the "tiny" fixture). */
final class HparamsOptions {
    @Option(names = "--n-layer", description = "Blocks.", defaultValue = "2")
    int nLayer;

    @Option(names = "--n-embd", description = "Embedding width.", defaultValue = "64")
    int nEmbd;

    @Option(names = "--n-head", description = "Attention heads.", defaultValue = "4")
    int nHead;

    @Option(names = "--n-ctx", description = "Context length.", defaultValue = "64")
    int nCtx;

    @Option(names = "--n-vocab", description = "Vocabulary size (GPT-2's).", defaultValue = "50257")
    int nVocab;

    Hparams toHparams() {
        return new Hparams(nVocab, nCtx, nEmbd, nHead, nLayer);
    }
}
