package net.gpt2j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code gpt2 -V}: the version and the commit the build was made from, both written into
 * {@code version.properties} by Maven's resource filtering ({@code -Dgpt2.commit}, passed by the
 * launcher; "unknown" when the build was not told).
 */
final class BuildInfo implements IVersionProvider {

    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        Properties p = properties();
        String commit = p.getProperty("commit", "unknown");
        if (commit.isBlank() || commit.startsWith("${")) {
            commit = "unknown";
        }
        return new String[] {"gpt2j " + p.getProperty("version", "unknown") + " (commit " + commit + ")",
            "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }

    static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource leaves both fields "unknown": -V must still answer
        }
        return p;
    }
}
