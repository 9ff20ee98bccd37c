package net.gpt2j.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ParseResult;

/**
 * The warnings HF's {@code GenerationConfig.validate()} gives for settings that the chosen decoding
 * ignores (transformers 5.18, generation/configuration_utils.py, "minor issues"): a sampling flag at
 * a non-neutral value without {@code do_sample}, a beam flag without {@code num_beams > 1}. HF warns
 * and goes on; so does this. Like HF's {@code user_set_attributes}, only flags the user gave count.
 */
final class SamplingFlagWarnings {

    private SamplingFlagWarnings() {}

    static List<String> of(ParseResult given, boolean sample, int numBeams, double temperature, int topK, double topP,
            double lengthPenalty, String earlyStopping) {
        List<String> out = new ArrayList<>();
        if (!sample) {
            // HF's neutral values: temperature 1.0, top_p 1.0, top_k 50 (its default)
            if (given.hasMatchedOption("--temperature") && temperature != 1.0) {
                out.add(samplingOnly("--temperature", temperature));
            }
            if (given.hasMatchedOption("--top-k") && topK != 50) {
                out.add(samplingOnly("--top-k", topK));
            }
            if (given.hasMatchedOption("--top-p") && topP != 1.0) {
                out.add(samplingOnly("--top-p", topP));
            }
        }
        if (numBeams == 1) {
            if (given.hasMatchedOption("--length-penalty") && lengthPenalty != 1.0) {
                out.add(beamOnly("--length-penalty", lengthPenalty));
            }
            if (given.hasMatchedOption("--early-stopping") && !earlyStopping.equalsIgnoreCase("false")) {
                out.add(beamOnly("--early-stopping", earlyStopping));
            }
        }
        return out;
    }

    private static String samplingOnly(String flag, Object value) {
        return flag + " " + value + " is only used when sampling and is ignored: add --sample or drop " + flag
                + " (HuggingFace warns the same)";
    }

    private static String beamOnly(String flag, Object value) {
        return flag + " " + value + " is only used by beam search and is ignored: set --num-beams above 1 or drop " + flag
                + " (HuggingFace warns the same)";
    }
}
