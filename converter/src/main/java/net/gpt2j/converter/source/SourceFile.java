package net.gpt2j.converter.source;

/** One file a model was converted from, as manifest.json records it: its path in the source, size and sha256. */
public record SourceFile(String name, long size, String sha256) {}
